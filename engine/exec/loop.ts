/** Turns a task's loop keyword into the list of items, as Ansible's loop / with_* do. */
import { TemplateError, TsplayError } from '../errors.js'
import { ExprFailure, MISSING, type Scope } from '../expr/index.js'
import { lookupPlugin } from '../expr/lookups/index.js'
import { loopSubdir } from '../expr/lookups/types.js'

const NO_VARS: Scope = { lookup: () => MISSING }

/**
 * The items of `loop` (a list as it is) or of `with_<lookup>` (the lookup's list, its terms
 * listified as Ansible's: a single value is a list of one). `action` (the task's module) tells
 * with_first_found where to look first, as Ansible's TaskExecutor does.
 */
export function loopItems(kind: string, value: unknown, scope: Scope = NO_VARS, action = ''): unknown[] {
  switch (kind) {
    case 'loop':
    case 'with_list':
      if (!Array.isArray(value)) throw new TemplateError(`${kind} needs a list, got ${describe(value)}; use a filter such as dict2items for a mapping`)
      return value
    case 'with_items':
      if (value === null || value === undefined) return []
      // with_items flattens one level, as in Ansible.
      return (Array.isArray(value) ? value : [value]).flatMap((v) => (Array.isArray(v) ? v : [v]))
    default: {
      const plugin = lookupPlugin(kind.replace(/^with_/, ''))
      if (!plugin) throw new TemplateError(`${kind} is not supported by tsplay yet`)
      try {
        return plugin(Array.isArray(value) ? value : [value], {}, { scope, subdir: loopSubdir(action) })
      } catch (err) {
        // A plugin's own failure is its words alone, as Ansible reports it (playbooks assert on them).
        throw err instanceof ExprFailure ? new TsplayError(err.message, { cause: err }) : err
      }
    }
  }
}

function describe(value: unknown): string {
  if (value === null || value === undefined) return 'nothing'
  if (Array.isArray(value)) return 'a list'
  return typeof value === 'object' ? 'a mapping' : `${typeof value} '${String(value)}'`
}

/** ansible_loop, when loop_control.extended is on. */
export function extendedLoopVars(items: readonly unknown[], index: number): Record<string, unknown> {
  return {
    allitems: items,
    index: index + 1,
    index0: index,
    revindex: items.length - index,
    revindex0: items.length - index - 1,
    first: index === 0,
    last: index === items.length - 1,
    length: items.length,
    previtem: index > 0 ? items[index - 1] : undefined,
    nextitem: index < items.length - 1 ? items[index + 1] : undefined,
  }
}
