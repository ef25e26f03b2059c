/**
 * Playbooks over real SSH: Debian's OpenSSH server on a loopback port with its own host key,
 * tsplay connecting with host key checking on.
 */
import { existsSync, mkdtempSync, readdirSync, readFileSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { startSshd, type Sshd } from '../helpers/sshd.js'
import { statuses, totalChanged, tsplay, tsplayJson, writeTree } from '../helpers/cli.js'

let sshd: Sshd
let dir: string

beforeAll(async () => {
  sshd = await startSshd()
})
afterAll(async () => {
  await sshd?.stop()
})

function inventory(names: string[]): string {
  const lines = names.map((n) => `${n} ansible_host=127.0.0.1 ansible_port=${sshd.port} ansible_user=${sshd.user} ansible_ssh_private_key_file=${sshd.keyFile}`)
  return `[servers]\n${lines.join('\n')}\n`
}

const SITE = `- hosts: servers
  gather_facts: true
  vars:
    root: "{{ target }}/{{ inventory_hostname }}"
  tasks:
    - file: { path: "{{ root }}", state: directory, mode: "0755" }
    - template: { src: app.conf.ejs, dest: "{{ root }}/app.conf", mode: "0640" }
      notify: reload
    - lineinfile: { path: "{{ root }}/tuning.conf", regexp: "^#?tuning=", line: "tuning={{ level }}", create: true }
    - command: { cmd: "touch {{ root }}/.init", creates: "{{ root }}/.init" }
    - copy: { dest: "{{ root }}/facts", content: "{{ ansible_distribution }} {{ ansible_default_ipv4.address is defined }}\\n" }
  handlers:
    - name: reload
      shell: echo reloaded >> "{{ root }}/reload.log"
`

function run(extra: string[] = [], names = ['srv1', 'srv2']) {
  writeTree(dir, { hosts: inventory(names) })
  return tsplayJson(['run', 'site.yml', '-i', 'hosts', '--known-hosts', sshd.knownHostsFile, '-e', `target=${dir}/out`, ...extra], { cwd: dir })
}

describe('over SSH', () => {
  beforeAll(() => {
    dir = mkdtempSync(join(tmpdir(), 'tsplay-ssh-'))
    writeTree(dir, {
      'site.yml': SITE,
      'templates/app.conf.ejs': 'name=<%= inventory_hostname %>\nport=<%= port %>\n',
    })
  })

  it('converges two hosts in parallel, then a re-run changes nothing', async () => {
    const first = await run(['-e', 'port=80', '-e', 'level=warn'])
    expect(first.code, first.stdout + first.stderr).toBe(0)
    expect(readFileSync(join(dir, 'out/srv1/app.conf'), 'utf8')).toBe('name=srv1\nport=80\n')
    expect(readFileSync(join(dir, 'out/srv1/tuning.conf'), 'utf8')).toBe('tuning=warn\n')
    expect(readFileSync(join(dir, 'out/srv2/reload.log'), 'utf8')).toBe('reloaded\n')
    expect(readFileSync(join(dir, 'out/srv2/facts'), 'utf8')).toMatch(/^Debian True\n$/)
    const again = await run(['-e', 'port=80', '-e', 'level=warn'])
    expect(again.code).toBe(0)
    expect(totalChanged(again.json)).toBe(0)
    // Atomic writes leave no temporary files behind.
    expect(readdirSync(join(dir, 'out/srv1')).filter((f) => f.startsWith('.tsplay'))).toEqual([])
  })

  it('check mode on a changed input predicts the change with a diff and writes nothing', async () => {
    const before = readFileSync(join(dir, 'out/srv1/app.conf'), 'utf8')
    const check = await run(['-e', 'port=81', '-e', 'level=warn', '--check', '--diff'])
    expect(check.code).toBe(0)
    expect(readFileSync(join(dir, 'out/srv1/app.conf'), 'utf8')).toBe(before)
    const template = check.json.plays[0]?.tasks.find((t) => t.task.name === 'template')
    const diff = (template?.hosts['srv1']?.['diff'] as { before: string; after: string }[] | undefined)?.[0]
    expect(diff?.before).toContain('port=80')
    expect(diff?.after).toContain('port=81')
    const real = await run(['-e', 'port=81', '-e', 'level=warn'])
    // Every module task is predicted exactly; the shell handler cannot know and says so (skipped).
    const modules = (r: typeof real) => statuses(r.json).filter(([name]) => name !== 'reload')
    expect(modules(real)).toEqual(modules(check))
    expect(statuses(check.json).find(([name]) => name === 'reload')?.[1]).toEqual({ srv1: 'skipped', srv2: 'skipped' })
    expect(statuses(real.json).find(([name]) => name === 'reload')?.[1]).toEqual({ srv1: 'changed', srv2: 'changed' })
    expect(readFileSync(join(dir, 'out/srv1/reload.log'), 'utf8')).toBe('reloaded\nreloaded\n')
  })

  it('refuses a host whose key is not known, as unreachable, exit 4, while others finish', async () => {
    writeTree(dir, { hosts: inventory(['srv1']) + `stranger ansible_host=127.0.0.1 ansible_port=${sshd.port} ansible_user=${sshd.user} ansible_ssh_private_key_file=${sshd.keyFile}\n` })
    const emptyKnown = join(dir, 'known-empty')
    writeFileSync(emptyKnown, '')
    // srv1's key is pinned in its own file; 'stranger' has only the empty one.
    writeTree(dir, { 'host_vars/srv1.yml': `tsplay_known_hosts_file: ${sshd.knownHostsFile}\n` })
    const result = await tsplay(['run', 'site.yml', '-i', 'hosts', '-e', `target=${dir}/out`, '-e', 'port=81', '-e', 'level=warn'], {
      cwd: dir,
      env: { HOME: dir, TSPLAY_KNOWN_HOSTS: emptyKnown },
    })
    expect(result.code).toBe(4)
    expect(result.stdout).toMatch(/fatal: \[stranger\]: UNREACHABLE!.*not in known_hosts/)
    expect(result.stdout).toMatch(/srv1\s+: ok=\d+\s+changed=0\s+unreachable=0\s+failed=0/)
    expect(result.stdout).toMatch(/stranger\s+: ok=0\s+changed=0\s+unreachable=1/)
  })

  it('becomes another user through sudo', async () => {
    writeTree(dir, {
      'become.yml': `- hosts: servers
  gather_facts: false
  tasks:
    - command: id -un
      become: true
      become_user: nobody
      register: who
    - assert: { that: "who.stdout == 'nobody'" }
`,
    })
    const result = await tsplayJson(['run', 'become.yml', '-i', 'hosts', '--known-hosts', sshd.knownHostsFile], { cwd: dir })
    expect(result.code, result.stdout).toBe(0)
    expect(result.json.plays[0]?.tasks[0]?.hosts['srv1']?.['stdout']).toBe('nobody')
  })

  it('stops cleanly on Ctrl-C with exit 99 and runs no further task', async () => {
    writeTree(dir, {
      hosts: inventory(['srv1']),
      'slow.yml': `- hosts: servers
  gather_facts: false
  tasks:
    - shell: "touch {{ target }}/started; sleep 2"
    - copy: { dest: "{{ target }}/after-interrupt", content: x }
`,
    })
    let pid = 0
    const pending = tsplay(['run', 'slow.yml', '-i', 'hosts', '--known-hosts', sshd.knownHostsFile, '-e', `target=${dir}`], { cwd: dir, onSpawn: (p) => (pid = p) })
    for (let i = 0; i < 100 && !existsSync(join(dir, 'started')); i++) await new Promise((r) => setTimeout(r, 100))
    process.kill(pid, 'SIGINT')
    const result = await pending
    expect(result.code).toBe(99)
    expect(existsSync(join(dir, 'after-interrupt'))).toBe(false)
  })
})
