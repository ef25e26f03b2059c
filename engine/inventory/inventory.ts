/**
 * The loaded inventory: hosts and groups as read, plus the group_vars/ and host_vars/ folders
 * (the inventory's, then the playbook's), layered in Ansible's variable precedence.
 */
import { resolve } from 'node:path'
import { InventoryError } from '../errors.js'
import { LOCALHOST_NAMES, setKey, type InventoryData } from './model.js'
import { selectHosts, type PatternContext, type Selection } from './patterns.js'
import type { Inventory, InventoryGroup, InventoryHost, VarLayer } from './types.js'
import { loadVarsFolder, type VarsFolder } from './group-host-vars.js'

type FolderKind = 'inventory' | 'playbook'

/** A host Ansible invents for 'localhost' (and '127.0.0.1', '::1') when no inventory lists it. */
export function implicitLocalhost(name = 'localhost'): InventoryHost {
  return { name, vars: { ansible_connection: 'local' }, groups: ['all'] }
}

export class LoadedInventory implements Inventory {
  readonly hosts = new Map<string, InventoryHost>()
  readonly groups = new Map<string, InventoryGroup>()
  readonly warnings: string[]
  readonly notices: string[] = []
  private readonly overrides = new Map<string, VarLayer>()
  private readonly folders: { kind: FolderKind; folder: VarsFolder }[] = []
  private readonly loaded = new Set<string>()
  private readonly depths: Map<string, number>
  private readonly patterns: PatternContext

  constructor(private readonly data: InventoryData) {
    this.warnings = data.warnings
    this.depths = data.depths()
    for (const g of data.groups.values()) {
      const { name, hosts, children, parents } = g
      this.groups.set(name, { name, hosts, children, parents, vars: {}, depth: this.depths.get(name) ?? 0 })
    }
    const groupHosts = new Map<string, string[]>([...data.groups.keys()].map((g) => [g, []]))
    for (const h of data.hosts.values()) {
      const groups = data.hostGroups(h.name, this.depths)
      this.hosts.set(h.name, { name: h.name, vars: {}, groups, ...(h.file !== undefined ? { inventoryFile: h.file } : {}) })
      for (const g of groups) groupHosts.get(g)?.push(h.name)
    }
    this.patterns = { hosts: [...data.hosts.keys()], groupHosts }
    this.merge()
  }

  /** Reads one folder's group_vars/ and host_vars/; a folder already read is not read twice. */
  async addFolder(dir: string, kind: FolderKind): Promise<void> {
    const key = resolve(dir)
    if (this.loaded.has(key)) return
    this.loaded.add(key)
    const names = { groups: this.data.groups.keys(), hosts: [...this.data.hosts.keys(), ...LOCALHOST_NAMES] }
    this.folders.push({ kind, folder: await loadVarsFolder(dir, names) })
    // Playbook folders rank above every inventory folder whatever the order they were added in.
    this.folders.sort((a, b) => (a.kind === b.kind ? 0 : a.kind === 'inventory' ? -1 : 1))
    this.merge()
  }

  addVarsDir(dir: string): Promise<void> {
    return this.addFolder(dir, 'playbook')
  }

  varLayers(host: string): VarLayer[] {
    const listed = this.data.hosts.get(host)
    if (!listed && !LOCALHOST_NAMES.includes(host)) throw new InventoryError(`'${host}' is not a host of the inventory`)
    const groups = (this.hosts.get(host)?.groups ?? ['all']).filter((g) => g !== 'all')
    const layers: VarLayer[] = [{ source: 'group all', vars: this.data.groups.get('all')?.vars ?? {} }]
    for (const g of groups) layers.push({ source: `group ${g}`, vars: this.data.groups.get(g)?.vars ?? {} })
    for (const { folder } of this.folders) pushLayer(layers, folder.groups.get('all'))
    for (const { folder } of this.folders) for (const g of groups) pushLayer(layers, folder.groups.get(g))
    layers.push({ source: `host ${host}`, vars: listed ? listed.vars : implicitLocalhost(host).vars })
    for (const { folder } of this.folders) pushLayer(layers, folder.hosts.get(host))
    pushLayer(layers, this.overrides.get(host))
    return layers.filter((layer) => Object.keys(layer.vars).length > 0)
  }

  overrideHost(host: string, layer: VarLayer): void {
    if (!this.data.hosts.has(host)) throw new InventoryError(`'${host}' is not a host of the inventory`)
    this.overrides.set(host, layer)
    this.merge()
  }

  select(pattern: string): string[] {
    return this.selection(pattern).hosts
  }

  unmatched(pattern: string): string[] {
    return this.selection(pattern).unmatched
  }

  private selection(pattern: string): Selection {
    return selectHosts(pattern, this.patterns)
  }

  /** Recomputes each host's and group's own vars: inventory file, then each folder in order. */
  private merge(): void {
    for (const [name, group] of this.groups) {
      const layers = this.folders.map(({ folder }) => folder.groups.get(name)?.vars ?? {})
      group.vars = mergeAll([this.data.groups.get(name)?.vars ?? {}, ...layers])
    }
    for (const [name, host] of this.hosts) {
      const layers = this.folders.map(({ folder }) => folder.hosts.get(name)?.vars ?? {})
      host.vars = mergeAll([this.data.hosts.get(name)?.vars ?? {}, ...layers, this.overrides.get(name)?.vars ?? {}])
    }
  }
}

function pushLayer(layers: VarLayer[], layer: VarLayer | undefined): void {
  if (layer) layers.push(layer)
}

/** Ansible's default `hash_behaviour = replace`: a later layer replaces a key whole, dicts included. */
export function mergeAll(layers: Record<string, unknown>[]): Record<string, unknown> {
  const out: Record<string, unknown> = {}
  for (const layer of layers) for (const [k, v] of Object.entries(layer)) setKey(out, k, v)
  return out
}
