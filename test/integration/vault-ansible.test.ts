/**
 * tsplay and Debian's ansible-core read each other's vaults: files and `!vault` values made by
 * the real ansible-vault are read by tsplay, and the reverse.
 */
import { execFile } from 'node:child_process'
import { mkdtempSync, readFileSync, statSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { promisify } from 'node:util'
import { beforeAll, describe, expect, test } from 'vitest'
import { tsplay, tsplayJson, writeTree } from '../helpers/cli.js'

const run = promisify(execFile)
const ANSIBLE_ENV = { ...process.env, ANSIBLE_LOCALHOST_WARNING: 'False', ANSIBLE_INVENTORY_UNPARSED_WARNING: 'False', ANSIBLE_NOCOLOR: '1' }

async function ansible(command: string, args: string[], cwd: string, input?: string): Promise<string> {
  const child = run(command, args, { cwd, env: ANSIBLE_ENV })
  if (input !== undefined) child.child.stdin?.end(input)
  return (await child).stdout
}

const PASSWORD = 'Vault-Pass phrase 1'
let dir: string

beforeAll(async () => {
  try {
    await run('ansible-vault', ['--version'])
  } catch {
    throw new Error("ansible-vault is not installed: scripts/setup.sh installs Debian's ansible-core for these tests")
  }
  dir = mkdtempSync(join(tmpdir(), 'tsplay-vault-ansible-'))
  writeTree(dir, { 'pw': `${PASSWORD}\n`, 'other-pw': 'second password\n' })
})

describe('files encrypted by ansible-vault', () => {
  test('a 1.1 file decrypts with tsplay vault view and decrypt', async () => {
    writeTree(dir, { 'a.yml': 'galera_sst_password: "sst:Secret 42"\n' })
    await ansible('ansible-vault', ['encrypt', '--vault-password-file', 'pw', 'a.yml'], dir)
    expect(readFileSync(join(dir, 'a.yml'), 'utf8')).toMatch(/^\$ANSIBLE_VAULT;1\.1;AES256\n/)
    const view = await tsplay(['vault', 'view', '--vault-password-file', 'pw', 'a.yml'], { cwd: dir })
    expect(view.stdout).toBe('galera_sst_password: "sst:Secret 42"\n')
    const decrypt = await tsplay(['vault', 'decrypt', '--vault-password-file', 'pw', 'a.yml'], { cwd: dir })
    expect(decrypt.code).toBe(0)
    expect(readFileSync(join(dir, 'a.yml'), 'utf8')).toBe('galera_sst_password: "sst:Secret 42"\n')
  })

  test('a 1.2 file with a vault id decrypts with tsplay given that id', async () => {
    writeTree(dir, { 'b.yml': 'x: 1\n' })
    await ansible('ansible-vault', ['encrypt', '--vault-id', 'prod@pw', 'b.yml'], dir)
    expect(readFileSync(join(dir, 'b.yml'), 'utf8')).toMatch(/^\$ANSIBLE_VAULT;1\.2;AES256;prod\n/)
    const view = await tsplay(['vault', 'view', '--vault-id', 'dev@other-pw', '--vault-id', 'prod@pw', 'b.yml'], { cwd: dir })
    expect(view.stdout).toBe('x: 1\n')
  })

  test('the wrong password is an error naming the file, exit 1', async () => {
    writeTree(dir, { 'c.yml': 'x: 1\n' })
    await ansible('ansible-vault', ['encrypt', '--vault-password-file', 'pw', 'c.yml'], dir)
    const view = await tsplay(['vault', 'view', '--vault-password-file', 'other-pw', 'c.yml'], { cwd: dir })
    expect(view.code).toBe(1)
    expect(view.stderr).toMatch(/ERROR! cannot decrypt c\.yml: the vault password is wrong/)
  })
})

describe('files encrypted by tsplay', () => {
  test('ansible-vault decrypts a 1.1 file tsplay made', async () => {
    writeTree(dir, { 'd.yml': 'maxscale_monitor_password: m0n!tor\n' })
    const enc = await tsplay(['vault', 'encrypt', '--vault-password-file', 'pw', 'd.yml'], { cwd: dir })
    expect(enc.stderr).toContain('Encryption successful')
    expect(readFileSync(join(dir, 'd.yml'), 'utf8')).toMatch(/^\$ANSIBLE_VAULT;1\.1;AES256\n/)
    expect(await ansible('ansible-vault', ['view', '--vault-password-file', 'pw', 'd.yml'], dir)).toBe('maxscale_monitor_password: m0n!tor\n')
  })

  test('ansible-vault decrypts a 1.2 file tsplay made with a vault id', async () => {
    writeTree(dir, { 'e.bin': 'binary\u0000data\n' })
    await tsplay(['vault', 'encrypt', '--vault-id', 'lab@pw', 'e.bin'], { cwd: dir })
    expect(readFileSync(join(dir, 'e.bin'), 'utf8')).toMatch(/^\$ANSIBLE_VAULT;1\.2;AES256;lab\n/)
    await ansible('ansible-vault', ['decrypt', '--vault-id', 'lab@pw', 'e.bin'], dir)
    expect(readFileSync(join(dir, 'e.bin'), 'utf8')).toBe('binary\u0000data\n')
  })

  test('a file rekeyed by tsplay opens in ansible-vault with the new password only', async () => {
    writeTree(dir, { 'f.yml': 'k: v\n' })
    await tsplay(['vault', 'encrypt', '--vault-password-file', 'pw', 'f.yml'], { cwd: dir })
    const rekey = await tsplay(['vault', 'rekey', '--vault-password-file', 'pw', '--new-vault-password-file', 'other-pw', 'f.yml'], { cwd: dir })
    expect(rekey.stderr).toContain('Rekey successful')
    expect(await ansible('ansible-vault', ['view', '--vault-password-file', 'other-pw', 'f.yml'], dir)).toBe('k: v\n')
    await expect(ansible('ansible-vault', ['view', '--vault-password-file', 'pw', 'f.yml'], dir)).rejects.toThrow(/Decryption failed/)
  })

  test('a !vault value from tsplay vault encrypt_string is read by ansible', async () => {
    const block = await tsplay(['vault', 'encrypt_string', '--vault-password-file', 'pw', '--name', 'db_password', 'Galera pw #1'], { cwd: dir })
    expect(block.stdout).toMatch(/^db_password: !vault \|\n {10}\$ANSIBLE_VAULT;1\.1;AES256\n/)
    writeTree(dir, { 'g.yml': block.stdout })
    const out = await ansible('ansible', ['localhost', '-m', 'debug', '-a', 'var=db_password', '-e', '@g.yml', '--vault-password-file', 'pw'], dir)
    expect(out).toContain('"db_password": "Galera pw #1"')
  })

  test('encrypt_string reads the value from stdin with --stdin-name', async () => {
    const block = await tsplay(['vault', 'encrypt_string', '--vault-password-file', 'pw', '--stdin-name', 'from_stdin'], { cwd: dir, input: 'piped value' })
    writeTree(dir, { 'h.yml': block.stdout })
    const out = await ansible('ansible', ['localhost', '-m', 'debug', '-a', 'var=from_stdin', '-e', '@h.yml', '--vault-password-file', 'pw'], dir)
    expect(out).toContain('"from_stdin": "piped value"')
  })
})

describe('ansible-vault encrypt_string values in a tsplay run', () => {
  test('a !vault value in a vars file and in a YAML inventory reach the host, and never the output', async () => {
    const encrypt = (name: string, value: string): Promise<string> =>
      ansible('ansible-vault', ['encrypt_string', '--vault-password-file', 'pw', '--name', name, value], dir)
    const fromVars = await encrypt('vars_secret', 'Vars-File-Secret-1')
    const fromInventory = await encrypt('inv_secret', 'Inventory-Secret-2')
    const indent = (text: string, n: number): string => text.split('\n').map((l) => ' '.repeat(n) + l).join('\n')
    const work = mkdtempSync(join(dir, 'run-'))
    writeTree(work, {
      'vars.yml': `${fromVars}\n`,
      'inventory.yml': `all:\n  hosts:\n    localhost:\n      ansible_connection: local\n${indent(fromInventory, 6)}\n`,
      'site.yml': `- hosts: localhost
  gather_facts: false
  vars_files: [vars.yml]
  tasks:
    - copy:
        dest: ${work}/out.txt
        content: "{{ vars_secret }} {{ inv_secret }}\\n"
`,
    })
    const result = await tsplayJson(['run', 'site.yml', '-i', 'inventory.yml', '--vault-password-file', join(dir, 'pw'), '--diff', '-vvv'], { cwd: work })
    expect(result.code).toBe(0)
    expect(readFileSync(join(work, 'out.txt'), 'utf8')).toBe('Vars-File-Secret-1 Inventory-Secret-2\n')
    for (const text of [result.stdout, result.stderr]) expect(text).not.toMatch(/Vars-File-Secret-1|Inventory-Secret-2/)
    expect(result.stdout).toContain('********')
  })
})

describe('tsplay vault create and edit', () => {
  test('edit opens a private copy in $EDITOR and writes back atomically with the same vault id', async () => {
    const work = mkdtempSync(join(dir, 'edit-'))
    writeTree(work, {
      'secret.yml': 'password: old-one\n',
      'editor.sh': '#!/bin/sh\nstat -c %a "$(dirname "$1")" > "$LOG"\necho "$1" >> "$LOG"\nsed -i s/old-one/new-one/ "$1"\n',
    })
    await run('chmod', ['+x', join(work, 'editor.sh')])
    await ansible('ansible-vault', ['encrypt', '--vault-id', 'ops@pw', join(work, 'secret.yml')], dir)
    await run('chmod', ['640', join(work, 'secret.yml')])
    const inodeBefore = statSync(join(work, 'secret.yml')).ino
    const env = { EDITOR: join(work, 'editor.sh'), LOG: join(work, 'log') }
    const edit = await tsplay(['vault', 'edit', '--vault-id', `ops@${join(dir, 'pw')}`, 'secret.yml'], { cwd: work, env })
    expect(edit.code).toBe(0)
    const [dirMode, tempFile] = readFileSync(join(work, 'log'), 'utf8').trim().split('\n')
    expect(dirMode).toBe('700')
    const { stdout: gone } = await run('sh', ['-c', `test -e "${tempFile}" && echo present || echo gone`])
    expect(gone.trim()).toBe('gone')
    // Written beside and renamed into place: a new inode, never the old file rewritten in place.
    expect(statSync(join(work, 'secret.yml')).ino).not.toBe(inodeBefore)
    const stored = readFileSync(join(work, 'secret.yml'), 'utf8')
    expect(stored).toMatch(/^\$ANSIBLE_VAULT;1\.2;AES256;ops\n/)
    expect(stored).not.toContain('new-one')
    const { stdout: mode } = await run('stat', ['-c', '%a', join(work, 'secret.yml')])
    expect(mode.trim()).toBe('640')
    expect(await ansible('ansible-vault', ['view', '--vault-id', 'ops@pw', join(work, 'secret.yml')], dir)).toBe('password: new-one\n')
  })

  test('create writes what the editor saved, encrypted, mode 0600', async () => {
    const work = mkdtempSync(join(dir, 'create-'))
    writeFileSync(join(work, 'content'), 'created: yes\n')
    const result = await tsplay(['vault', 'create', '--vault-password-file', join(dir, 'pw'), 'new.yml'], { cwd: work, env: { EDITOR: `cp ${join(work, 'content')}` } })
    expect(result.code).toBe(0)
    const { stdout: mode } = await run('stat', ['-c', '%a', join(work, 'new.yml')])
    expect(mode.trim()).toBe('600')
    expect(await ansible('ansible-vault', ['view', '--vault-password-file', 'pw', join(work, 'new.yml')], dir)).toBe('created: yes\n')
    const again = await tsplay(['vault', 'create', '--vault-password-file', join(dir, 'pw'), 'new.yml'], { cwd: work, env: { EDITOR: 'true' } })
    expect(again.code).toBe(1)
    expect(again.stderr).toMatch(/new\.yml exists; use 'tsplay vault edit'/)
  })
})
