/**
 * What a lab is, read from an ordinary inventory: one container per host on one docker network,
 * with per-group options (`lab_docker`, `lab_fuse`). Nothing but host names is required: the
 * network, its subnet and the addresses are chosen by `lab up` (allocate.ts) where the inventory
 * does not give them, and recorded in the inventory's `.lab/`.
 */
import { createHash } from 'node:crypto'
import { statSync } from 'node:fs'
import { basename, dirname, join, resolve } from 'node:path'
import { InventoryError } from '../errors.js'
import { hostMagic } from '../exec/scope.js'
import { loadInventory, type Inventory } from '../inventory/index.js'
import { VarScope } from '../vars.js'
import { setVaultSecrets, vaultSecrets } from '../vault/keyring.js'
import { parseIpv4, parseSubnet, type Subnet } from './net.js'
import { LAB_VAULT_SECRET } from './state.js'

export interface LabHostSpec {
  /** The inventory name, also the container's hostname and its name on the lab network. */
  name: string
  container: string
  /** `ansible_host` when it is an IPv4 address: kept as the lab address where it fits the subnet. */
  address?: string
  /** `lab_docker`: the host runs docker itself (its /var/lib/docker is a volume, so overlay2 works). */
  docker: boolean
  /** `lab_fuse`: /dev/fuse is passed in (GlusterFS and other FUSE mounts). */
  fuse: boolean
}

export interface LabSpec {
  /** The inventory source as given, made absolute. */
  source: string
  /** The lab's state folder: `.lab/` in a folder inventory, `.lab/FILE/` beside a file inventory. */
  stateDir: string
  network: string
  /** `lab_subnet`, when the inventory gives one. */
  subnet?: Subnet
  hosts: LabHostSpec[]
  /** The inventory as loaded, to select hosts by pattern. */
  inventory: Inventory
}

export interface LabHost extends LabHostSpec {
  address: string
}

/** A lab with its subnet and every host's address decided (by `lab up`). */
export interface LabConfig extends LabSpec {
  subnet: Subnet
  gateway: string
  hosts: LabHost[]
}

/**
 * Where an inventory's lab state lives. Two inventory files in one folder are two labs, so a
 * file's state goes in a folder of its own name.
 */
export function labStateDir(source: string): string {
  const full = resolve(source)
  let isDir = false
  try {
    isDir = statSync(full).isDirectory()
  } catch {
    throw new InventoryError(`inventory '${source}' does not exist`)
  }
  return isDir ? join(full, '.lab') : join(dirname(full), '.lab', basename(full))
}

/** A lab named after its inventory, so that two inventories' labs can be up at once. */
function defaultNetwork(source: string): string {
  const full = resolve(source)
  const name = basename(full).replace(/\.(ini|ya?ml|cfg)$/i, '')
  const slug = name.toLowerCase().replace(/[^a-z0-9]+/g, '-').replace(/^-+|-+$/g, '').slice(0, 24) || 'inventory'
  return `tsplay-${slug}-${createHash('sha256').update(full).digest('hex').slice(0, 6)}`
}

export async function loadLabSpec(source: string): Promise<LabSpec> {
  const stateDir = labStateDir(source)
  const inventory = await loadLabInventory(source)
  const scopes = [...inventory.hosts.keys()].map((name) => ({ name, scope: hostScope(inventory, name) }))
  const labScopes = scopes.filter(({ scope }) => scope.get('ansible_connection') !== 'local' && flag(scope.get('lab_host'), true))
  if (!labScopes.length) throw new InventoryError(`inventory '${source}' has no host for the lab`)

  const first = labScopes[0]?.scope as VarScope
  const network = String(first.get('lab_network') ?? defaultNetwork(source))
  if (!/^[A-Za-z0-9][A-Za-z0-9_.-]*$/.test(network)) throw new InventoryError(`lab_network '${network}' is not a valid docker network name`)
  const subnetValue = first.get('lab_subnet')
  const subnet = subnetValue === undefined || subnetValue === '' ? undefined : parseSubnet(String(subnetValue))
  if (subnetValue !== undefined && subnetValue !== '' && !subnet) throw new InventoryError(`lab_subnet must be an IPv4 network such as 198.18.0.0/24 (got '${String(subnetValue)}')`)

  const hosts = labScopes.map(({ name, scope }): LabHostSpec => {
    for (const key of ['lab_network', 'lab_subnet']) {
      if (String(scope.get(key) ?? '') !== String(first.get(key) ?? '')) throw new InventoryError(`${key} of host '${name}' differs from the rest of the lab: one lab is one network`)
    }
    const address = String(scope.get('ansible_host') ?? '')
    return {
      name,
      container: `${network}-${name}`.replace(/[^A-Za-z0-9_.-]/g, '-'),
      ...(parseIpv4(address) !== undefined ? { address } : {}),
      docker: flag(scope.get('lab_docker'), false),
      fuse: flag(scope.get('lab_fuse'), false),
    }
  })
  return { source: resolve(source), stateDir, network, ...(subnet ? { subnet } : {}), hosts, inventory }
}

/**
 * A lab inventory may hold values vaulted with the lab's password (inventory/lab does): the lab
 * commands read it with that password added, whether the lab is up or not (a lab that is down
 * must be readable to come up). Only while it is read: a run gets the lab's password from its
 * file, and only while the lab is up (attach.ts).
 */
async function loadLabInventory(source: string): Promise<Inventory> {
  const installed = vaultSecrets()
  setVaultSecrets([...installed, LAB_VAULT_SECRET])
  try {
    return await loadInventory([source])
  } finally {
    setVaultSecrets(installed)
  }
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
