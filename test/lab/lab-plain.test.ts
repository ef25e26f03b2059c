/**
 * `tsplay lab up` on inventories of bare host names, as a Molecule user would write them: no
 * addresses, no subnet, no key paths. Two such labs up at once; each reached by `run`, `test`,
 * `lab ssh` and ansible-playbook with no other file; one taken down, the other still working.
 */
import { execFile } from 'node:child_process'
import { existsSync, mkdtempSync, readFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { promisify } from 'node:util'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { tsplay, tsplayJson, writeTree } from '../helpers/cli.js'

const run = promisify(execFile)
const UP_MS = 15 * 60_000
/** The `tsplay-labtest-` prefix lets scripts/lab-teardown.sh find these labs after a crash. */
const one = mkdtempSync(join(tmpdir(), 'tsplay-labtest-plain-'))
const two = mkdtempSync(join(tmpdir(), 'tsplay-labtest-other-'))
const ONE = join(one, 'hosts.ini')
const TWO = join(two, 'inventory')

writeTree(one, {
  'hosts.ini': '[probe]\nhold1\nhold2\n',
  'site.yml': '- hosts: probe\n  gather_facts: false\n  tasks:\n    - command: hostname\n      register: name\n      changed_when: false\n',
  'roles/motd/tasks/main.yml': '- copy: { dest: /etc/motd, content: "a lab host\\n" }\n',
  'roles/motd/tests/verify.yml': '- command: grep -qx "a lab host" /etc/motd\n  changed_when: false\n',
})
writeTree(two, { 'inventory/hosts': 'solo\n', 'site.yml': '- hosts: all\n  gather_facts: false\n  tasks:\n    - command: hostname\n      changed_when: false\n' })

function hostnames(r: Awaited<ReturnType<typeof tsplayJson>>): Record<string, unknown> {
  const hosts = r.json.plays[0]?.tasks[0]?.hosts ?? {}
  return Object.fromEntries(Object.entries(hosts).map(([h, result]) => [h, result['stdout']]))
}

beforeAll(async () => {
  const [a, b] = await Promise.all([tsplay(['lab', 'up', '-i', ONE], { timeoutMs: UP_MS }), tsplay(['lab', 'up', '-i', TWO], { timeoutMs: UP_MS })])
  expect(a.code, a.stdout + a.stderr).toBe(0)
  expect(b.code, b.stdout + b.stderr).toBe(0)
}, UP_MS)

afterAll(async () => {
  await tsplay(['lab', 'down', '-i', ONE], { timeoutMs: 120_000 })
  await tsplay(['lab', 'down', '-i', TWO], { timeoutMs: 120_000 })
}, 240_000)

describe('a lab from an inventory of bare names', () => {
  it('records addresses in a free subnet of its own, the key, known_hosts and an Ansible inventory in .lab/', () => {
    const stateOne = JSON.parse(readFileSync(join(one, '.lab', 'hosts.ini', 'lab.json'), 'utf8')) as { subnet: string; network: string; hosts: { name: string; address: string }[] }
    const stateTwo = JSON.parse(readFileSync(join(two, 'inventory', '.lab', 'lab.json'), 'utf8')) as { subnet: string; network: string }
    expect(stateOne.hosts.map((h) => h.name)).toEqual(['hold1', 'hold2'])
    expect(stateOne.subnet).not.toBe(stateTwo.subnet)
    expect(stateOne.network).not.toBe(stateTwo.network)
    for (const file of ['id_ed25519', 'known_hosts', 'ssh_config', 'ansible-inventory.ini']) expect(existsSync(join(one, '.lab', 'hosts.ini', file)), file).toBe(true)
  })

  it('is reached by tsplay run with no edits, host keys checked, and says it is using lab hosts', async () => {
    const r = await tsplayJson(['run', join(one, 'site.yml'), '-i', ONE])
    expect(r.code, r.stdout + r.stderr).toBe(0)
    expect(hostnames(r)).toEqual({ hold1: 'hold1', hold2: 'hold2' })
    expect(r.stderr.match(/using lab hosts from .*\.lab\/hosts\.ini\/ for 2 hosts/g)).toHaveLength(1)
  })

  it('is tested by tsplay test and entered by tsplay lab ssh', async () => {
    const t = await tsplay(['test', join(one, 'roles', 'motd'), '-i', ONE, '--hosts', 'probe'], { timeoutMs: 300_000 })
    expect(t.code, t.stdout + t.stderr).toBe(0)
    expect(t.stdout).toMatch(/verify\s+passed/)
    const ssh = await tsplay(['lab', 'ssh', 'hold2', '-i', ONE, '--', 'cat', '/etc/motd'])
    expect(ssh.code, ssh.stderr).toBe(0)
    expect(ssh.stdout).toBe('a lab host\n')
  }, 300_000)

  it('is reached by ansible-playbook through the inventory lab up wrote', async () => {
    const lab = join(one, '.lab', 'hosts.ini', 'ansible-inventory.ini')
    const { stdout } = await run('ansible', ['-i', ONE, '-i', lab, 'probe', '-m', 'command', '-a', 'cat /etc/motd', '-o'], { env: { ...process.env, ANSIBLE_HOST_KEY_CHECKING: 'true' } })
    expect(stdout).toMatch(/hold1 \| CHANGED \| rc=0 \| \(stdout\) a lab host/)
    expect(stdout).toMatch(/hold2 \| CHANGED \| rc=0 \| \(stdout\) a lab host/)
  }, 120_000)

  it('goes down alone: the other lab keeps working, and its inventory no longer means lab hosts', async () => {
    const down = await tsplay(['lab', 'down', '-i', TWO], { timeoutMs: 120_000 })
    expect(down.code, down.stderr).toBe(0)
    const still = await tsplayJson(['run', join(one, 'site.yml'), '-i', ONE])
    expect(still.code, still.stdout + still.stderr).toBe(0)
    expect(hostnames(still)).toEqual({ hold1: 'hold1', hold2: 'hold2' })
    // A lab that is down lends nothing: `solo` is only a name again, and no run says "lab hosts".
    const host = await tsplay(['inventory', '-i', TWO, '--host', 'solo'])
    expect(JSON.parse(host.stdout)).toEqual({})
    const gone = await tsplay(['run', join(two, 'site.yml'), '-i', TWO, '-T', '3'])
    expect(gone.code).toBe(4)
    expect(gone.stderr).not.toMatch(/lab hosts/)
  }, 180_000)
})
