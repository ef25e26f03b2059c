/** How a lab is read from an inventory: no docker needed for these. */
import { mkdtempSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { describe, expect, it } from 'vitest'
import { loadLabConfig } from '../../engine/lab/config.js'
import { gatewayOf, isHostAddress, parseSubnet } from '../../engine/lab/net.js'
import { ROOT, writeTree } from '../helpers/cli.js'

const ALL = 'ansible_user: root\nansible_ssh_private_key_file: "{{ inventory_dir }}/.lab/id_ed25519"\ntsplay_known_hosts_file: "{{ inventory_dir }}/.lab/known_hosts"\nlab_subnet: 198.18.5.0/24\n'

function inventory(hosts: string, all = ALL): string {
  const dir = mkdtempSync(join(tmpdir(), 'tsplay-lab-config-'))
  writeTree(dir, { hosts: hosts, 'group_vars/all.yml': all })
  return dir
}

describe('the lab inventory in the repository', () => {
  it('holds the flagship stack, each host at its own address, with docker and FUSE where the roles need them', async () => {
    const config = await loadLabConfig(join(ROOT, 'inventory', 'lab'))
    expect(config).toMatchObject({ network: 'tsplay-lab', gateway: '198.18.0.1', subnet: { cidr: '198.18.0.0/24' } })
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
      // tsplay run finds the lab key and known_hosts through the inventory alone.
      expect(h.keyFile).toBe(join(config.stateDir, 'id_ed25519'))
      expect(h.knownHostsFile).toBe(join(config.stateDir, 'known_hosts'))
    }
  })
})

describe('lab config', () => {
  it('names containers after the network and the host, and keeps the state beside the inventory', async () => {
    const dir = inventory('[web]\nweb1 ansible_host=198.18.5.10\n')
    const config = await loadLabConfig(dir)
    expect(config.network).toBe('tsplay-lab')
    expect(config.stateDir).toBe(join(dir, '.lab'))
    expect(config.hosts).toEqual([{ name: 'web1', container: 'tsplay-lab-web1', address: '198.18.5.10', docker: false, fuse: false, keyFile: join(dir, '.lab', 'id_ed25519'), knownHostsFile: join(dir, '.lab', 'known_hosts') }])
  })

  it('leaves out hosts with the local connection or lab_host=false', async () => {
    const dir = inventory('web1 ansible_host=198.18.5.10\nlocalhost ansible_connection=local\nreal ansible_host=203.0.113.9 lab_host=false\n')
    expect((await loadLabConfig(dir)).hosts.map((h) => h.name)).toEqual(['web1'])
  })

  it.each([
    ['a host without a fixed address', 'web1\n', ALL, /lab host 'web1' needs a fixed address in 198\.18\.5\.0\/24/],
    ['an address outside the subnet', 'web1 ansible_host=10.1.2.3\n', ALL, /needs a fixed address in 198\.18\.5\.0\/24/],
    ['the gateway address', 'web1 ansible_host=198.18.5.1\n', ALL, /other than the gateway 198\.18\.5\.1/],
    ['two hosts at one address', 'a ansible_host=198.18.5.9\nb ansible_host=198.18.5.9\n', ALL, /'a' and 'b' have the same address/],
    ['no lab_subnet', 'web1 ansible_host=198.18.5.10\n', 'ansible_user: root\n', /lab_subnet must be set/],
    ['a bad lab_docker value', 'web1 ansible_host=198.18.5.10 lab_docker=maybe\n', ALL, /expected a boolean, got 'maybe'/],
  ])('refuses %s', async (_what, hosts, all, message) => {
    await expect(loadLabConfig(inventory(hosts, all))).rejects.toThrow(message)
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
