/**
 * Ansible's YAML inventory format: top-level keys are groups (usually just `all`), each with
 * optional `hosts:` (name -> vars or nothing; names may hold ranges), `children:` (nested
 * groups) and `vars:`. Structural mistakes are errors with file:line:col; keys Ansible only
 * warns about (anything besides hosts/children/vars) become warnings, so inventories that work
 * with Ansible keep working.
 */
import { formatPos, InventoryError, type SourcePos } from '../errors.js'
import { posOf } from '../yaml.js'
import { checkInventoryVar, setKey, type InventoryData } from './model.js'
import { expandHostPattern } from './ranges.js'

type Mapping = Record<string, unknown>

export function isMapping(value: unknown): value is Mapping {
  return typeof value === 'object' && value !== null && !Array.isArray(value)
}

/** Whether parsed YAML has the shape of an inventory (used for files with no telling extension). */
export function looksLikeYamlInventory(data: unknown): boolean {
  if (!isMapping(data)) return false
  const groups = Object.values(data)
  if (groups.length === 0 || !groups.every((g) => g === null || isMapping(g))) return false
  return 'all' in data || groups.some((g) => isMapping(g) && ('hosts' in g || 'children' in g || 'vars' in g))
}

export function parseYamlInventory(data: unknown, file: string, inv: InventoryData): void {
  const top: SourcePos = posOf(data) ?? { file, line: 1, col: 1 }
  if (data === null || data === undefined) {
    inv.warnings.push(`${file}: empty YAML inventory, no hosts read`)
    return
  }
  if (!isMapping(data)) throw new InventoryError(`a YAML inventory is a mapping of groups (such as 'all:'), got ${describe(data)}`, top)
  if ('plugin' in data) {
    throw new InventoryError(`'plugin: ${String(data.plugin)}' is an inventory plugin configuration; tsplay reads only static inventories`, posOf(data, 'plugin'))
  }
  const reader = new YamlInventoryReader(file, inv)
  for (const [name, def] of Object.entries(data)) reader.group(name, def, posOf(data, name) ?? top)
}

class YamlInventoryReader {
  constructor(
    private readonly file: string,
    private readonly inv: InventoryData,
  ) {}

  group(name: string, def: unknown, pos: SourcePos): void {
    if (def !== null && !isMapping(def)) {
      throw new InventoryError(`group '${name}' must be a mapping with hosts, children or vars (or empty), got ${describe(def)}`, pos)
    }
    this.inv.addGroup(name)
    if (def === null) return
    for (const [key, value] of Object.entries(def)) {
      const at = posOf(def, key) ?? pos
      if (key !== 'hosts' && key !== 'children' && key !== 'vars') {
        this.inv.warnings.push(`${formatPos(at)}: skipping '${key}' in group '${name}': only hosts, children and vars are valid`)
        continue
      }
      const entries = this.section(name, key, value, at)
      if (key === 'vars') {
        for (const [k, v] of Object.entries(entries)) this.inv.setGroupVar(name, k, v, posOf(entries, k) ?? at)
      } else if (key === 'children') {
        for (const [child, childDef] of Object.entries(entries)) {
          const childPos = posOf(entries, child) ?? at
          this.group(child, childDef, childPos)
          this.inv.addChild(name, child, childPos)
        }
      } else {
        for (const [pattern, vars] of Object.entries(entries)) this.hosts(name, pattern, vars, posOf(entries, pattern) ?? at)
      }
    }
  }

  /** A section is a mapping; Ansible also accepts a single name as a string, and nothing. */
  private section(group: string, key: string, value: unknown, pos: SourcePos): Mapping {
    if (value === null || value === undefined) return {}
    if (typeof value === 'string') return { [value]: null }
    if (isMapping(value)) return value
    const hint = Array.isArray(value) ? ' (write each entry as a key: `name:` on its own line)' : ''
    throw new InventoryError(`'${key}' of group '${group}' must be a mapping, got ${describe(value)}${hint}`, pos)
  }

  private hosts(group: string, pattern: string, vars: unknown, pos: SourcePos): void {
    if (vars !== null && !isMapping(vars)) {
      throw new InventoryError(`host '${pattern}' in group '${group}' must have a mapping of variables (or nothing), got ${describe(vars)}`, pos)
    }
    for (const [k, v] of Object.entries(vars ?? {})) checkInventoryVar(k, v, posOf(vars, k) ?? pos)
    const { names, port } = expandHostPattern(pattern, pos)
    for (const name of names) {
      const host = this.inv.addHost(name, group, port, this.file)
      for (const [k, v] of Object.entries(vars ?? {})) setKey(host.vars, k, v)
    }
  }
}

function describe(value: unknown): string {
  if (Array.isArray(value)) return 'a list'
  if (value === null) return 'nothing'
  if (typeof value === 'string') return `the string '${value}'`
  return `a ${typeof value}`
}
