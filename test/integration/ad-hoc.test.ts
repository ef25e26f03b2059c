/**
 * `tsplay ad-hoc` (as `ansible HOSTS -m MODULE -a ARGS`) and `tsplay config dump` (as
 * `ansible-config dump --only-changed`), each run beside the Ansible command on the same
 * inventory: the same lines per host, the same exit codes, and the host changed as told.
 */
import { existsSync, mkdtempSync, readFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { beforeEach, describe, expect, it } from 'vitest'
import { runProcess, tsplay, writeTree, type CliResult } from '../helpers/cli.js'

let dir: string

beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'tsplay-adhoc-'))
  // An interpreter named: Ansible then reports no discovered_interpreter_python fact, which tsplay has no use for.
  writeTree(dir, { 'hosts.ini': 'web1 ansible_connection=local ansible_python_interpreter=/usr/bin/python3\n' })
})

function ansible(command: string, args: string[]): Promise<CliResult> {
  return runProcess(command, args, { cwd: dir, env: { ...process.env, ANSIBLE_NOCOLOR: '1', ANSIBLE_CONFIG: join(dir, 'ansible.cfg') } })
}

async function both(args: string[]): Promise<{ ours: CliResult; theirs: CliResult }> {
  const ours = await tsplay(['ad-hoc', ...args], { cwd: dir, env: { ANSIBLE_CONFIG: join(dir, 'ansible.cfg') } })
  const theirs = await ansible('ansible', args)
  return { ours, theirs }
}

describe('tsplay ad-hoc', () => {
  it('runs command with its free-form text and prints what ansible prints: host, CHANGED, rc, then the output', async () => {
    const { ours, theirs } = await both(['web1', '-i', 'hosts.ini', '-a', 'echo hello from $HOSTNAME-less shell'])
    expect(theirs.stdout).toBe('web1 | CHANGED | rc=0 >>\nhello from $HOSTNAME-less shell\n')
    expect(ours.stdout).toBe(theirs.stdout)
    expect(ours.code).toBe(0)
  })

  it('a failing command is FAILED with its rc and Ansible\'s message, exit 2 as ansible', async () => {
    const { ours, theirs } = await both(['all', '-i', 'hosts.ini', '-m', 'shell', '-a', 'echo out; echo err >&2; exit 3'])
    expect(theirs.code).toBe(2)
    expect(ours.code).toBe(theirs.code)
    expect(ours.stdout).toBe(theirs.stdout)
    // As the minimal callback: stdout and stderr trimmed of their last line break, then the message.
    expect(ours.stdout).toBe('web1 | FAILED | rc=3 >>\nouterrnon-zero return code\n')
  })

  it('a module other than command prints its result as indented JSON (ping answers pong)', async () => {
    const { ours, theirs } = await both(['all', '-i', 'hosts.ini', '-m', 'ping'])
    expect(theirs.stdout).toBe('web1 | SUCCESS => {\n    "changed": false,\n    "ping": "pong"\n}\n')
    expect(ours.stdout).toBe(theirs.stdout)
  })

  it('k=v arguments change the host, a second run is SUCCESS, and --check predicts without writing', async () => {
    const dest = join(dir, 'motd')
    const predicted = await tsplay(['ad-hoc', 'all', '-i', 'hosts.ini', '-m', 'copy', '-a', `content="hi there\n" dest=${dest} mode=0640`, '--check'], { cwd: dir })
    expect(predicted.stdout).toMatch(/^web1 \| CHANGED => \{/)
    expect(existsSync(dest)).toBe(false)
    const first = await tsplay(['ad-hoc', 'all', '-i', 'hosts.ini', '-m', 'copy', '-a', `content="hi there\n" dest=${dest} mode=0640`], { cwd: dir })
    expect(first.code).toBe(0)
    expect(first.stdout).toMatch(/^web1 \| CHANGED => \{/)
    expect(readFileSync(dest, 'utf8')).toBe('hi there\n')
    const again = await tsplay(['ad-hoc', 'all', '-i', 'hosts.ini', '-m', 'ansible.builtin.copy', '-a', `{"content": "hi there\\n", "dest": "${dest}", "mode": "0640"}`], { cwd: dir })
    expect(again.stdout).toMatch(/^web1 \| SUCCESS => \{/)
    expect(again.stdout).toContain('"mode": "0640"')
  })

  it('--one-line writes each host on one line, as ansible -o', async () => {
    const { ours, theirs } = await both(['all', '-i', 'hosts.ini', '-o', '-m', 'shell', '-a', 'printf "a\\nb"'])
    expect(theirs.stdout).toBe('web1 | CHANGED | rc=0 | (stdout) a\\nb\n')
    expect(ours.stdout).toBe(theirs.stdout)
  })

  it('templates in -a render with -e; hostvars of the implicit localhost are there as in ansible', async () => {
    const { ours, theirs } = await both(['all', '-i', 'hosts.ini', '-m', 'debug', '-a', `msg='{{ greeting }} {{ hostvars["localhost"].inventory_hostname }}'`, '-e', 'greeting=hello'])
    expect(theirs.stdout).toBe('web1 | SUCCESS => {\n    "msg": "hello localhost"\n}\n')
    expect(ours.stdout).toBe(theirs.stdout)
  })

  it('--list-hosts lists the pattern\'s hosts; command without -a is refused before any host, exit 5', async () => {
    const listed = await both(['all', '-i', 'hosts.ini', '--list-hosts'])
    expect(listed.ours.stdout).toBe(listed.theirs.stdout)
    const { ours, theirs } = await both(['all', '-i', 'hosts.ini'])
    expect(theirs.code).toBe(5)
    expect(ours.code).toBe(5)
    expect(theirs.stderr).toContain('No argument passed to command module')
    expect(ours.stderr).toContain('No argument passed to command module')
  })

  it('an unreachable host is UNREACHABLE!, exit 4', async () => {
    writeTree(dir, { 'far.ini': 'far ansible_host=127.0.0.1 ansible_port=1 ansible_python_interpreter=/usr/bin/python3\n' })
    const ours = await tsplay(['ad-hoc', 'all', '-i', 'far.ini', '-m', 'ping', '--no-host-key-checking'], { cwd: dir })
    expect(ours.code).toBe(4)
    expect(ours.stdout).toMatch(/^far \| UNREACHABLE! => \{\n {4}"changed": false,\n {4}"msg": ".+",\n {4}"unreachable": true\n\}\n$/)
  })
})

describe('tsplay config dump', () => {
  it('lists the settings the file sets, as ansible-config dump --only-changed; one tsplay does not apply is said', async () => {
    writeTree(dir, { 'ansible.cfg': '[defaults]\nforks = 7\nnull_representation = null\n' })
    const ours = await tsplay(['config', 'dump', '--only-changed'], { cwd: dir, env: { ANSIBLE_CONFIG: join(dir, 'ansible.cfg') } })
    const theirs = await ansible('ansible-config', ['dump', '--only-changed'])
    const cfg = join(dir, 'ansible.cfg')
    expect(theirs.stdout).toContain(`DEFAULT_FORKS(${cfg}) = 7\n`)
    expect(ours.code).toBe(0)
    expect(ours.stdout).toContain(`CONFIG_FILE() = ${cfg}\n`)
    expect(ours.stdout).toContain(`DEFAULT_FORKS(${cfg}) = 7\n`)
    expect(ours.stdout).toContain(`[defaults] null_representation(${cfg}) = null  (not applied by tsplay)\n`)
  })
})
