/**
 * The leak test: a vaulted password flows into a template, a lineinfile, a command's argv, a
 * registered result and a failure message, beside a no_log task and a become password. Run
 * with -vvv/-vvvv, --diff, and --json or plain output: the secrets' text appears nowhere in
 * stdout or stderr, while the files on the host hold them.
 */
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { beforeAll, describe, expect, test } from 'vitest'
import { encryptVault } from '../../engine/vault/keyring.js'
import { formatInlineVault } from '../../engine/vault/inline.js'
import { runProcess, TSPLAY, tsplay, writeTree, type CliResult } from '../helpers/cli.js'

/** Quotes, a dollar and spaces: the secret must be caught however it was quoted on the way out. */
const SECRET = `s3cr3t Leak-7f3a9 'q' $x`
/** A part of it that must not show up either (a half-masked secret is a leaked secret). */
const FRAGMENT = '7f3a9'
/** The value the file held before, which the vault never knew. */
const OLD_VALUE = 'old-unknown-9d2c'
const BECOME_PASSWORD = 'Become-Canary-55aa'
const NO_LOG_VALUE = 'nolog-only-4e1b'
/** The value of a module argument marked secret (mysql_user's password), shown later by a debug. */
const SECRET_ARG = 'Secret-Arg-77c1'
const VAULT_PASSWORD = 'leak-test-vault-pw'

let dir: string

beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'tsplay-leak-'))
  const vaulted = formatInlineVault(encryptVault(SECRET, { label: 'default', password: Buffer.from(VAULT_PASSWORD), source: 'test' }), 'db_password')
  writeTree(dir, {
    'pw': VAULT_PASSWORD + '\n',
    'vars.yml': vaulted,
    'inventory.yml': `all:\n  hosts:\n    localhost:\n      ansible_connection: local\n      ansible_become_password: ${BECOME_PASSWORD}\n`,
    // `tsplay test` applies this role to localhost; it fails at its last task, so the test ends at
    // converge and the summary quotes the failure (no check-mode scan of this machine).
    'roles/leaky/defaults/main.yml': `app_password: ${SECRET_ARG}\n`,
    'roles/leaky/tasks/main.yml': `- name: a module argument marked secret
  mysql_user: { name: app, password: "{{ app_password }}", login_unix_socket: /nonexistent/mysqld.sock }
  ignore_errors: true
- name: the secret argument again
  debug: { msg: "app password is {{ app_password }}" }
- name: the become password
  debug: { msg: "{{ ansible_become_password }}" }
- name: a failure naming it
  fail: { msg: "cannot log in with {{ ansible_become_password }}" }
`,
    'app.conf.ejs': 'user=app\npassword=<%- db_password %>\nescaped=<%= db_password %>\n',
    'site.yml': `- hosts: localhost
  gather_facts: false
  vars_files: [vars.yml]
  tasks:
    - name: a config file from a template
      template: { src: app.conf.ejs, dest: "${dir}/app.conf" }
    - name: a line in a file that held another password
      lineinfile: { path: "${dir}/line.conf", regexp: "^password", line: "password = {{ db_password }}" }
    - name: a command with the secret in its argv
      command: sh -c 'printf "%s" "$1" | tee ${dir}/cmd.out' sh "{{ db_password }}"
      register: cmd_result
    - name: the registered result
      debug: var=cmd_result
    - name: every variable of the host
      debug: var=hostvars[inventory_hostname]
    - name: a message with the secret
      debug: { msg: "connecting with {{ db_password }}" }
    - name: a failure with the secret
      fail: { msg: "cannot log in with {{ db_password }}" }
      ignore_errors: true
    - name: a task with become
      command: id -u
      become: true
    - name: the become password
      debug: { msg: "{{ ansible_become_password }}" }
    - name: a no_log task
      shell: echo ${NO_LOG_VALUE} > ${dir}/nolog.out
      no_log: true
`,
  })
})

/** Puts the host back as it was before the play, so every run shows the same diffs. */
function resetHost(): void {
  for (const f of ['app.conf', 'cmd.out', 'nolog.out']) rmSync(join(dir, f), { force: true })
  writeFileSync(join(dir, 'line.conf'), `user = app\npassword = ${OLD_VALUE}\n`)
}

function expectNoLeak(result: CliResult): void {
  for (const [name, text] of [['stdout', result.stdout], ['stderr', result.stderr]] as const) {
    for (const secret of [SECRET, FRAGMENT, OLD_VALUE, BECOME_PASSWORD, NO_LOG_VALUE, SECRET_ARG]) {
      expect(text.includes(secret), `${name} shows ${secret}`).toBe(false)
    }
  }
}

function expectHostChanged(): void {
  expect(readFileSync(join(dir, 'app.conf'), 'utf8')).toBe(`user=app\npassword=${SECRET}\nescaped=${SECRET}\n`)
  expect(readFileSync(join(dir, 'line.conf'), 'utf8')).toBe(`user = app\npassword = ${SECRET}\n`)
  expect(readFileSync(join(dir, 'cmd.out'), 'utf8')).toBe(SECRET)
  expect(readFileSync(join(dir, 'nolog.out'), 'utf8')).toBe(`${NO_LOG_VALUE}\n`)
}

/** Runs a command on a pseudo-terminal (util-linux `script`), so tsplay draws its live view. */
function inTerminal(command: string): Promise<CliResult> {
  const { CI: _ci, ...env } = process.env
  return runProcess('script', ['-qec', `stty cols 250 rows 50; ${command}`, '/dev/null'], { cwd: dir, env: { ...env, TERM: 'xterm' } })
}

const run = (...flags: string[]): Promise<CliResult> => tsplay(['run', 'site.yml', '-i', 'inventory.yml', '--vault-password-file', 'pw', '--diff', ...flags], { cwd: dir })

describe('no secret reaches the output', () => {
  test('-vvv --diff --json: nowhere in the JSON or on stderr, and the host has the files', async () => {
    resetHost()
    const result = await run('-vvv', '--json')
    expect(result.code).toBe(0)
    const json = JSON.parse(result.stdout) as { stats: Record<string, { ok: number; changed: number; ignored: number }> }
    expect(json.stats['localhost']).toMatchObject({ ignored: 1 })
    expectNoLeak(result)
    expectHostChanged()
    // The diffs are there, masked, and the failure message too.
    expect(result.stdout).toContain('password = ********')
    expect(result.stdout).toContain('cannot log in with ********')
  })

  test('-vvvv --diff plain output: nowhere, and a changed secret line still reads as changed', async () => {
    resetHost()
    const result = await run('-vvvv')
    expect(result.code).toBe(0)
    expectNoLeak(result)
    expectHostChanged()
    expect(result.stdout).toContain('-password = ********')
    expect(result.stdout).toContain('+password = ********')
    expect(result.stdout).toContain('+password=********')
    expect(result.stdout).toContain('"msg": "connecting with ********"')
    expect(result.stdout).toMatch(/the output has been hidden due to the fact that 'no_log: true' was specified/)
  })

  test('the live view on a terminal, -vvvv --diff: nowhere either', async () => {
    resetHost()
    const result = await inTerminal(`${process.execPath} ${TSPLAY} run site.yml -i inventory.yml --vault-password-file pw -vvvv --diff`)
    expect(result.code).toBe(0)
    expect(result.stdout).toContain('PLAY RECAP')
    expect(result.stdout).toContain('+password = ********')
    expectNoLeak(result)
    expectHostChanged()
  })

  test('-v without --json or --diff: nowhere either', async () => {
    resetHost()
    const result = await tsplay(['run', 'site.yml', '-i', 'inventory.yml', '--vault-password-file', 'pw', '-v'], { cwd: dir })
    expect(result.code).toBe(0)
    expectNoLeak(result)
    expectHostChanged()
  })
})

describe('tsplay test: no secret reaches its output either', () => {
  const test_ = (...flags: string[]): Promise<CliResult> => tsplay(['test', 'leaky', '-i', 'inventory.yml', '--hosts', 'localhost', ...flags], { cwd: dir })

  test('-vvv plain output and the summary: the become password and a secret argument are masked', async () => {
    const result = await test_('-vvv')
    expect(result.code, result.stdout + result.stderr).toBe(2)
    expectNoLeak(result)
    expect(result.stdout).toContain('app password is ********')
    expect(result.stdout).toMatch(/converge +FAILED .*cannot log in with \*{8}/)
  })

  test('--json report: masked too', async () => {
    const result = await test_('--json')
    expect(result.code).toBe(2)
    expectNoLeak(result)
    const report = JSON.parse(result.stdout) as { failedStep: string; steps: { reason?: string }[] }
    expect(report.failedStep).toBe('converge')
    expect(report.steps[0]?.reason).toContain('cannot log in with ********')
  })
})
