/**
 * What `ansible-inventory --list` and `--graph` print, so their output can be compared with
 * Ansible's when porting an inventory.
 */
import { OptionsError } from '../errors.js'
import { isUnsafe } from '../expr/unsafe.js'
import { mergeAll } from './inventory.js'
import type { Inventory, InventoryGroup } from './types.js'

/** Magic variables Ansible computes per run; `ansible-inventory` leaves them out of hostvars. */
const INTERNAL_VARS = new Set([
  'ansible_config_file', 'ansible_diff_mode', 'ansible_facts', 'ansible_forks', 'ansible_inventory_sources',
  'ansible_limit', 'ansible_playbook_python', 'ansible_run_tags', 'ansible_skip_tags', 'ansible_verbosity',
  'ansible_version', 'inventory_dir', 'inventory_file', 'inventory_hostname', 'inventory_hostname_short',
  'groups', 'group_names', 'omit', 'playbook_dir',
])

export interface ListOptions {
  /**
   * As `--export`: each group carries its own `vars` and hostvars hold only host-level vars.
   * Without it (Ansible's default), hostvars are each host's merged vars and groups have none.
   */
  export?: boolean
}

/** `ansible-inventory --list`: JSON with sorted keys and 4-space indent, as Ansible prints it. */
export function formatInventoryList(inv: Inventory, options: ListOptions = {}): string {
  const out: Record<string, unknown> = {}
  const seen = new Set<string>()
  const visit = (group: InventoryGroup): void => {
    const entry: Record<string, unknown> = {}
    if (group.name !== 'all' && group.hosts.length > 0) entry.hosts = [...group.hosts]
    if (group.children.length > 0) entry.children = [...group.children]
    if (options.export && Object.keys(group.vars).length > 0) entry.vars = group.vars
    if (Object.keys(entry).length > 0) out[group.name] = entry
    for (const child of group.children) {
      const g = inv.groups.get(child)
      if (g && !seen.has(child)) {
        seen.add(child)
        visit(g)
      }
    }
  }
  const all = inv.groups.get('all')
  if (all) visit(all)
  const hostvars: Record<string, unknown> = {}
  for (const host of inv.hosts.values()) {
    const vars = options.export ? host.vars : mergeAll(inv.varLayers(host.name).map((layer) => layer.vars))
    const shown = Object.fromEntries(Object.entries(vars).filter(([k]) => !INTERNAL_VARS.has(k)))
    if (Object.keys(shown).length > 0) hostvars[host.name] = shown
  }
  out._meta = { hostvars }
  return JSON.stringify(sortKeys(out), null, 4)
}

/** `ansible-inventory --graph [group]`: groups as `@name:`, children before hosts, in inventory order. */
export function formatInventoryGraph(inv: Inventory, group = 'all'): string {
  const start = inv.groups.get(group)
  if (!start) throw new OptionsError(`--graph needs a group name; '${group}' is not a group of the inventory`)
  const lines: string[] = []
  const line = (text: string, depth: number): void => {
    lines.push(depth > 0 ? `${'  |'.repeat(depth)}--${text}` : text)
  }
  const visit = (g: InventoryGroup, depth: number): void => {
    line(`@${g.name}:`, depth)
    for (const child of g.children) {
      const kid = inv.groups.get(child)
      if (kid) visit(kid, depth + 1)
    }
    if (g.name !== 'all') for (const host of g.hosts) line(host, depth + 1)
  }
  visit(start, 0)
  return lines.join('\n')
}

/** Python's json.dumps(sort_keys=True): every mapping's keys sorted, lists kept in order. */
function sortKeys(value: unknown): unknown {
  if (isUnsafe(value)) return value.text
  if (Array.isArray(value)) return value.map(sortKeys)
  if (typeof value !== 'object' || value === null) return value
  const out: Record<string, unknown> = {}
  for (const key of Object.keys(value).sort()) {
    Object.defineProperty(out, key, { value: sortKeys((value as Record<string, unknown>)[key]), enumerable: true, writable: true, configurable: true })
  }
  return out
}
