/**
 * `module_defaults:` as Ansible 2.14 reads it (playbook/base.py, executor/module_common.py): a
 * mapping, or a list of them, from module name to default arguments. Parsed here; which module a
 * name means, and whether the defaults fit its schema, is checked once the playbook is loaded
 * (check-module-defaults.ts), since that needs the modules.
 */
import { PlaybookError, type SourcePos } from '../errors.js'
import type { AnyModule } from '../module.js'
import type { ModuleRegistry } from '../registry.js'
import { posOf } from '../yaml.js'
import type { KeywordTemplate, ModuleDefaults } from './types.js'

type Raw = Record<string, unknown>
type Args = Record<string, unknown>

export function moduleDefaultsOf(value: unknown, at: SourcePos | undefined, key: string): ModuleDefaults[] {
  const list = Array.isArray(value) ? value : [value]
  return list.map((entry, i) => {
    const pos = (Array.isArray(value) ? posOf(value, i) : undefined) ?? posOf(entry) ?? at ?? { file: 'module_defaults', line: 1, col: 1 }
    if (!entry || typeof entry !== 'object' || Array.isArray(entry)) {
      throw new PlaybookError(`'${key}' must be a mapping (or a list of mappings) from module names to their default arguments, such as {file: {mode: "0644"}}`, pos)
    }
    const entries: ModuleDefaults['entries'] = {}
    const positions: Record<string, SourcePos> = {}
    for (const [name, args] of Object.entries(entry as Raw)) {
      const where = posOf(entry, name) ?? pos
      if (name.startsWith('group/')) {
        throw new PlaybookError(`module_defaults: action groups ('${name}') are not supported by tsplay; give each module's name instead`, where)
      }
      if (name.includes('{{')) throw new PlaybookError(`module_defaults: a module name cannot be a template ('${name}'); only the arguments may be`, where)
      if (args === null || args === undefined) entries[name] = {}
      else if (typeof args === 'string' && args.includes('{{')) entries[name] = args
      else if (typeof args === 'object' && !Array.isArray(args)) entries[name] = args as Raw
      else throw new PlaybookError(`module_defaults for '${name}' must be a mapping of arguments (or a template that gives one)`, where)
      positions[name] = where
    }
    return { pos, positions, entries }
  })
}

/** The innermost defaults naming `mod`, with the name they were written under; none when no mapping names it. */
export function defaultsFor(modules: Pick<ModuleRegistry, 'find'>, mod: AnyModule, layers: readonly ModuleDefaults[] | undefined): FoundDefaults | undefined {
  let found: FoundDefaults | undefined
  for (const layer of layers ?? []) {
    for (const [name, args] of Object.entries(layer.entries)) {
      if (modules.find(name) === mod) found = { name, args, pos: layer.positions[name] ?? layer.pos }
    }
  }
  return found
}

export interface FoundDefaults {
  /** The module's name as the mapping wrote it. */
  name: string
  args: Args | KeywordTemplate
  pos: SourcePos
}

/** The defaults an argument the task gives itself (under its name or an alias) does not replace. */
export function withoutGiven(mod: AnyModule, defaults: Args, given: Readonly<Args>): Args {
  const canonical = (key: string): string => Object.entries(mod.args).find(([name, spec]) => name === key || (spec.aliases ?? []).includes(key))?.[0] ?? key
  const taken = new Set(Object.keys(given).map(canonical))
  return Object.fromEntries(Object.entries(defaults).filter(([key]) => !taken.has(canonical(key))))
}
