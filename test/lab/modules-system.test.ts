/**
 * The system modules (apt, package, group, user, sysctl, systemd, service, mount) over real
 * SSH on a fresh Debian 12 lab host: --check --diff predicts every change and writes nothing,
 * the real run does exactly what was predicted (read back on the host with dpkg, getent,
 * sysctl, systemctl, findmnt), a second run changes nothing, and bad arguments stop the run
 * before any host is contacted.
 *
 * The host is in a lab of its own (test/fixtures/system/lab: network tsplay-lab-modules),
 * so installing packages and adding users never races the shared test lab's apt or checks.
 */
import { execFileSync } from 'node:child_process'
import { mkdtempSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { ROOT, statuses, totalChanged, tsplay, tsplayJson, writeTree, type JsonRun } from '../helpers/cli.js'
import { freshHosts } from './harness.js'

const INVENTORY = join(ROOT, 'test', 'fixtures', 'system', 'lab')
const CONTAINER = 'tsplay-lab-modules-mod-a'
/** `openssl passwd -6 -salt tsplaysalt secret` */
const HASH = '$6$tsplaysalt$bWGEBNMPlpRcOUcBgEsouSYLl1mtbT6Anw0G0zrR8QuBnfmkLhUbuLaeVJWHlHA4VYfll1bB4vuvnYUafzpVd.'

/** Runs a command on the lab host, outside tsplay: what the host really looks like. */
function onHost(command: string): { code: number; out: string } {
  try {
    return { code: 0, out: execFileSync('docker', ['exec', CONTAINER, 'sh', '-c', command], { stdio: 'pipe' }).toString() }
  } catch (err) {
    const e = err as { status?: number; stdout?: Buffer }
    return { code: e.status ?? 1, out: e.stdout?.toString() ?? '' }
  }
}

let dir: string
const run = (playbook: string, extra: string[] = []): ReturnType<typeof tsplayJson> =>
  tsplayJson(['run', join(dir, playbook), '-i', INVENTORY, ...extra], { timeoutMs: 300_000 })

const UNIT = `[Unit]
Description=tsplay module test service
[Service]
User=tsp-svc
ExecStart=/bin/sleep infinity
[Install]
WantedBy=multi-user.target
`

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'tsplay-lab-modules-'))
  writeTree(dir, {
    'converge.yml': `- hosts: modules
  gather_facts: true
  vars:
    params:
      net.core.somaxconn: 1024
      net.ipv4.tcp_fin_timeout: 30
      net.ipv4.ip_local_port_range: "20000 60999"
  tasks:
    - name: package
      apt: { name: tree, update_cache: true, cache_valid_time: 3600 }
    - name: package again through package
      package: { name: tree, state: present }
    - name: group
      group: { name: tsp-svc, system: true }
    - name: user
      user:
        name: tsp-svc
        group: tsp-svc
        groups: []
        system: true
        shell: /usr/sbin/nologin
        home: /var/lib/tsp-svc
        create_home: false
        comment: tsplay test
        password: "${HASH}"
    - name: data directory owned by the new user
      file: { path: /var/lib/tsp-svc, state: directory, owner: tsp-svc, group: tsp-svc, mode: "0750" }
    - name: kernel parameters
      sysctl: { name: "{{ item.key }}", value: "{{ item.value }}", sysctl_file: /etc/sysctl.d/60-tsplay.conf }
      loop: "{{ params | dict2items }}"
    - name: unit file
      copy: { dest: /etc/systemd/system/tsp-svc.service, content: ${JSON.stringify(UNIT)}, mode: "0644" }
      register: unit
    - name: daemon-reload
      systemd: { daemon_reload: true }
      when: unit is changed
    - name: service enabled and started
      systemd: { name: tsp-svc, state: started, enabled: true }
    - name: service module agrees
      service: { name: tsp-svc, state: started, enabled: true }
    - name: scratch tmpfs
      mount: { path: /mnt/tsp-scratch, src: tmpfs, fstype: tmpfs, opts: "size=1m,mode=0755", state: mounted }
`,
    'teardown.yml': `- hosts: modules
  gather_facts: false
  tasks:
    - { name: unmount, mount: { path: /mnt/tsp-scratch, state: absent } }
    - { name: stop service, systemd: { name: tsp-svc, state: stopped, enabled: false } }
    - { name: kernel parameter out of the file, sysctl: { name: net.core.somaxconn, state: absent, sysctl_file: /etc/sysctl.d/60-tsplay.conf } }
    - { name: user away, user: { name: tsp-svc, state: absent } }
    - { name: group away, group: { name: tsp-svc, state: absent } }
    - { name: package away, apt: { name: tree, state: absent, purge: true } }
`,
    'bad-choice.yml': `- hosts: all
  gather_facts: false
  tasks:
    - name: a state systemd does not have
      systemd: { name: ssh, state: bogus }
`,
    'bad-missing.yml': `- hosts: all
  gather_facts: false
  tasks:
    - name: no name
      sysctl: { value: 1 }
`,
  })
  // A fresh host every run: the check-mode test needs one that has none of this yet.
  await freshHosts('mod-a', INVENTORY)
}, 15 * 60_000)

afterAll(async () => {
  const down = await tsplay(['lab', 'down', '-i', INVENTORY], { timeoutMs: 120_000 })
  expect(down.code, down.stderr).toBe(0)
}, 120_000)

/** What the host holds of everything converge.yml manages (so a check run can be shown to change none of it). */
function hostState(): string {
  return [
    'dpkg-query -W -f "\\${db:Status-Abbrev}" tree',
    'getent passwd tsp-svc; getent group tsp-svc; getent shadow tsp-svc',
    'stat -c "%U %a" /var/lib/tsp-svc',
    'cat /etc/sysctl.d/60-tsplay.conf; sysctl -n net.core.somaxconn net.ipv4.ip_local_port_range',
    'cat /etc/systemd/system/tsp-svc.service; systemctl is-active tsp-svc; systemctl is-enabled tsp-svc',
    'findmnt -n /mnt/tsp-scratch; grep tsp-scratch /etc/fstab',
  ]
    .map((c) => onHost(`${c} 2>&1`).out)
    .join('\n--\n')
}

const taskStatuses = (json: JsonRun): [string, Record<string, string>][] => statuses(json).filter(([name]) => name !== 'Gathering Facts')

describe('system modules on a real Debian host', () => {
  let predicted: [string, Record<string, string>][] = []

  it('--check --diff predicts every change, with diffs, and writes nothing', async () => {
    const before = hostState()
    const r = await run('converge.yml', ['--check', '--diff'])
    expect(r.code, r.stdout + r.stderr).toBe(0)
    predicted = taskStatuses(r.json)
    expect(predicted.filter(([, s]) => s['mod-a'] === 'changed').map(([name]) => name)).toEqual([
      'package',
      'group',
      'user',
      'data directory owned by the new user',
      'kernel parameters',
      'unit file',
      'daemon-reload',
      'service enabled and started',
      'scratch tmpfs',
    ])
    const diffOf = (task: string): string => JSON.stringify(r.json.plays[0]?.tasks.find((t) => t.task.name === task)?.hosts['mod-a']?.['diff'])
    expect(diffOf('scratch tmpfs')).toContain('tmpfs /mnt/tsp-scratch tmpfs size=1m,mode=0755 0 0')
    expect(diffOf('service enabled and started')).toContain('"after":"state: active\\nenabled: enabled\\n"')
    expect(diffOf('user')).toContain('shell: /usr/sbin/nologin')
    expect(hostState()).toBe(before)
    expect(r.stdout + r.stderr).not.toContain(HASH)
  })

  it('converges: the real run does what check mode predicted, as the host shows', async () => {
    const r = await run('converge.yml', ['-vvvv'])
    expect(r.code, r.stdout + r.stderr).toBe(0)
    expect(taskStatuses(r.json)).toEqual(predicted)
    expect(r.stdout + r.stderr).not.toContain(HASH)

    expect(onHost('dpkg-query -W -f "\\${db:Status-Abbrev}" tree').out).toBe('ii ')
    expect(onHost('getent passwd tsp-svc').out).toMatch(/^tsp-svc:x:\d+:\d+:tsplay test:\/var\/lib\/tsp-svc:\/usr\/sbin\/nologin\n$/)
    expect(onHost('getent shadow tsp-svc | cut -d: -f2').out).toBe(`${HASH}\n`)
    expect(onHost('stat -c "%U:%G %a" /var/lib/tsp-svc').out).toBe('tsp-svc:tsp-svc 750\n')
    expect(onHost('cat /etc/sysctl.d/60-tsplay.conf').out).toBe('net.core.somaxconn=1024\nnet.ipv4.tcp_fin_timeout=30\nnet.ipv4.ip_local_port_range=20000 60999\n')
    expect(onHost('sysctl -n net.core.somaxconn net.ipv4.tcp_fin_timeout net.ipv4.ip_local_port_range').out).toBe('1024\n30\n20000\t60999\n')
    expect(onHost('systemctl is-active tsp-svc; systemctl is-enabled tsp-svc').out).toBe('active\nenabled\n')
    expect(onHost('findmnt -n -o FSTYPE,OPTIONS /mnt/tsp-scratch').out).toMatch(/^tmpfs\s+rw,.*size=1024k/)
    expect(onHost('grep tsp-scratch /etc/fstab').out).toBe('tmpfs /mnt/tsp-scratch tmpfs size=1m,mode=0755 0 0\n')
  })

  it('a second run changes nothing', async () => {
    const r = await run('converge.yml')
    expect(r.code, r.stdout + r.stderr).toBe(0)
    expect(totalChanged(r.json), JSON.stringify(taskStatuses(r.json))).toBe(0)
  })

  it('--check --diff on a changed input predicts that change, and only that', async () => {
    onHost('sysctl -w net.core.somaxconn=4096 && systemctl stop tsp-svc')
    const r = await run('converge.yml', ['--check', '--diff'])
    expect(r.code, r.stdout + r.stderr).toBe(0)
    expect(taskStatuses(r.json).filter(([, s]) => s['mod-a'] === 'changed').map(([name]) => name)).toEqual(['kernel parameters', 'service enabled and started'])
    expect(onHost('sysctl -n net.core.somaxconn; systemctl is-active tsp-svc').out).toBe('4096\ninactive\n')
    const fixed = await run('converge.yml')
    expect(totalChanged(fixed.json)).toBe(2)
  })

  it('takes it all away again, idempotently', async () => {
    const check = await run('teardown.yml', ['--check'])
    const r = await run('teardown.yml')
    expect(r.code, r.stdout + r.stderr).toBe(0)
    expect(taskStatuses(check.json)).toEqual(taskStatuses(r.json))
    // userdel takes the user's own group with it, so the group task finds nothing left to do (and check mode said so).
    expect(totalChanged(r.json)).toBe(5)
    expect(onHost('dpkg-query -W -f "\\${db:Status-Abbrev}" tree; getent passwd tsp-svc; findmnt /mnt/tsp-scratch; test -e /mnt/tsp-scratch').code).not.toBe(0)
    expect(onHost('cat /etc/sysctl.d/60-tsplay.conf').out).toBe('net.ipv4.tcp_fin_timeout=30\nnet.ipv4.ip_local_port_range=20000 60999\n')
    const again = await run('teardown.yml')
    expect(totalChanged(again.json)).toBe(0)
  })

  it.each([
    ['bad-choice.yml', /argument 'state' must be one of: started, stopped, restarted, reloaded, tried-restart; got 'bogus'/],
    ['bad-missing.yml', /missing required argument 'name'/],
  ])('rejects %s before contacting any host (exit 4)', async (playbook, message) => {
    // The inventory names a host that cannot be reached: contacting it would end in exit 4 too, so the message must say it was the load.
    const r = await tsplay(['run', join(dir, playbook), '-i', 'unreachable.invalid,'], { timeoutMs: 60_000 })
    expect(r.code).toBe(4)
    expect(r.stderr).toMatch(message)
    expect(r.stderr).toMatch(new RegExp(`${playbook}:\\d+:\\d+`))
  })
})
