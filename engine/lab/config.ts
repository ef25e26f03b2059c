/**
 * What a lab is, read from an ordinary inventory: one container per host, at the host's
 * `ansible_host` address on one docker network, with per-group options (`lab_docker`, `lab_fuse`).
 */
import { statSync } from 'node:fs'
import { dirname, join, resolve } from 'node:path'
import { InventoryError } from '../errors.js'
import { hostMagic } from '../exec/scope.js'
import { loadInventory, type Inventory } from '../inventory/index.js'
import { VarScope } from '../vars.js'
import { gatewayOf, isHostAddress, parseSubnet, type Subnet } from './net.js'

export const DEFAULT_NETWORK = 'tsplay-lab'

export interface LabHost {
  /** The inventory name, also the container's hostname and its name on the lab network. */
  name: string
  container: string
  address: string
  /** `lab_docker`: the host runs docker itself (its /var/lib/docker is a volume, so overlay2 works). */
  docker: boolean
  /** `lab_fuse`: /dev/fuse is passed in (GlusterFS and other FUSE mounts). */
  fuse: boolean
  /** The key file and known_hosts the inventory makes `tsplay run` use for this host. */
  keyFile?: string
  knownHostsFile?: string
}

export interface LabConfig {
  /** The folder holding the inventory; the lab's state lives in its `.lab/`. */
  inventoryDir: string
  stateDir: string
  network: string
  subnet: Subnet
  gateway: string
  hosts: LabHost[]
  /** The inventory as loaded, to select hosts by pattern. */
  inventory: Inventory
}

/** The one `-i` source of a lab: a folder or a file; its folder holds `.lab/`. */
export function labDirOf(source: string): string {
  const full = resolve(source)
  let isDir = false
  try {
    isDir = statSync(full).isDirectory()
  } catch {
    throw new InventoryError(`inventory '${source}' does not exist`)
  }
  return isDir ? full : dirname(full)
}

export async function loadLabConfig(source: string): Promise<LabConfig> {
  const inventoryDir = labDirOf(source)
  const inventory = await loadInventory([source])
  const names = [...inventory.hosts.keys()]
  const scopes = names.map((name) => ({ name, scope: hostScope(inventory, name) }))
  const labScopes = scopes.filter(({ scope }) => scope.get('ansible_connection') !== 'local' && flag(scope.get('lab_host'), true))
  if (!labScopes.length) throw new InventoryError(`inventory '${source}' has no host for the lab`)

  const first = labScopes[0]?.scope as VarScope
  const network = String(first.get('lab_network') ?? DEFAULT_NETWORK)
  if (!/^[A-Za-z0-9][A-Za-z0-9_.-]*$/.test(network)) throw new InventoryError(`lab_network '${network}' is not a valid docker network name`)
  const subnetText = String(first.get('lab_subnet') ?? '')
  const subnet = parseSubnet(subnetText)
  if (!subnet) throw new InventoryError(`lab_subnet must be set for the lab's hosts, as an IPv4 network such as 198.18.0.0/24 (got '${subnetText}')`)

  const seen = new Map<string, string>()
  const hosts = labScopes.map(({ name, scope }): LabHost => {
    for (const key of ['lab_network', 'lab_subnet']) {
      if (String(scope.get(key) ?? '') !== String(first.get(key) ?? '')) throw new InventoryError(`${key} of host '${name}' differs from the rest of the lab: one lab is one network`)
    }
    const address = String(scope.get('ansible_host') ?? '')
    if (!isHostAddress(subnet, address)) {
      throw new InventoryError(`lab host '${name}' needs a fixed address in ${subnet.cidr} other than the gateway ${gatewayOf(subnet)} (ansible_host=..., got '${address}')`)
    }
    const other = seen.get(address)
    if (other) throw new InventoryError(`lab hosts '${other}' and '${name}' have the same address ${address}`)
    seen.set(address, name)
    const keyFile = scope.get('ansible_ssh_private_key_file') ?? scope.get('ansible_private_key_file')
    const knownHosts = scope.get('tsplay_known_hosts_file')
    return {
      name,
      container: `${network}-${name}`.replace(/[^A-Za-z0-9_.-]/g, '-'),
      address,
      docker: flag(scope.get('lab_docker'), false),
      fuse: flag(scope.get('lab_fuse'), false),
      ...(keyFile !== undefined ? { keyFile: resolve(String(keyFile)) } : {}),
      ...(knownHosts !== undefined ? { knownHostsFile: resolve(String(knownHosts)) } : {}),
    }
  })
  return { inventoryDir, stateDir: join(inventoryDir, '.lab'), network, subnet, gateway: gatewayOf(subnet), hosts, inventory }
}

/** The host's inventory variables with the magic ones (inventory_dir), as a run would see them. */
function hostScope(inventory: Inventory, name: string): VarScope {
  return new VarScope([...inventory.varLayers(name), { source: 'host magic', vars: hostMagic(inventory, name) }])
}

/** Ansible's booleans: true/false, yes/no, on/off, 1/0. */
function flag(value: unknown, fallback: boolean): boolean {
  if (value === undefined || value === null || value === '') return fallback
  if (typeof value === 'boolean') return value
  const text = String(value).toLowerCase()
  if (['true', 'yes', 'on', '1', 'y'].includes(text)) return true
  if (['false', 'no', 'off', '0', 'n'].includes(text)) return false
  throw new InventoryError(`expected a boolean, got '${String(value)}'`)
}

/** Lines telling the user when the inventory would not make `tsplay run` use the lab's key and known_hosts. */
export function wiringWarnings(config: LabConfig, keyFile: string, knownHostsFile: string): string[] {
  const warnings: string[] = []
  for (const host of config.hosts) {
    if (host.keyFile !== keyFile) {
      warnings.push(`host ${host.name}: ansible_ssh_private_key_file is ${host.keyFile ?? 'not set'}; tsplay run needs the lab key ${keyFile} (set it in group_vars/all.yml)`)
    }
    if (host.knownHostsFile !== knownHostsFile) {
      warnings.push(`host ${host.name}: tsplay_known_hosts_file is ${host.knownHostsFile ?? 'not set'}; tsplay run checks host keys against ${knownHostsFile} (set it in group_vars/all.yml)`)
    }
  }
  return warnings
}
