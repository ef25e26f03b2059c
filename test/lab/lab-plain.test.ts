/**
 * `tsplay lab up` on inventories of bare host names, as a Molecule user would write them: no
 * addresses, no subnet, no key paths. Two such labs up at once; each reached by `run`, `test`,
 * `lab ssh` and ansible-playbook with no other file; one taken down, the other still working.
 * The second holds a value vaulted with the lab's password: decrypted with no flag while its lab
 * is up (after the user's own passwords), an error once it is down.
 */
import { execFile } from 'node:child_process'
import { existsSync, mkdtempSync, readFileSync, statSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { promisify } from 'node:util'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { LAB_VAULT_PASSWORD, LAB_VAULT_SECRET } from '../../engine/lab/state.js'
import { formatInlineVault } from '../../engine/vault/inline.js'
import { encryptVault } from '../../engine/vault/keyring.js'
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
/** A `!vault` value of NAME, encrypted with PASSWORD under vault id LABEL, indented for a play's vars. */
const vaulted = (name: string, value: string, label: string, password: string, indent = ''): string =>
  formatInlineVault(encryptVault(value, { label, password: Buffer.from(password), source: 'test' }), name).trimEnd().replace(/^/gm, indent) + '\n'
const LAB_SECRET = 'Lab-Vaulted-Secret-7'
const playWith = (vars: string, that: string): string =>
  `- hosts: all\n  gather_facts: false\n  vars:\n${vars}  tasks:\n    - assert: { that: "${that}", quiet: true }\n`
writeTree(two, {
  'inventory/hosts': 'solo\n',
  'inventory/group_vars/all.yml': vaulted('lab_secret', LAB_SECRET, LAB_VAULT_SECRET.label, LAB_VAULT_PASSWORD),
  'site.yml': `- hosts: all\n  gather_facts: false\n  tasks:\n    - command: hostname\n      changed_when: false\n    - assert: { that: "lab_secret == '${LAB_SECRET}'", quiet: true }\n`,
  'roles/secret/tasks/main.yml': `- assert: { that: "lab_secret == '${LAB_SECRET}'", quiet: true }\n`,
  'user-pw': 'a user password\n',
  // The user's own value (no vault id) beside the lab's: both open.
  'user.yml': playWith(vaulted('user_secret', 'User-Secret-8', 'default', 'a user password', '    '), `user_secret == 'User-Secret-8' and lab_secret == '${LAB_SECRET}'`),
  // A value neither password opens: the error lists the passwords in the order they were tried.
  'other.yml': playWith(vaulted('other_secret', 'Other-Secret-9', 'default', 'nobody has this one', '    '), 'other_secret is defined'),
})
const TWO_VAULT_PASSWORD = join(TWO, '.lab', 'vault-password')

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

  it("writes the lab's vault password file, private; while the lab is up, run and test decrypt lab-vaulted values with no flag", async () => {
    expect(readFileSync(TWO_VAULT_PASSWORD, 'utf8')).toBe(`${LAB_VAULT_PASSWORD}\n`)
    expect(statSync(TWO_VAULT_PASSWORD).mode & 0o777).toBe(0o600)
    const r = await tsplayJson(['run', join(two, 'site.yml'), '-i', TWO])
    expect(r.code, r.stdout + r.stderr).toBe(0)
    expect(r.stdout).not.toContain(LAB_SECRET)
    const t = await tsplay(['test', join(two, 'roles', 'secret'), '-i', TWO, '--hosts', 'solo'], { timeoutMs: 300_000 })
    expect(t.code, t.stdout + t.stderr).toBe(0)
    expect(t.stdout).toMatch(/converge\s+passed/)
  }, 300_000)

  it("tries a user's own --vault-password-file first, then the lab's", async () => {
    const user = await tsplayJson(['run', join(two, 'user.yml'), '-i', TWO, '--vault-password-file', join(two, 'user-pw')])
    expect(user.code, user.stdout + user.stderr).toBe(0)
    const other = await tsplay(['run', join(two, 'other.yml'), '-i', TWO, '--vault-password-file', join(two, 'user-pw')])
    expect(other.code).toBe(1)
    expect(other.stderr).toMatch(/other\.yml:\d+:\d+: cannot decrypt the !vault value: the vault password is wrong/)
    expect(other.stderr).toContain(`tried default from ${join(two, 'user-pw')}, lab from ${TWO_VAULT_PASSWORD})`)
  }, 120_000)

  it('goes down alone: the other lab keeps working, and its inventory no longer means lab hosts', async () => {
    const down = await tsplay(['lab', 'down', '-i', TWO], { timeoutMs: 120_000 })
    expect(down.code, down.stderr).toBe(0)
    const still = await tsplayJson(['run', join(one, 'site.yml'), '-i', ONE])
    expect(still.code, still.stdout + still.stderr).toBe(0)
    expect(hostnames(still)).toEqual({ hold1: 'hold1', hold2: 'hold2' })
    // A lab that is down lends nothing, not even its vault password: the run that passed is a vault error, before any host.
    const locked = await tsplay(['run', join(two, 'site.yml'), '-i', TWO, '-T', '3'])
    expect(locked.code, locked.stderr).toBe(1)
    expect(locked.stderr).toMatch(/^ERROR! \S*inventory\/group_vars\/all\.yml:1:\d+: cannot decrypt the !vault value: it is encrypted with ansible-vault and no vault password was given/)
    // The file stays, as the key does, and opens the value when named: `solo` is only a name again, and no run says "lab hosts".
    const vaultId = ['--vault-id', `lab@${TWO_VAULT_PASSWORD}`]
    const host = await tsplay(['inventory', '-i', TWO, '--host', 'solo', ...vaultId])
    expect(JSON.parse(host.stdout)).toEqual({ lab_secret: '********' })
    const gone = await tsplay(['run', join(two, 'site.yml'), '-i', TWO, '-T', '3', ...vaultId])
    expect(gone.code).toBe(4)
    expect(gone.stderr).not.toMatch(/lab hosts/)
  }, 180_000)
})
