/**
 * The example inventories' secrets are vaulted with the lab's vault id and public password:
 * inventory/lab's lab-only passwords and inventory/production's CHANGE-ME placeholders. Both load
 * with the lab's password file (what `tsplay lab up` writes), and nothing without it; what they
 * decrypt to is checked with tsplay's vault and with Debian's ansible-core as the oracle.
 */
import { execFile } from 'node:child_process'
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { promisify } from 'node:util'
import { beforeAll, describe, expect, test } from 'vitest'
import { LAB_VAULT_PASSWORD, LAB_VAULT_SECRET } from '../../engine/lab/state.js'
import { setVaultSecrets } from '../../engine/vault/keyring.js'
import { loadYamlFileSync } from '../../engine/yaml.js'
import { ROOT, tsplay } from '../helpers/cli.js'

const run = promisify(execFile)

const EXPECTED = {
  lab: {
    galera: {
      galera_sst_password: 'lab-sst-password-1',
      galera_monitor_password: 'lab-monitor-password-2',
      galera_cattle_password: 'lab-cattle-password-3',
      mariadb_root_password: 'lab-root-password-4',
    },
    lvs: { lvs_auth_pass: 'tsplab01' },
    hosts: { galera: 'galera1', lvs: 'lb1' },
  },
  production: {
    galera: {
      galera_sst_password: 'CHANGE-ME-galera-sst-password',
      galera_monitor_password: 'CHANGE-ME-galera-monitor-password',
      galera_cattle_password: 'CHANGE-ME-galera-cattle-password',
      mariadb_root_password: 'CHANGE-ME-mariadb-root-password',
    },
    lvs: { lvs_auth_pass: 'CHANGE-ME' },
    hosts: { galera: 'db1.example.com', lvs: 'lb1.example.com' },
  },
} as const
const INVENTORIES = Object.keys(EXPECTED) as (keyof typeof EXPECTED)[]

let passwordFile: string
let vaultId: string

beforeAll(() => {
  passwordFile = join(mkdtempSync(join(tmpdir(), 'tsplay-vault-inventories-')), 'vault-password')
  // What `tsplay lab up` writes to .lab/vault-password (the lab of inventory/lab is not brought up here).
  writeFileSync(passwordFile, `${LAB_VAULT_PASSWORD}\n`, { mode: 0o600 })
  vaultId = `lab@${passwordFile}`
})

describe.each(INVENTORIES)('inventory/%s', (name) => {
  const dir = join(ROOT, 'inventory', name)
  const expected = EXPECTED[name]

  test("its secrets are !vault values with the lab's vault id, and nothing else in group_vars is", () => {
    for (const group of ['galera', 'lvs'] as const) {
      const text = readFileSync(join(dir, 'group_vars', `${group}.yml`), 'utf8')
      for (const key of Object.keys(expected[group])) expect(text).toMatch(new RegExp(`^${key}: !vault \\|\\n {10}\\$ANSIBLE_VAULT;1\\.2;AES256;lab\\n`, 'm'))
      expect(text.match(/!vault/g)).toHaveLength(Object.keys(expected[group]).length)
    }
  })

  test("decrypts with the lab's password to the expected values (tsplay's vault)", () => {
    setVaultSecrets([LAB_VAULT_SECRET])
    try {
      for (const group of ['galera', 'lvs'] as const) {
        expect(loadYamlFileSync(join(dir, 'group_vars', `${group}.yml`))).toMatchObject(expected[group])
      }
    } finally {
      setVaultSecrets([])
    }
  })

  test("loads with tsplay inventory given the lab's password file, values masked", async () => {
    const list = await tsplay(['inventory', '-i', dir, '--vault-id', vaultId, '--list'])
    expect(list.code, list.stderr).toBe(0)
    const host = await tsplay(['inventory', '-i', dir, '--vault-id', vaultId, '--host', expected.hosts.galera])
    expect(host.code, host.stderr).toBe(0)
    expect(JSON.parse(host.stdout)).toMatchObject(Object.fromEntries(Object.keys(expected.galera).map((k) => [k, '********'])))
    for (const value of [...Object.values(expected.galera), ...Object.values(expected.lvs)]) expect(list.stdout + host.stdout).not.toContain(value)
  })

  test('playbooks/site.yml loads on it, every tier finding its hosts (--list-hosts)', async () => {
    const r = await tsplay(['run', join(ROOT, 'playbooks', 'site.yml'), '-i', dir, '--vault-id', vaultId, '--list-hosts'])
    expect(r.code, r.stderr).toBe(0)
    const plays = r.stdout.split('\n  play #').slice(1)
    const empty = plays.filter((p) => /hosts \(0\)/.test(p)).map((p) => p.split('\n')[0])
    // The lab's image play is the lab's only (rancher_lab_images); every other play has hosts on both.
    expect(empty.filter((p) => !p?.includes('lab')), r.stdout).toEqual([])
    expect(r.stdout).toContain(expected.hosts.galera)
    expect(r.stdout).toContain(expected.hosts.lvs)
  })

  test('does not load without a vault password: the error names the value (file:line:col), exit 1', async () => {
    const r = await tsplay(['inventory', '-i', `inventory/${name}`, '--list'])
    expect(r.code).toBe(1)
    expect(r.stderr).toMatch(new RegExp(`^ERROR! inventory/${name}/group_vars/\\w+\\.yml:\\d+:\\d+: cannot decrypt the !vault value: it is encrypted with ansible-vault and no vault password was given`))
  })

  test('ansible-core reads the same values with --vault-id lab@FILE', async () => {
    const names = { ...Object.fromEntries(Object.keys(expected.galera).map((k) => [k, expected.hosts.galera])), lvs_auth_pass: expected.hosts.lvs }
    const expr = `{{ [${Object.entries(names).map(([k, h]) => `hostvars['${h}'].${k}`).join(', ')}] }}`
    // debug runs on the controller: no host is contacted. Ansible reads the folder's hosts.ini with its group_vars.
    const { stdout } = await run('ansible', ['localhost', '-i', join(dir, 'hosts.ini'), '--vault-id', vaultId, '-m', 'debug', '-a', `msg=${expr}`, '-o'], {
      env: { ...process.env, ANSIBLE_NOCOLOR: '1', ANSIBLE_LOCALHOST_WARNING: 'False' },
    })
    const shown = JSON.parse(stdout.replace(/^localhost \| SUCCESS => /, '')) as { msg: string[] }
    expect(shown.msg).toEqual([...Object.values(expected.galera), expected.lvs.lvs_auth_pass])
  })
})
