/**
 * Playbooks over real SSH to lab hosts (Debian 12, systemd, sshd), with host key checking on and
 * nothing but the lab inventory on the command line.
 */
import { execFileSync } from 'node:child_process'
import { mkdtempSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { beforeAll, describe, expect, it } from 'vitest'
import { statuses, tsplayJson, writeTree, type JsonRun } from '../helpers/cli.js'
import { until } from '../helpers/poll.js'
import { ADDRESSES, container, knownHosts, lab, LAB_INVENTORY, useLab } from './harness.js'

useLab()

let dir: string
beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'tsplay-lab-run-'))
  writeTree(dir, {
    'parallel.yml': `- hosts: trio
  gather_facts: false
  tasks:
    - name: two seconds of work
      shell: "date +%s.%N; sleep 2; date +%s.%N"
      changed_when: false
`,
    'facts.yml': `- hosts: trio
  gather_facts: true
  tasks:
    - name: facts
      debug: { msg: "{{ ansible_distribution }}|{{ ansible_distribution_major_version }}|{{ ansible_default_ipv4.address }}|{{ ansible_hostname }}|{{ ansible_os_family }}" }
`,
    'one-fails.yml': `- hosts: trio
  gather_facts: false
  tasks:
    - name: fails on lab-b only
      command: "{{ 'false' if inventory_hostname == 'lab-b' else 'true' }}"
      changed_when: false
    - name: after the failure
      command: "true"
      changed_when: false
`,
    'slow.yml': `- hosts: trio:victim
  gather_facts: false
  tasks:
    - name: a slow task
      command: sleep 12
      changed_when: false
    - name: after the slow task
      command: "true"
      changed_when: false
`,
    'victim.yml': `- hosts: victim
  gather_facts: false
  tasks:
    - { name: hostname, command: hostname, changed_when: false }
`,
  })
})

const run = (playbook: string, extra: string[] = [], env: Record<string, string> = {}): ReturnType<typeof tsplayJson> =>
  tsplayJson(['run', join(dir, playbook), '-i', LAB_INVENTORY, ...extra], { env, timeoutMs: 180_000 })

const hostResult = (json: JsonRun, task: string, host: string): Record<string, unknown> =>
  json.plays.flatMap((p) => p.tasks).find((t) => t.task.name === task)?.hosts[host] ?? {}

describe('tsplay run on lab hosts', () => {
  it('runs a playbook on three hosts at the same time', async () => {
    const r = await run('parallel.yml')
    expect(r.code, r.stderr).toBe(0)
    const spans = ['lab-a', 'lab-b', 'lab-c'].map((h) => String(hostResult(r.json, 'two seconds of work', h)['stdout']).split('\n').map(Number))
    const latestStart = Math.max(...spans.map(([start = 0]) => start))
    const earliestEnd = Math.min(...spans.map(([, end = 0]) => end))
    // Run one after another, the last host would start after the first one ended.
    expect(latestStart).toBeLessThan(earliestEnd)
  })

  it('gathers the right facts: Debian 12, the lab address as default IPv4, the hostname', async () => {
    const r = await run('facts.yml')
    expect(r.code, r.stderr).toBe(0)
    for (const host of ['lab-a', 'lab-b', 'lab-c']) {
      expect(hostResult(r.json, 'facts', host)['msg']).toBe(`Debian|12|${ADDRESSES[host]}|${host}|Debian`)
    }
  })

  it('refuses a host whose key is not known, and one whose key changed', async () => {
    // Only the files given: an empty HOME has no ~/.ssh/known_hosts to fall back on.
    const home = mkdtempSync(join(tmpdir(), 'tsplay-lab-home-'))
    writeFileSync(join(home, 'empty'), '')
    const unknown = await run('facts.yml', ['-l', 'lab-a', '-e', `tsplay_known_hosts_file=${join(home, 'empty')}`], { HOME: home })
    expect(unknown.code).toBe(4)
    expect(unknown.json.stats['lab-a']?.unreachable).toBe(1)
    expect(String(hostResult(unknown.json, 'Gathering Facts', 'lab-a')['msg'])).toMatch(/not in known_hosts/)

    // lab-b's genuine key recorded for lab-a's address: as if someone else answered there.
    writeFileSync(join(home, 'wrong'), `${ADDRESSES['lab-a']} ${knownHosts().get(ADDRESSES['lab-b'] as string)}\n`)
    const changed = await run('facts.yml', ['-l', 'lab-a', '-e', `tsplay_known_hosts_file=${join(home, 'wrong')}`], { HOME: home })
    expect(changed.code).toBe(4)
    expect(String(hostResult(changed.json, 'Gathering Facts', 'lab-a')['msg'])).toMatch(/CHANGED/)
  })

  it('lets the other hosts finish when a task fails on one, and exits 2', async () => {
    const r = await run('one-fails.yml')
    expect(r.code).toBe(2)
    expect(statuses(r.json)).toEqual([
      ['fails on lab-b only', { 'lab-a': 'ok', 'lab-b': 'failed', 'lab-c': 'ok' }],
      ['after the failure', { 'lab-a': 'ok', 'lab-c': 'ok' }],
    ])
    expect(r.json.stats['lab-b']).toMatchObject({ failed: 1, unreachable: 0 })
  })

  it('reports a host stopped mid-run as unreachable while the others finish, and exits 4', async () => {
    const started = Date.now()
    const running = run('slow.yml')
    // Stop the host once the slow task runs there: the connection dies with no goodbye.
    await until('the sleep running on lab-d', () => execFileSync('docker', ['exec', container('lab-d'), 'pgrep', '-x', 'sleep'], { stdio: 'pipe' }).length > 0, 30_000)
    execFileSync('docker', ['kill', container('lab-d')])
    const r = await running
    expect(r.code, r.stdout).toBe(4)
    expect(r.json.stats['lab-d']).toMatchObject({ unreachable: 1, failed: 0 })
    for (const host of ['lab-a', 'lab-b', 'lab-c']) expect(r.json.stats[host]).toMatchObject({ ok: 2, unreachable: 0, failed: 0 })
    expect(hostResult(r.json, 'a slow task', 'lab-d')['status']).toBe('unreachable')
    expect(String(hostResult(r.json, 'a slow task', 'lab-d')['msg'])).toMatch(/connection lost/)
    expect(Date.now() - started).toBeLessThan(60_000)
    // lab up boots a stopped host again.
    const up = await lab(['up'])
    expect(up.stdout).toMatch(/lab-d\s+198\.18\.1\.14\s+started/)
  }, 120_000)

  it('reports a host that freezes mid-run as unreachable once keepalives go unanswered', async () => {
    const started = Date.now()
    const running = run('slow.yml')
    await until('the sleep running on lab-d', () => execFileSync('docker', ['exec', container('lab-d'), 'pgrep', '-x', 'sleep'], { stdio: 'pipe' }).length > 0, 30_000)
    // Paused, the host keeps its TCP connection but answers nothing, like a machine that hangs.
    execFileSync('docker', ['pause', container('lab-d')])
    const r = await running
    expect(r.code, r.stdout).toBe(4)
    expect(String(hostResult(r.json, 'a slow task', 'lab-d')['msg'])).toMatch(/keepalive/)
    for (const host of ['lab-a', 'lab-b', 'lab-c']) expect(r.json.stats[host]).toMatchObject({ ok: 2, failed: 0 })
    expect(Date.now() - started).toBeLessThan(60_000)
    const up = await lab(['up'])
    expect(up.stdout).toMatch(/lab-d\s+198\.18\.1\.14\s+resumed/)
  }, 120_000)

  it('replaces a host with a fresh one, whose new key is recorded and checked', async () => {
    const before = knownHosts().get(ADDRESSES['lab-d'] as string)
    const up = await lab(['up', '--fresh', 'victim'])
    expect(up.code, up.stderr).toBe(0)
    expect(up.stdout).toMatch(/lab-d\s+198\.18\.1\.14\s+replaced/)
    const after = knownHosts().get(ADDRESSES['lab-d'] as string)
    expect(after).toMatch(/^ssh-ed25519 /)
    expect(after).not.toBe(before)
    const r = await run('victim.yml')
    expect(r.code, r.stderr).toBe(0)
    expect(hostResult(r.json, 'hostname', 'lab-d')['stdout']).toBe('lab-d')
  })
})

