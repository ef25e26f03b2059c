/**
 * The inventory as the parsers build it (Ansible's InventoryData): groups, hosts, the vars
 * written in inventory files, and the rules Ansible applies once every source is read.
 */
import { staticMethodProblem } from '../connection/become.js'
import { InventoryError, type SourcePos } from '../errors.js'

export interface GroupData {
  name: string
  hosts: string[]
  children: string[]
  parents: string[]
  vars: Record<string, unknown>
  /** `ansible_group_priority`: breaks ties between groups of the same depth. */
  priority: number
}

export interface HostData {
  name: string
  vars: Record<string, unknown>
  /** Direct groups, in the order the host was added to them. */
  groups: string[]
  file?: string
}

/** Names Ansible answers with an implicit local host when no inventory lists them. */
export const LOCALHOST_NAMES: readonly string[] = ['localhost', '127.0.0.1', '::1']

/** Assigns without letting a key named `__proto__` (possible in an inventory) change the prototype. */
export function setKey(target: Record<string, unknown>, key: string, value: unknown): void {
  Object.defineProperty(target, key, { value, enumerable: true, writable: true, configurable: true })
}

/**
 * Checks an inventory variable as it is read, where its file and line are known: a become
 * method tsplay lacks would otherwise be found only on a host (or, before, done with sudo).
 */
export function checkInventoryVar(key: string, value: unknown, pos: SourcePos | undefined): void {
  const problem = key === 'ansible_become_method' ? staticMethodProblem(value) : undefined
  if (problem) throw new InventoryError(problem, pos)
}

export class InventoryData {
  readonly groups = new Map<string, GroupData>()
  readonly hosts = new Map<string, HostData>()
  readonly warnings: string[] = []

  constructor() {
    this.addGroup('all')
    this.addGroup('ungrouped')
    this.addChild('all', 'ungrouped')
  }

  addGroup(name: string): GroupData {
    let group = this.groups.get(name)
    if (!group) {
      group = { name, hosts: [], children: [], parents: [], vars: {}, priority: 1 }
      this.groups.set(name, group)
    }
    return group
  }

  addHost(name: string, group: string | undefined, port: number | undefined, file?: string): HostData {
    let host = this.hosts.get(name)
    if (!host) {
      host = { name, vars: {}, groups: [], ...(file !== undefined ? { file } : {}) }
      this.hosts.set(name, host)
    }
    if (port !== undefined) setKey(host.vars, 'ansible_port', port)
    if (group !== undefined && !host.groups.includes(group)) {
      this.addGroup(group).hosts.push(name)
      host.groups.push(group)
    }
    return host
  }

  addChild(parent: string, child: string, pos?: SourcePos): void {
    const p = this.addGroup(parent)
    const c = this.addGroup(child)
    if (p.children.includes(child)) return
    if (parent === child || this.descendants(child).has(parent)) {
      throw new InventoryError(`making '${child}' a child of '${parent}' creates a loop of groups`, pos)
    }
    p.children.push(child)
    c.parents.push(parent)
  }

  setGroupVar(group: string, key: string, value: unknown, pos?: SourcePos): void {
    checkInventoryVar(key, value, pos)
    const g = this.addGroup(group)
    // As Ansible: the priority is a property of the group, not a variable.
    if (key === 'ansible_group_priority') {
      const n = typeof value === 'number' ? value : Number(String(value))
      if (!Number.isInteger(n)) throw new InventoryError(`ansible_group_priority of '${group}' must be an integer`, pos)
      g.priority = n
      return
    }
    setKey(g.vars, key, value)
  }

  descendants(name: string): Set<string> {
    return this.walk(name, (g) => g.children)
  }

  ancestors(name: string): Set<string> {
    return this.walk(name, (g) => g.parents)
  }

  private walk(name: string, next: (g: GroupData) => string[]): Set<string> {
    const seen = new Set<string>()
    const start = this.groups.get(name)
    const todo = start ? [...next(start)] : []
    for (let item = todo.pop(); item !== undefined; item = todo.pop()) {
      const group = this.groups.get(item)
      if (seen.has(item) || !group) continue
      seen.add(item)
      todo.push(...next(group))
    }
    return seen
  }

  /**
   * Ansible's reconcile step, run once all sources are read: a group with no parent becomes a
   * child of 'all'; a host in no group but 'all' goes to 'ungrouped', and leaves it once it is
   * in another group (a host may be listed ungrouped in one file and grouped in the next).
   */
  reconcile(): void {
    for (const group of this.groups.values()) {
      if (group.name !== 'all' && group.parents.length === 0) this.addChild('all', group.name)
    }
    const ungrouped = this.addGroup('ungrouped')
    for (const host of this.hosts.values()) {
      const grouped = host.groups.some((g) => g !== 'all' && g !== 'ungrouped')
      const inUngrouped = host.groups.includes('ungrouped')
      if (grouped && inUngrouped) {
        host.groups = host.groups.filter((g) => g !== 'ungrouped')
        ungrouped.hosts = ungrouped.hosts.filter((h) => h !== host.name)
      } else if (!grouped && !inUngrouped) {
        this.addHost(host.name, 'ungrouped', undefined)
      }
    }
  }

  /** Longest distance of each group from 'all', which is how Ansible counts depth. */
  depths(): Map<string, number> {
    const depth = new Map<string, number>()
    const visit = (name: string): number => {
      const known = depth.get(name)
      if (known !== undefined) return known
      const parents = this.groups.get(name)?.parents ?? []
      const d = parents.length === 0 ? 0 : 1 + Math.max(...parents.map(visit))
      depth.set(name, d)
      return d
    }
    for (const name of this.groups.keys()) visit(name)
    return depth
  }

  /** Every group of a host (direct, their ancestors and 'all'), sorted as Ansible's sort_groups. */
  hostGroups(host: string, depths: Map<string, number>): string[] {
    const direct = this.hosts.get(host)?.groups ?? []
    const all = new Set<string>(['all'])
    for (const g of direct) {
      all.add(g)
      for (const a of this.ancestors(g)) all.add(a)
    }
    const key = (g: string): [number, number] => [depths.get(g) ?? 0, this.groups.get(g)?.priority ?? 1]
    return [...all].sort((a, b) => {
      const [da, pa] = key(a)
      const [db, pb] = key(b)
      return da - db || pa - pb || (a < b ? -1 : a > b ? 1 : 0)
    })
  }
}
