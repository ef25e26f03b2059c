/** How a lab is read from an inventory: no docker needed for these. */
import { chmodSync, mkdtempSync, readFileSync, statSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { describe, expect, it } from 'vitest'
import { labVaultIds } from '../../engine/lab/attach.js'
import { loadLabSpec } from '../../engine/lab/config.js'
import { gatewayOf, isHostAddress, parseSubnet } from '../../engine/lab/net.js'
import { LAB_VAULT_PASSWORD, labFiles, writeVaultPassword } from '../../engine/lab/state.js'
import { vaultSecrets } from '../../engine/vault/keyring.js'
import { VarScope } from '../../engine/vars.js'
import { ROOT, writeTree } from '../helpers/cli.js'

const ALL = 'ansible_user: root\nansible_ssh_private_key_file: "{{ inventory_dir }}/.lab/id_ed25519"\ntsplay_known_hosts_file: "{{ inventory_dir }}/.lab/known_hosts"\nlab_subnet: 198.18.5.0/24\n'

function inventory(hosts: string, all = ALL): string {
  const dir = mkdtempSync(join(tmpdir(), 'tsplay-lab-config-'))
  writeTree(dir, { hosts: hosts, 'group_vars/all.yml': all })
  return dir
}

describe('the lab inventory in the repository', () => {
  it('holds the flagship stack, each host at its own address, with docker and FUSE where the roles need them', async () => {
    const config = await loadLabSpec(join(ROOT, 'inventory', 'lab'))
    expect(config).toMatchObject({ network: 'tsplay-lab', subnet: { cidr: '198.18.0.0/24' } })
    const groups = (g: string): string[] => config.inventory.select(g)
    expect(groups('galera')).toHaveLength(3)
    expect(groups('lvs')).toHaveLength(2)
    expect(groups('nginx')).toHaveLength(2)
    expect(groups('rancher_server')).toHaveLength(2)
    expect(groups('rancher_agent').length).toBeGreaterThanOrEqual(1)
    expect(new Set(config.hosts.map((h) => h.address)).size).toBe(config.hosts.length)
    for (const h of config.hosts) {
      expect(h.docker).toBe(groups('rancher').includes(h.name))
      expect(h.fuse).toBe(groups('storage').includes(h.name))
    }
  })

  it("reads its lab-only passwords, vaulted with the lab's password, with the lab down and no password given", async () => {
    const config = await loadLabSpec(join(ROOT, 'inventory', 'lab'))
    const value = (host: string, name: string): unknown => new VarScope(config.inventory.varLayers(host)).get(name)
    expect(value('galera1', 'galera_sst_password')).toBe('lab-sst-password-1')
    expect(value('galera3', 'mariadb_root_password')).toBe('lab-root-password-4')
    expect(value('lb1', 'lvs_auth_pass')).toBe('tsplab01')
    // Only while the lab commands read it: a run in this process would still have no password.
    expect(vaultSecrets()).toEqual([])
  })
})

describe("the lab's vault password", () => {
  it('is written private, with the fixed lab password, and made private again if it was opened up', () => {
    const files = labFiles(mkdtempSync(join(tmpdir(), 'tsplay-lab-vault-')))
    writeVaultPassword(files)
    expect(readFileSync(files.vaultPassword, 'utf8')).toBe(`${LAB_VAULT_PASSWORD}\n`)
    expect(statSync(files.vaultPassword).mode & 0o777).toBe(0o600)
    chmodSync(files.vaultPassword, 0o644)
    writeVaultPassword(files)
    expect(statSync(files.vaultPassword).mode & 0o777).toBe(0o600)
  })

  it('is no vault source for an inventory whose lab is down, even with its file there, nor for a host list or a missing source', () => {
    const dir = inventory('[web]\nweb1 ansible_host=198.18.5.10\n')
    const files = labFiles(join(dir, '.lab'))
    writeTree(dir, { '.lab/lab.json': JSON.stringify({ source: dir, network: 'tsplay-gone', networkId: 'f00df00df00df00d', subnet: '198.18.5.0/24', gateway: '198.18.5.1', image: 'x', hosts: [] }) })
    writeVaultPassword(files)
    expect(labVaultIds([dir, 'web1,web2,', join(dir, 'missing')])).toEqual([])
  })
})

describe('lab config', () => {
  it('names containers after the network and the host, and keeps the state beside the inventory', async () => {
    const dir = inventory('[web]\nweb1 ansible_host=198.18.5.10\n')
    const config = await loadLabSpec(dir)
    // Named after the inventory's folder when lab_network is not set.
    expect(config.network).toMatch(/^tsplay-tsplay-lab-config-[a-z0-9]*-[0-9a-f]{6}$/)
    expect(config.subnet?.cidr).toBe('198.18.5.0/24')
    expect(config.stateDir).toBe(join(dir, '.lab'))
    expect(config.hosts).toEqual([{ name: 'web1', container: `${config.network}-web1`, address: '198.18.5.10', docker: false, fuse: false }])
  })

  it('takes an inventory of bare names, and gives two inventories in one folder two labs', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'tsplay-lab-plain-'))
    writeTree(dir, { 'hosts.ini': '[probe]\nhold1\nhold2\n', 'other.ini': 'hold1\n' })
    const one = await loadLabSpec(join(dir, 'hosts.ini'))
    const two = await loadLabSpec(join(dir, 'other.ini'))
    expect(one.network).toMatch(/^tsplay-hosts-[0-9a-f]{6}$/)
    expect(two.network).toMatch(/^tsplay-other-[0-9a-f]{6}$/)
    expect(one.stateDir).toBe(join(dir, '.lab', 'hosts.ini'))
    expect(two.stateDir).toBe(join(dir, '.lab', 'other.ini'))
    expect(one.subnet).toBeUndefined()
    expect(one.hosts.map((h) => [h.name, h.address])).toEqual([['hold1', undefined], ['hold2', undefined]])
  })

  it('leaves out hosts with the local connection or lab_host=false', async () => {
    const dir = inventory('web1 ansible_host=198.18.5.10\nlocalhost ansible_connection=local\nreal ansible_host=203.0.113.9 lab_host=false\n')
    expect((await loadLabSpec(dir)).hosts.map((h) => h.name)).toEqual(['web1'])
  })

  it.each([
    ['a malformed lab_subnet', 'web1\n', 'lab_subnet: 198.18.5.0\n', /lab_subnet must be an IPv4 network such as 198\.18\.0\.0\/24 \(got '198\.18\.5\.0'\)/],
    ['a bad lab_docker value', 'web1 ansible_host=198.18.5.10 lab_docker=maybe\n', ALL, /expected a boolean, got 'maybe'/],
    ['two networks in one lab', 'a\nb lab_network=other\n', ALL, /lab_network of host 'b' differs from the rest of the lab/],
  ])('refuses %s', async (_what, hosts, all, message) => {
    await expect(loadLabSpec(inventory(hosts, all))).rejects.toThrow(message)
  })
})

describe('lab network arithmetic', () => {
  it('normalises a subnet and finds its gateway and usable addresses', () => {
    const subnet = parseSubnet('198.18.1.77/24')
    expect(subnet?.cidr).toBe('198.18.1.0/24')
    if (!subnet) return
    expect(gatewayOf(subnet)).toBe('198.18.1.1')
    expect(isHostAddress(subnet, '198.18.1.2')).toBe(true)
    expect(isHostAddress(subnet, '198.18.1.255')).toBe(false)
    expect(isHostAddress(subnet, '198.18.2.5')).toBe(false)
    expect(parseSubnet('198.18.1.0')).toBeUndefined()
    expect(parseSubnet('300.1.1.0/24')).toBeUndefined()
  })
})
