/**
 * `become_method: su` on a real Debian host, as an unprivileged user who knows root's password
 * (no sudo rule): the command runs as root or as another user, the password travels only on
 * su's stdin (never in `ps` on the host, never in tsplay's -vvvv output), and a wrong one is a
 * quick, clear "Incorrect su password" on that host, not a hang.
 *
 * The same host's two accounts and two sshd ports also prove task-level `remote_user` and
 * `port`: one task logs in as the other account or on the other port, the next is back on the
 * play's own session, and a closed port makes that task unreachable.
 */
import { appendFileSync, mkdtempSync, readFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { tsplay, tsplayJson, writeTree } from '../helpers/cli.js'

const UP_MS = 15 * 60_000
/** The `tsplay-labtest-` prefix lets scripts/lab-teardown.sh find this lab after a crash. */
const dir = mkdtempSync(join(tmpdir(), 'tsplay-labtest-su-'))
const LAB = join(dir, 'hosts.ini')
const AS_ALICE = join(dir, 'alice', 'hosts.yml')
/** The host with no ansible_user: the play's and tasks' remote_user choose the account (a variable would win over them, as in Ansible). */
const NO_USER = join(dir, 'nouser', 'hosts.yml')
const ROOT_PW = `Root-su-${process.pid}-x9`
const BOB_PW = `Bob-su-${process.pid}-q4`
const files = {
  root: join(dir, 'root.pw'),
  bob: join(dir, 'bob.pw'),
  wrong: join(dir, 'wrong.pw'),
}

const asRoot = `- hosts: suhost
  gather_facts: false
  become: true
  become_method: su
  tasks:
    - command: whoami
      register: who
    - copy: { dest: /tmp/written-by-su, content: "made under su\\n" }
    - command: stat -c %U:%G /tmp/written-by-su
      register: owner
    # Keeps su alive for a moment, so that ps on the host sees its command line.
    - command: sleep 3
`
const asBob = `- hosts: suhost
  gather_facts: false
  tasks:
    - command: whoami
      register: who
      become: true
      become_method: su
      become_user: bob
`

writeTree(dir, {
  'hosts.ini': '[su]\nsuhost\n',
  'root.yml': asRoot,
  'bob.yml': asBob,
  'plain.yml': '- hosts: suhost\n  gather_facts: false\n  tasks:\n    - command: whoami\n',
  'root.pw': `${ROOT_PW}\n`,
  'bob.pw': `${BOB_PW}\n`,
  'wrong.pw': 'not-the-password\n',
  'sessions.yml': `- hosts: suhost
  gather_facts: false
  remote_user: root
  tasks:
    - command: whoami
      register: play_user
    - command: whoami
      remote_user: alice
      register: task_user
    - command: whoami
      register: after_user
    - shell: echo "$SSH_CONNECTION"
      port: 2222
      register: on_port
    - shell: echo "$SSH_CONNECTION"
      register: after_port
    - command: "true"
      port: 2299
      ignore_unreachable: true
`,
})

function labSsh(command: string, input?: string): ReturnType<typeof tsplay> {
  return tsplay(['lab', 'ssh', 'suhost', '-i', LAB, '--', command], input !== undefined ? { input } : {})
}

beforeAll(async () => {
  const up = await tsplay(['lab', 'up', '-i', LAB], { timeoutMs: UP_MS })
  expect(up.code, up.stdout + up.stderr).toBe(0)
  // alice logs in with the lab's key and has no sudo rule; bob is only someone to become.
  const users = await labSsh(
    'useradd -m -s /bin/bash alice && useradd -m -s /bin/bash bob && install -d -o alice -m 700 /home/alice/.ssh && ' +
      'install -o alice -m 600 /root/.ssh/authorized_keys /home/alice/.ssh/authorized_keys',
  )
  expect(users.code, users.stderr).toBe(0)
  const passwords = await labSsh('chpasswd', `root:${ROOT_PW}\nbob:${BOB_PW}\nalice:Alice-${process.pid}\n`)
  expect(passwords.code, passwords.stderr).toBe(0)
  const state = JSON.parse(readFileSync(join(dir, '.lab', 'hosts.ini', 'lab.json'), 'utf8')) as { hosts: { name: string; address: string }[] }
  const address = state.hosts[0]?.address
  // sshd on a second port; its host key known for that port as OpenSSH writes it ([address]:2222).
  const ports = await labSsh("printf 'Port 22\\nPort 2222\\n' > /etc/ssh/sshd_config.d/ports.conf && systemctl reload ssh && sleep 1 && ss -ltn | grep -q ':2222 '")
  expect(ports.code, ports.stdout + ports.stderr).toBe(0)
  const knownHosts = join(dir, '.lab', 'hosts.ini', 'known_hosts')
  const keyLines = readFileSync(knownHosts, 'utf8').split('\n').filter((l) => l.startsWith(`${address} `))
  expect(keyLines.length).toBeGreaterThan(0)
  appendFileSync(knownHosts, keyLines.map((l) => l.replace(`${address} `, `[${address}]:2222 `)).join('\n') + '\n')
  // A second, plain inventory: the same host reached as alice (the lab's own inventory means root).
  writeTree(dir, {
    'alice/hosts.yml': `all:\n  hosts:\n    suhost:\n      ansible_host: ${address}\n      ansible_user: alice\n      ansible_ssh_private_key_file: ${join(dir, '.lab', 'hosts.ini', 'id_ed25519')}\n      tsplay_known_hosts_file: ${join(dir, '.lab', 'hosts.ini', 'known_hosts')}\n`,
    'nouser/hosts.yml': `all:\n  hosts:\n    suhost:\n      ansible_host: ${address}\n      ansible_ssh_private_key_file: ${join(dir, '.lab', 'hosts.ini', 'id_ed25519')}\n      tsplay_known_hosts_file: ${join(dir, '.lab', 'hosts.ini', 'known_hosts')}\n`,
  })
}, UP_MS)

afterAll(async () => {
  await tsplay(['lab', 'down', '-i', LAB], { timeoutMs: 120_000 })
}, 180_000)

/** Every command line on the host, sampled every 100 ms for about `seconds`. */
async function samplePs(seconds: number): Promise<string> {
  const r = await tsplay(['lab', 'ssh', 'suhost', '-i', LAB, '--', `for i in $(seq 1 ${seconds * 10}); do ps -eo user,args; sleep 0.1; done`], { timeoutMs: (seconds + 30) * 1000 })
  expect(r.code, r.stderr).toBe(0)
  return r.stdout
}

describe('become_method su on a lab host, as a user with no sudo', () => {
  it('runs as root with the root password: whoami is root, a file written is root-owned', async () => {
    const run = await tsplayJson(['run', join(dir, 'root.yml'), '-i', AS_ALICE, '--become-password-file', files.root])
    expect(run.code, run.stdout + run.stderr).toBe(0)
    const [who, , owner] = run.json.plays[0]?.tasks ?? []
    expect(who?.hosts['suhost']?.['stdout']).toBe('root')
    expect(owner?.hosts['suhost']?.['stdout']).toBe('root:root')
    // Without become, the same inventory is alice: the root result came from su, not the login.
    const plain = await tsplayJson(['run', join(dir, 'plain.yml'), '-i', AS_ALICE])
    expect(plain.json.plays[0]?.tasks[0]?.hosts['suhost']?.['stdout']).toBe('alice')
  }, 120_000)

  it('never shows the password: not in ps on the host during the run, not in -vvvv output', async () => {
    const sampling = samplePs(15)
    const [run, ps] = await Promise.all([tsplay(['run', join(dir, 'root.yml'), '-i', AS_ALICE, '--become-password-file', files.root, '-vvvv']), sampling])
    expect(run.code, run.stdout + run.stderr).toBe(0)
    // The sampler did see su at work (so not seeing the password means something).
    expect(ps).toMatch(/su -l -s \/bin\/sh root -c/)
    expect(ps).not.toContain(ROOT_PW)
    // -vvvv shows each command the host runs (so the password would be there if it went on one).
    expect(run.stdout + run.stderr).toMatch(/<suhost> .*whoami/)
    expect(run.stdout + run.stderr).not.toContain(ROOT_PW)
  }, 120_000)

  it('fails quickly and clearly on a wrong password, naming the host', async () => {
    const started = Date.now()
    const run = await tsplay(['run', join(dir, 'root.yml'), '-i', AS_ALICE, '--become-password-file', files.wrong])
    const seconds = (Date.now() - started) / 1000
    expect(run.code, run.stdout + run.stderr).toBe(2)
    expect(run.stdout).toMatch(/suhost/)
    expect(run.stdout).toContain('Incorrect su password for become user root on host suhost')
    expect(seconds).toBeLessThan(20)
    expect(run.stdout + run.stderr).not.toContain('not-the-password')
  }, 60_000)

  it('becomes another user with become_user and that user\'s password', async () => {
    const run = await tsplayJson(['run', join(dir, 'bob.yml'), '-i', AS_ALICE, '--become-password-file', files.bob])
    expect(run.code, run.stdout + run.stderr).toBe(0)
    expect(run.json.plays[0]?.tasks[0]?.hosts['suhost']?.['stdout']).toBe('bob')
  }, 60_000)
})

describe('task-level remote_user and port, over real SSH to the same host', () => {
  it('one task logs in as the other account or on the other port; the next is back on the play\'s session', async () => {
    const run = await tsplayJson(['run', join(dir, 'sessions.yml'), '-i', NO_USER])
    expect(run.code, run.stdout + run.stderr).toBe(0)
    const [playUser, taskUser, afterUser, onPort, afterPort, closed] = (run.json.plays[0]?.tasks ?? []).map((t) => t.hosts['suhost'])
    expect(playUser?.['stdout']).toBe('root')
    expect(taskUser?.['stdout']).toBe('alice')
    expect(afterUser?.['stdout']).toBe('root')
    expect(String(onPort?.['stdout'])).toMatch(/ 2222$/)
    expect(String(afterPort?.['stdout'])).toMatch(/ 22$/)
    expect(closed?.['unreachable']).toBe(true)
  }, 120_000)

  it("an inventory's ansible_user wins over the task's remote_user, as in Ansible", async () => {
    const run = await tsplayJson(['run', join(dir, 'sessions.yml'), '-i', AS_ALICE])
    expect(run.code, run.stdout + run.stderr).toBe(0)
    const [playUser, taskUser] = (run.json.plays[0]?.tasks ?? []).map((t) => t.hosts['suhost'])
    expect(playUser?.['stdout']).toBe('alice')
    expect(taskUser?.['stdout']).toBe('alice')
  }, 120_000)
})
