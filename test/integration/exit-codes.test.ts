/**
 * Exit codes, tsplay against the real ansible-playbook 2.14 on the same cases: scripts test the
 * real program's codes, so tsplay must give the same ones. Where tsplay refuses before any host is
 * touched what Ansible only finds (or ignores) at run time, the case says why, and tsplay uses the
 * code Ansible gives for that kind of error. README's table of exit codes is made from these cases:
 * `TSPLAY_UPDATE_DOCS=1 npx vitest run test/integration/exit-codes.test.ts` rewrites it.
 */
import { spawn } from 'node:child_process'
import { existsSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs'
import { createServer } from 'node:net'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { beforeAll, describe, expect, test } from 'vitest'
import { encryptVault, type VaultSecret } from '../../engine/vault/keyring.js'
import { formatInlineVault } from '../../engine/vault/inline.js'
import { ROOT, TSPLAY, writeTree } from '../helpers/cli.js'

interface Case {
  /** What the user did, as the README's table says it. */
  name: string
  /** Arguments after `ansible-playbook` and after `tsplay run`. */
  args: string[]
  files?: Record<string, string>
  ansible: number
  /** When tsplay's code differs from Ansible's: the code and why. */
  tsplay?: { code: number; why: string }
  /** Extra environment for both programs. */
  env?: Record<string, string>
  /** Press Ctrl-C once this file exists (the task under way made it). */
  interruptWhen?: string
}

const LOCAL = ['-i', 'localhost,', '-c', 'local']
const play = (tasks: string, head = ''): string => `- hosts: all\n  gather_facts: false\n${head}  tasks:\n${tasks}`
const OK = play('    - command: "true"\n')
const FAILS = play('    - command: "false"\n')
const secret: VaultSecret = { label: 'default', password: Buffer.from('exit-codes'), source: 'test' }
let deadPort = 0

function cases(): Case[] {
  const list: Case[] = [
    { name: 'every task ok', args: [...LOCAL, 'site.yml'], files: { 'site.yml': OK }, ansible: 0 },
    { name: 'a task failed', args: [...LOCAL, 'site.yml'], files: { 'site.yml': FAILS }, ansible: 2 },
    { name: 'a host unreachable', args: ['-i', 'hosts', '-T', '3', 'site.yml'], files: { 'site.yml': OK, hosts: `dead ansible_host=127.0.0.1 ansible_port=${deadPort}\n` }, ansible: 4 },
    {
      name: 'one host failed, another unreachable',
      args: ['-i', 'hosts', '-T', '3', 'site.yml'],
      files: { 'site.yml': FAILS, hosts: `dead ansible_host=127.0.0.1 ansible_port=${deadPort}\nlive ansible_connection=local\n` },
      ansible: 4,
    },
    { name: 'a failed task with ignore_errors', args: [...LOCAL, 'site.yml'], files: { 'site.yml': play('    - command: "false"\n      ignore_errors: true\n') }, ansible: 0 },
    { name: 'a failure rescued', args: [...LOCAL, 'site.yml'], files: { 'site.yml': play('    - block:\n        - command: "false"\n      rescue:\n        - debug: { msg: rescued }\n') }, ansible: 0 },
    { name: 'a failure with any_errors_fatal', args: [...LOCAL, 'site.yml'], files: { 'site.yml': play('    - command: "false"\n', '  any_errors_fatal: true\n') }, ansible: 2 },
    { name: 'an undefined variable in a task', args: [...LOCAL, 'site.yml'], files: { 'site.yml': play('    - debug: { msg: "{{ nope }}" }\n') }, ansible: 2 },
    { name: "a play whose hosts match nothing", args: [...LOCAL, 'site.yml'], files: { 'site.yml': OK.replace('hosts: all', 'hosts: nosuchgroup') }, ansible: 0 },
    { name: 'a --limit that matches no host', args: [...LOCAL, '--limit', 'nosuchhost', 'site.yml'], files: { 'site.yml': OK }, ansible: 1 },
    { name: 'a --limit @file that does not exist', args: [...LOCAL, '--limit', '@nosuch.txt', 'site.yml'], files: { 'site.yml': OK }, ansible: 1 },
    { name: 'Ctrl-C during a task', args: [...LOCAL, 'site.yml'], files: { 'site.yml': play('    - shell: touch started; sleep 5\n') }, interruptWhen: 'started', ansible: 99 },
    { name: 'no playbook given', args: [...LOCAL], ansible: 2 },
    { name: 'an unknown option', args: [...LOCAL, '--no-such-option', 'site.yml'], files: { 'site.yml': OK }, ansible: 2 },
    { name: 'an option value of the wrong kind (--forks 0)', args: [...LOCAL, '--forks', '0', 'site.yml'], files: { 'site.yml': OK }, ansible: 2 },
    { name: '-K with --become-password-file', args: [...LOCAL, '-K', '--become-password-file', 'pass.txt', 'site.yml'], files: { 'site.yml': OK, 'pass.txt': 'x\n' }, ansible: 2 },
    { name: 'extra vars that are not a mapping (-e "[1, 2]")', args: [...LOCAL, '-e', '[1, 2]', 'site.yml'], files: { 'site.yml': OK }, ansible: 5 },
    { name: 'extra vars with a YAML syntax error', args: [...LOCAL, '-e', '{bad', 'site.yml'], files: { 'site.yml': OK }, ansible: 4 },
    { name: 'extra vars from a missing file (-e @file)', args: [...LOCAL, '-e', '@nosuch.yml', 'site.yml'], files: { 'site.yml': OK }, ansible: 1 },
    { name: 'the playbook does not exist', args: [...LOCAL, 'nosuch.yml'], ansible: 1 },
    { name: 'a YAML syntax error in the playbook', args: [...LOCAL, 'site.yml'], files: { 'site.yml': '- hosts: all\n  tasks:\n    - command: "true"\n     bad: [\n' }, ansible: 4 },
    { name: 'the same, with --syntax-check', args: [...LOCAL, '--syntax-check', 'site.yml'], files: { 'site.yml': '- hosts: all\n  tasks:\n    - command: "true"\n     bad: [\n' }, ansible: 4 },
    { name: 'an unknown play keyword', args: [...LOCAL, 'site.yml'], files: { 'site.yml': play('    - command: "true"\n', '  no_such_keyword: 1\n') }, ansible: 4 },
    { name: 'an unknown task keyword', args: [...LOCAL, 'site.yml'], files: { 'site.yml': play('    - command: "true"\n      no_such_keyword: 1\n') }, ansible: 4 },
    { name: 'an unknown module', args: [...LOCAL, 'site.yml'], files: { 'site.yml': play('    - no_such_module: {}\n') }, ansible: 4 },
    // copy's src/content rule is the module's, checked when the task runs, as Ansible's is.
    { name: 'copy with neither src nor content', args: [...LOCAL, 'site.yml'], files: { 'site.yml': play('    - copy: { dest: /tmp/tsplay-never-written }\n') }, ansible: 2 },
    {
      name: 'an unknown module argument',
      args: [...LOCAL, 'site.yml'],
      files: { 'site.yml': play('    - copy: { dest: /tmp/tsplay-never-written, content: x, nosuch: 1 }\n') },
      ansible: 2,
      tsplay: { code: 4, why: 'tsplay checks argument names when the playbook loads, before any host is touched; Ansible fails the task on each host' },
    },
    { name: 'an undefined variable in the play\'s hosts', args: [...LOCAL, 'site.yml'], files: { 'site.yml': OK.replace('hosts: all', 'hosts: "{{ nope }}"') }, ansible: 4 },
    {
      name: "an undefined variable in a vars_files name",
      args: [...LOCAL, 'site.yml'],
      files: { 'site.yml': play('    - command: "true"\n', '  vars_files: ["{{ nope }}.yml"]\n') },
      ansible: 0,
      tsplay: { code: 4, why: "Ansible skips the file silently; tsplay refuses it, with Ansible's code for an undefined variable in a play keyword" },
    },
    { name: 'an undefined variable in a meta task\'s when', args: [...LOCAL, 'site.yml'], files: { 'site.yml': play('    - meta: end_host\n      when: nope\n') }, ansible: 1 },
    { name: 'a missing role', args: [...LOCAL, 'site.yml'], files: { 'site.yml': '- hosts: all\n  gather_facts: false\n  roles: [no-such-role]\n' }, ansible: 1 },
    { name: 'a missing vars file', args: [...LOCAL, 'site.yml'], files: { 'site.yml': play('    - command: "true"\n', '  vars_files: [nosuch.yml]\n') }, ansible: 1 },
    { name: 'a missing import_tasks file', args: [...LOCAL, 'site.yml'], files: { 'site.yml': play('    - import_tasks: nosuch.yml\n') }, ansible: 1 },
    { name: 'a missing import_playbook file', args: [...LOCAL, 'site.yml'], files: { 'site.yml': '- import_playbook: nosuch.yml\n' }, ansible: 1 },
    {
      name: 'a missing include_tasks file',
      args: [...LOCAL, 'site.yml'],
      files: { 'site.yml': play('    - include_tasks: nosuch.yml\n') },
      ansible: 2,
      tsplay: { code: 1, why: "tsplay checks included files when the playbook loads; Ansible fails the task on each host. 1 is Ansible's code for a missing file" },
    },
    {
      name: 'the inventory file does not exist',
      args: ['-i', 'nosuch', 'site.yml'],
      files: { 'site.yml': OK },
      ansible: 0,
      tsplay: { code: 1, why: 'Ansible warns and runs on no host; tsplay refuses, with the code Ansible gives when told to (ANSIBLE_INVENTORY_UNPARSED_FAILED=True, next case)' },
    },
    { name: 'the same, ANSIBLE_INVENTORY_UNPARSED_FAILED=True', args: ['-i', 'nosuch', 'site.yml'], files: { 'site.yml': OK }, env: { ANSIBLE_INVENTORY_UNPARSED_FAILED: 'True' }, ansible: 1 },
    {
      name: 'an inventory that does not parse, ANSIBLE_INVENTORY_UNPARSED_FAILED=True',
      args: ['-i', 'hosts.ini', 'site.yml'],
      files: { 'site.yml': OK, 'hosts.ini': '[web\nweb1\n' },
      env: { ANSIBLE_INVENTORY_UNPARSED_FAILED: 'True' },
      ansible: 1,
    },
    { name: 'a YAML syntax error in group_vars', args: ['-i', 'hosts', '-c', 'local', 'site.yml'], files: { 'site.yml': OK, hosts: 'localhost\n', 'group_vars/all.yml': 'a: [\n' }, ansible: 4 },
    {
      name: 'a !vault value and no vault password',
      args: [...LOCAL, 'site.yml'],
      files: { 'site.yml': play('    - debug: { msg: "{{ secret }}" }\n', `  vars:\n${indent(formatInlineVault(encryptVault('s3cret', secret), 'secret'), 4)}\n`) },
      ansible: 2,
      tsplay: { code: 1, why: "tsplay decrypts when the playbook loads, before any host is touched; Ansible fails each task that reads the value. 1 is Ansible's code for a vault error" },
    },
    { name: 'a vaulted vars file and the wrong vault password', args: [...LOCAL, '--vault-password-file', 'wrong', 'site.yml'], files: { 'site.yml': play('    - command: "true"\n', '  vars_files: [vaulted.yml]\n'), wrong: 'not it\n', 'vaulted.yml': encryptVault('x: 1\n', secret) }, ansible: 1 },
    { name: 'the vault password file does not exist', args: [...LOCAL, '--vault-password-file', 'nosuch', 'site.yml'], files: { 'site.yml': OK }, ansible: 1 },
  ]
  return list
}

function indent(text: string, spaces: number): string {
  return text.split('\n').map((l) => ' '.repeat(spaces) + l).join('\n')
}

const ANSIBLE_ENV = { ANSIBLE_NOCOLOR: '1', ANSIBLE_LOCALHOST_WARNING: 'False', ANSIBLE_HOST_KEY_CHECKING: 'False', ANSIBLE_RETRY_FILES_ENABLED: 'False' }

/** Runs one program in `cwd` and returns its exit code; presses Ctrl-C (SIGINT) once `interruptWhen` exists. */
function exitCode(command: string, args: string[], cwd: string, env: Record<string, string>, interruptWhen?: string): Promise<number | null> {
  return new Promise((resolve, reject) => {
    const child = spawn(command, args, { cwd, env: { ...process.env, ...env }, stdio: ['ignore', 'ignore', 'ignore'] })
    // Once: a second Ctrl-C means "stop now" to both programs.
    const poll = interruptWhen
      ? setInterval(() => {
          if (!existsSync(join(cwd, interruptWhen))) return
          child.kill('SIGINT')
          clearInterval(poll)
        }, 100)
      : undefined
    const timer = setTimeout(() => child.kill('SIGKILL'), 90_000)
    child.on('error', reject)
    child.on('close', (code) => {
      clearTimeout(timer)
      clearInterval(poll)
      resolve(code)
    })
  })
}

async function freePort(): Promise<number> {
  const server = createServer()
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
  const address = server.address()
  await new Promise((resolve) => server.close(resolve))
  if (!address || typeof address === 'string') throw new Error('no port')
  return address.port
}

beforeAll(async () => {
  deadPort = await freePort()
})

describe('tsplay exits with the code ansible-playbook 2.14 gives', () => {
  // The names are known now; each test makes its case after beforeAll, which found the free port.
  const names = cases().map((c) => c.name)
  test.each(names)('%s', async (name) => {
    const c = cases().find((x) => x.name === name) as Case
    const run = async (command: string, args: string[], env: Record<string, string>): Promise<number | null> => {
      const dir = mkdtempSync(join(tmpdir(), 'tsplay-exit-codes-'))
      writeTree(dir, c.files ?? {})
      return exitCode(command, args, dir, { ...env, ...c.env }, c.interruptWhen)
    }
    const [ansible, ours] = await Promise.all([
      run('ansible-playbook', c.args, ANSIBLE_ENV),
      run(process.execPath, [TSPLAY, 'run', ...c.args], { CI: '1' }),
    ])
    expect(ansible, 'ansible-playbook no longer gives the code this case records').toBe(c.ansible)
    expect(ours).toBe(c.tsplay?.code ?? c.ansible)
  })
})

const BEGIN = '<!-- exit codes: made by test/integration/exit-codes.test.ts -->'
const END = '<!-- end of exit codes -->'

/** The README's table: one row per case, in the cases' order. */
function table(): string {
  const rows = cases().map((c) => `| ${c.name} | ${c.ansible} | ${c.tsplay ? `**${c.tsplay.code}**: ${c.tsplay.why}` : c.ansible} |`)
  return [BEGIN, '| case | ansible-playbook 2.14 | tsplay |', '|---|---|---|', ...rows, END].join('\n')
}

test("README's exit code table is the one these cases make", () => {
  const file = join(ROOT, 'README.md')
  const readme = readFileSync(file, 'utf8')
  if (process.env['TSPLAY_UPDATE_DOCS']) writeFileSync(file, readme.replace(new RegExp(`${BEGIN}[\\s\\S]*?${END}`), table()))
  else expect(readme, 'run TSPLAY_UPDATE_DOCS=1 npx vitest run test/integration/exit-codes.test.ts').toContain(table())
})
