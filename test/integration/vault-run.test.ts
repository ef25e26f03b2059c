/** `tsplay run` and `tsplay inventory` with vaulted data: where passwords come from, and the errors. */
import { chmodSync, mkdtempSync, readFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { describe, expect, test } from 'vitest'
import { encryptVault, type VaultSecret } from '../../engine/vault/keyring.js'
import { formatInlineVault } from '../../engine/vault/inline.js'
import { tsplay, writeTree } from '../helpers/cli.js'

const PASSWORD = 'run-password'
const secret: VaultSecret = { label: 'default', password: Buffer.from(PASSWORD), source: 'test' }
const inline = (name: string, value: string): string => formatInlineVault(encryptVault(value, secret), name)

/** A playbook that writes `{{ var }}` to out.txt, in a fresh folder. */
function project(files: Record<string, string>, varName = 'db_password'): string {
  const dir = mkdtempSync(join(tmpdir(), 'tsplay-vault-run-'))
  writeTree(dir, {
    pw: `${PASSWORD}\n`,
    wrong: 'not it\n',
    'site.yml': `- hosts: all
  gather_facts: false
  tasks:
    - copy: { dest: "${dir}/out.txt", content: "{{ ${varName} }}" }
`,
    ...files,
  })
  return dir
}
const LOCAL_INV = 'localhost ansible_connection=local\n'

describe('vault passwords for a run', () => {
  test('from --vault-password-file: a vaulted group_vars file and a vaulted INI inventory', async () => {
    const dir = project({ hosts: encryptVault('[db]\nlocalhost ansible_connection=local\n', secret), 'group_vars/db.yml': encryptVault('db_password: GroupVars-Secret\n', secret) })
    const r = await tsplay(['run', 'site.yml', '-i', 'hosts', '--vault-password-file', 'pw', '-v'], { cwd: dir })
    expect(r.stderr).toBe('')
    expect(r.code).toBe(0)
    expect(readFileSync(join(dir, 'out.txt'), 'utf8')).toBe('GroupVars-Secret')
    expect(r.stdout).not.toContain('GroupVars-Secret')
  })

  test('from TSPLAY_VAULT_PASSWORD_FILE, for -e @vaulted-file', async () => {
    const dir = project({ hosts: LOCAL_INV, 'extra.yml': encryptVault('db_password: Extra-Vars-Secret\n', secret) })
    const r = await tsplay(['run', 'site.yml', '-i', 'hosts', '-e', '@extra.yml'], { cwd: dir, env: { TSPLAY_VAULT_PASSWORD_FILE: join(dir, 'pw') } })
    expect(r.code).toBe(0)
    expect(readFileSync(join(dir, 'out.txt'), 'utf8')).toBe('Extra-Vars-Secret')
  })

  test('from an executable given as --vault-id LABEL@SCRIPT, for a !vault value in the playbook', async () => {
    const dir = project({ hosts: LOCAL_INV, 'pass.sh': `#!/bin/sh\nprintf '%s\\n' '${PASSWORD}'\n` }, 'play_secret')
    chmodSync(join(dir, 'pass.sh'), 0o700)
    const vars = inline('play_secret', 'Play-Secret-3').trimEnd().replace(/^/gm, '    ')
    const play = readFileSync(join(dir, 'site.yml'), 'utf8').replace('  tasks:', `  vars:\n${vars}\n  tasks:`)
    writeTree(dir, { 'site.yml': play })
    const r = await tsplay(['run', 'site.yml', '-i', 'hosts', '--vault-id', 'ops@pass.sh'], { cwd: dir })
    expect(r.stderr).toBe('')
    expect(readFileSync(join(dir, 'out.txt'), 'utf8')).toBe('Play-Secret-3')
  })
})

describe('vault errors stop the run before any host is touched', () => {
  test('no password: the file and line of the !vault value, and how to give one (exit 1)', async () => {
    const dir = project({ hosts: LOCAL_INV, 'group_vars/all.yml': `user: app\n${inline('db_password', 'x-secret-x')}` })
    const r = await tsplay(['run', 'site.yml', '-i', 'hosts'], { cwd: dir })
    expect(r.code).toBe(1)
    expect(r.stderr).toMatch(/^ERROR! .*group_vars\/all\.yml:2:\d+: cannot decrypt the !vault value: .*no vault password was given; give one with --vault-password-file/)
  })

  test('a wrong password names the file (exit 1)', async () => {
    const dir = project({ hosts: LOCAL_INV, 'group_vars/all.yml': encryptVault('db_password: y\n', secret) })
    const r = await tsplay(['run', 'site.yml', '-i', 'hosts', '--vault-password-file', 'wrong'], { cwd: dir })
    expect(r.code).toBe(1)
    expect(r.stderr).toMatch(/ERROR! cannot decrypt .*group_vars\/all\.yml: the vault password is wrong, or the data was changed/)
  })

  test('a tampered file names the file', async () => {
    const vaulted = encryptVault('db_password: y\n', secret)
    const lines = vaulted.split('\n')
    const last = lines[lines.length - 2] as string
    lines[lines.length - 2] = last.slice(0, -2) + (last.endsWith('30') ? '31' : '30')
    const dir = project({ hosts: LOCAL_INV, 'group_vars/all.yml': lines.join('\n') })
    const r = await tsplay(['run', 'site.yml', '-i', 'hosts', '--vault-password-file', 'pw'], { cwd: dir })
    expect(r.code).toBe(1)
    expect(r.stderr).toMatch(/cannot decrypt .*group_vars\/all\.yml: (the vault password is wrong, or the data was changed|not valid vault data)/)
    expect(r.stdout).toBe('')
  })

  test('an error message that quotes a vaulted value shows it masked', async () => {
    const dir = project({ hosts: LOCAL_INV })
    writeTree(dir, {
      'site.yml': `- hosts: all
  gather_facts: false
  tasks:
    - debug:
        msg: hi
        verbosity: !vault |
${encryptVault('Not-A-Number-Secret', secret).replace(/^/gm, '          ').trimEnd()}
`,
    })
    const r = await tsplay(['run', 'site.yml', '-i', 'hosts', '--vault-password-file', 'pw'], { cwd: dir })
    expect(r.stderr).toMatch(/ERROR! .*argument 'verbosity' must be an integer/)
    expect(r.stderr).toContain('********')
    expect(r.stderr + r.stdout).not.toContain('Not-A-Number-Secret')
  })
})

describe('tsplay inventory', () => {
  test('shows vaulted variables masked', async () => {
    const dir = project({ 'inv.yml': `all:\n  hosts:\n    db1:\n      user: app\n${inline('db_password', 'Inventory-Listed-Secret').replace(/^/gm, '      ')}` })
    const r = await tsplay(['inventory', '-i', 'inv.yml', '--list', '--vault-password-file', 'pw'], { cwd: dir })
    expect(r.code).toBe(0)
    expect(r.stdout).toContain('"db_password": "********"')
    expect(r.stdout).toContain('"user": "app"')
    expect(r.stdout).not.toContain('Inventory-Listed-Secret')
  })
})
