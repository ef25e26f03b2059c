/**
 * ansible.cfg as a user of Ansible has it beside the playbook: tsplay finds the inventory and the
 * roles it names, applies its settings under the command line's flags, says once which settings
 * it does not apply, and names the file in --version.
 */
import { execFile } from 'node:child_process'
import { mkdtempSync, readFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { promisify } from 'node:util'
import { beforeEach, describe, expect, it } from 'vitest'
import { tsplay, type JsonRun, writeTree } from '../helpers/cli.js'

const run = promisify(execFile)
let dir: string

beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'tsplay-cfg-'))
  writeTree(dir, {
    'hosts.ini': 'web1 ansible_connection=local\n',
    'other.ini': 'other1 ansible_connection=local\n',
    'myroles/greet/tasks/main.yml': '- debug: { msg: "hello from {{ inventory_hostname }}" }\n',
    'site.yml': '- hosts: all\n  roles: [greet]\n',
    'ansible.cfg': '[defaults]\ninventory = hosts.ini\nroles_path = myroles\ngathering = explicit\n',
  })
})

describe('ansible.cfg in the current folder', () => {
  it('gives the inventory and the roles path, as ansible-playbook reads them', async () => {
    const ours = await tsplay(['run', 'site.yml'], { cwd: dir })
    const theirs = await run('ansible-playbook', ['site.yml'], { cwd: dir, env: { ...process.env, ANSIBLE_NOCOLOR: '1' } })
    expect(theirs.stdout).toContain('"msg": "hello from web1"')
    expect(ours.stderr).toBe('')
    expect(ours.code).toBe(0)
    expect(ours.stdout).toContain('"msg": "hello from web1"')
    // gathering = explicit: a play that does not ask for facts gathers none.
    expect(ours.stdout).not.toContain('Gathering Facts')
  })

  it('gives way to the command line: -i beats its inventory', async () => {
    const ours = await tsplay(['run', 'site.yml', '-i', 'other.ini'], { cwd: dir })
    expect(ours.code).toBe(0)
    expect(ours.stdout).toContain('"msg": "hello from other1"')
    expect(ours.stdout).not.toContain('web1')
  })

  it('relative paths are from the file’s folder when ANSIBLE_CONFIG names it from elsewhere', async () => {
    const elsewhere = mkdtempSync(join(tmpdir(), 'tsplay-cfg-elsewhere-'))
    const ours = await tsplay(['run', join(dir, 'site.yml')], { cwd: elsewhere, env: { ANSIBLE_CONFIG: join(dir, 'ansible.cfg') } })
    expect(ours.code).toBe(0)
    expect(ours.stdout).toContain('"msg": "hello from web1"')
  })

  it('stdout_callback = json prints the JSON document, and ANSIBLE_* beats the file', async () => {
    writeTree(dir, { 'ansible.cfg': '[defaults]\ninventory = hosts.ini\nroles_path = myroles\nstdout_callback = json\n' })
    const ours = await tsplay(['run', 'site.yml'], { cwd: dir, env: { ANSIBLE_GATHERING: 'explicit' } })
    expect(ours.code).toBe(0)
    const json = JSON.parse(ours.stdout) as JsonRun
    expect(json.plays[0]?.tasks.map((t) => t.task.name)).toEqual(['greet : debug'])
  })

  it('warns once, naming each setting it does not apply with its file and line', async () => {
    writeTree(dir, { 'ansible.cfg': '[defaults]\ninventory = hosts.ini\nroles_path = myroles\ncallbacks_enabled = profile_tasks\n\n[ssh_connection]\nssh_args = -o ControlMaster=auto\n' })
    const ours = await tsplay(['run', 'site.yml'], { cwd: dir })
    expect(ours.code).toBe(0)
    const cfg = join(dir, 'ansible.cfg')
    expect(ours.stderr).toBe(`[WARNING]: tsplay does not apply these Ansible settings: [defaults] callbacks_enabled (${cfg}:4), [ssh_connection] ssh_args (${cfg}:7)\n`)
  })

  it('a bad value stops before any host, naming the file, line and setting', async () => {
    writeTree(dir, { 'ansible.cfg': '[defaults]\nforks = many\n' })
    const ours = await tsplay(['run', 'site.yml'], { cwd: dir })
    expect(ours.code).toBe(5)
    expect(ours.stderr).toBe(`ERROR! ${join(dir, 'ansible.cfg')}:2 ([defaults] forks): expected a whole number, got 'many'\n`)
    expect(ours.stdout).toBe('')
  })

  it("vault_password_file opens vaulted files, for runs and for tsplay vault", async () => {
    writeTree(dir, { 'pw': 'a vault password\n', 'secret.yml': 'token: s3cret\n' })
    const encrypt = await tsplay(['vault', 'encrypt', '--vault-password-file', 'pw', 'secret.yml'], { cwd: dir })
    expect(encrypt.code).toBe(0)
    writeTree(dir, {
      'ansible.cfg': '[defaults]\ninventory = hosts.ini\nvault_password_file = pw\n',
      'write.yml': `- hosts: web1\n  gather_facts: false\n  vars_files: [secret.yml]\n  tasks:\n    - copy: { content: "{{ token }}", dest: "${join(dir, 'out.txt')}" }\n`,
    })
    const view = await tsplay(['vault', 'view', 'secret.yml'], { cwd: dir })
    expect(view.stdout).toBe('token: s3cret\n')
    const ours = await tsplay(['run', 'write.yml'], { cwd: dir })
    expect(ours.code).toBe(0)
    expect(readFileSync(join(dir, 'out.txt'), 'utf8')).toBe('s3cret')
  })
})

describe('tsplay --version', () => {
  it('names the version, Node.js and the config file in use, as ansible-playbook --version', async () => {
    const ours = await tsplay(['--version'], { cwd: dir })
    expect(ours.code).toBe(0)
    expect(ours.stdout).toMatch(/^tsplay \d+\.\d+\.\d+ \[follows ansible-core 2\.14\]\n/)
    expect(ours.stdout).toContain(`\n  config file = ${join(dir, 'ansible.cfg')}\n`)
    expect(ours.stdout).toContain(`\n  node version = ${process.versions.node} (${process.execPath})\n`)
    const none = await tsplay(['--version'], { cwd: mkdtempSync(join(tmpdir(), 'tsplay-nocfg-')) })
    expect(none.stdout).toContain('\n  config file = None\n')
  })
})
