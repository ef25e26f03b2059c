import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterEach, describe, expect, test } from 'vitest'
import { loadInventory } from '../../engine/inventory/index.js'
import { resetSecretsForTests, scrub } from '../../engine/secrets.js'
import { VaultError } from '../../engine/vault/errors.js'
import { encryptVault, setVaultSecrets, type VaultSecret } from '../../engine/vault/keyring.js'
import { formatInlineVault } from '../../engine/vault/inline.js'
import { parseYaml, loadYamlFileSync } from '../../engine/yaml.js'
import { ROOT } from '../helpers/cli.js'

const FIXTURES = join(ROOT, 'test', 'fixtures', 'vault')
const secret: VaultSecret = { label: 'default', password: Buffer.from('correct horse battery staple'), source: 'test' }
const inline = (value: string, name: string): string => formatInlineVault(encryptVault(value, secret), name)

afterEach(() => {
  setVaultSecrets([])
  resetSecretsForTests()
})

describe('!vault values in YAML', () => {
  test('decrypt at load time to the string, and become secrets', () => {
    setVaultSecrets([secret])
    const data = parseYaml(`user: galera\n${inline('Sst-Pa55word', 'sst_password')}port: 4444\n`, 'vars.yml') as Record<string, unknown>
    expect(data).toEqual({ user: 'galera', sst_password: 'Sst-Pa55word', port: 4444 })
    expect(scrub('wsrep_sst_auth=sst:Sst-Pa55word')).toBe('wsrep_sst_auth=sst:********')
    expect(scrub('galera')).toBe('galera')
  })

  test('work in lists and nested mappings', () => {
    setVaultSecrets([secret])
    const block = formatInlineVault(encryptVault('nested-secret', secret)).replace(/\n/g, '\n    ')
    const data = parseYaml(`users:\n  - name: a\n    password: ${block}\n`, 'vars.yml')
    expect(data).toEqual({ users: [{ name: 'a', password: 'nested-secret' }] })
  })

  test('without a password: an error at file:line:col that says how to give one', () => {
    const text = `a: 1\n${inline('x-secret', 'b')}`
    expect(() => parseYaml(text, 'group_vars/db.yml')).toThrow(VaultError)
    expect(() => parseYaml(text, 'group_vars/db.yml')).toThrow(/^group_vars\/db\.yml:2:\d+: cannot decrypt the !vault value: .*--vault-password-file/)
  })

  test('with a wrong password: an error at file:line:col', () => {
    setVaultSecrets([{ ...secret, password: Buffer.from('nope') }])
    expect(() => parseYaml(`${inline('x-secret', 'b')}`, 'vars.yml')).toThrow(/^vars\.yml:1:\d+: cannot decrypt the !vault value: the vault password is wrong/)
  })

  test('YAML 1.1 reading is unchanged by the !vault tag (yes is true, 0644 is octal)', () => {
    expect(parseYaml('a: yes\nb: 0644\n', 'x.yml')).toEqual({ a: true, b: 0o644 })
  })
})

describe('files encrypted whole', () => {
  test('a vars file made by ansible-vault loads as its plaintext, every value a secret', () => {
    setVaultSecrets([secret])
    const data = loadYamlFileSync(join(FIXTURES, 'vars-1.1.yml'))
    expect(data).toEqual({ db_password: 'Galera-SST-2024!', monitor_password: 'm0n:itor', port: 3306 })
    expect(scrub('pw Galera-SST-2024! and m0n:itor')).toBe('pw ******** and ********')
    // Keys are names, not secrets.
    expect(scrub('db_password')).toBe('db_password')
  })

  test('connection settings of a vaulted inventory stay readable; credentials do not', () => {
    setVaultSecrets([secret])
    const yaml = 'all:\n  hosts:\n    db1:\n      ansible_connection: local\n      ansible_user: deploy\n      ansible_become_password: Become-Pw-1\n'
    parseYaml(encryptVault(yaml, secret), 'inventory.yml')
    expect(scrub('local deploy Become-Pw-1')).toBe('local deploy ********')
  })

  test('a vaulted task file is code: private at rest, its task names and arguments shown as usual', () => {
    setVaultSecrets([secret])
    const tasks = parseYaml(encryptVault('- name: install galera\n  command: apt-get install galera-4\n', secret), 'tasks.yml')
    expect(tasks).toEqual([{ name: 'install galera', command: 'apt-get install galera-4' }])
    expect(scrub('install galera')).toBe('install galera')
  })

  test('a wrong password names the file', () => {
    setVaultSecrets([{ ...secret, password: Buffer.from('nope') }])
    expect(() => loadYamlFileSync(join(FIXTURES, 'vars-1.2.yml'))).toThrow(/cannot decrypt .*vars-1\.2\.yml: the vault password is wrong/)
  })

  test('an INI inventory encrypted whole is read, and its variable values are secrets', async () => {
    setVaultSecrets([secret])
    const dir = mkdtempSync(join(tmpdir(), 'tsplay-vault-inv-'))
    const ini = '[db]\ndb1 ansible_host=10.1.1.1 mysql_root_password="R00t pw"\n\n[db:vars]\nsst_password = Sst-Secret-9\n'
    writeFileSync(join(dir, 'hosts'), encryptVault(ini, secret))
    const inventory = await loadInventory([join(dir, 'hosts')])
    expect(inventory.select('db')).toEqual(['db1'])
    // Where a host is (ansible_host) is no credential: it stays readable.
    expect(scrub('R00t pw / Sst-Secret-9 / 10.1.1.1 / db1')).toBe('******** / ******** / 10.1.1.1 / db1')
    expect(readFileSync(join(dir, 'hosts'), 'utf8')).toMatch(/^\$ANSIBLE_VAULT;1\.1;AES256\n/)
  })

  test('an INI inventory encrypted whole, without a password, is an error naming it', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'tsplay-vault-inv-'))
    writeFileSync(join(dir, 'hosts'), encryptVault('[db]\ndb1\n', secret))
    await expect(loadInventory([join(dir, 'hosts')])).rejects.toThrow(/cannot decrypt .*hosts: .*no vault password was given/)
  })
})
