/** Turns a task's loop keyword into the list of items, as Ansible's loop / with_* do. */
import { TemplateError, TsplayError } from '../errors.js'
import { ExprFailure, isDict, MISSING, type Scope } from '../expr/index.js'
import { lookupPlugin } from '../expr/lookups/index.js'
import { loopSubdir } from '../expr/lookups/types.js'
import type { LoopControl } from '../playbook/types.js'

const NO_VARS: Scope = { lookup: () => MISSING }

/**
 * The items of `loop` (a list as it is) or of `with_<lookup>` (the lookup's list, its terms
 * listified as Ansible's: a single value is a list of one). `action` (the task's module) tells
 * with_first_found where to look first, as Ansible's TaskExecutor does.
 */
export function loopItems(kind: string, value: unknown, scope: Scope = NO_VARS, action = ''): unknown[] {
  switch (kind) {
    // Ansible's words (playbooks assert on them), with tsplay's hint for the mapping case.
    case 'loop':
      if (!Array.isArray(value)) throw new TemplateError(`Invalid data passed to 'loop', it requires a list, got ${describe(value)}; use a filter such as dict2items for a mapping`)
      return value
    case 'with_list':
      if (!Array.isArray(value)) throw new TemplateError(`with_list expects a list, got ${describe(value)}; use a filter such as dict2items for a mapping`)
      return value
    case 'with_items':
      if (value === null || value === undefined) return []
      // with_items flattens one level, as in Ansible.
      return (Array.isArray(value) ? value : [value]).flatMap((v) => (Array.isArray(v) ? v : [v]))
    default: {
      // Ansible's listify_lookup_plugin_terms keeps a mapping a mapping; indexed_items wants a list.
      if (kind === 'with_indexed_items' && isDict(value)) throw new TsplayError('with_indexed_items expects a list')
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

/** loop_control with templated loop_var/index_var rendered for this task on this host (Ansible templates loop_control). */
export function renderedLoopControl(control: LoopControl | undefined, scope: { render(value: unknown): unknown }): LoopControl | undefined {
  if (!control || (!control.loopVar.includes('{{') && !control.indexVar?.includes('{{'))) return control
  const name = (key: string, value: string): string => {
    const rendered = value.includes('{{') ? String(scope.render(value)) : value
    if (!/^[A-Za-z_][A-Za-z0-9_]*$/.test(rendered)) throw new TsplayError(`loop_control's ${key} must render to a variable name, got '${rendered}' (from '${value}')`)
    return rendered
  }
  const out: LoopControl = { ...control, loopVar: name('loop_var', control.loopVar) }
  if (control.indexVar) out.indexVar = name('index_var', control.indexVar)
  return out
}

/**
 * The variables one loop pass sets, which its result carries too (Ansible's _run_loop): the
 * item under its loop_var, the index under index_var, and `ansible_loop` with
 * loop_control.extended (no `previtem` on the first pass, no `nextitem` on the last;
 * `allitems` unless extended_allitems is false).
 */
export function itemLoopVars(control: LoopControl | undefined, items: readonly unknown[], index: number): Record<string, unknown> {
  const loopVar = control?.loopVar ?? 'item'
  const out: Record<string, unknown> = { [loopVar]: items[index], ansible_loop_var: loopVar }
  if (control?.indexVar) Object.assign(out, { [control.indexVar]: index, ansible_index_var: control.indexVar })
  if (!control?.extended) return out
  const length = items.length
  const loop: Record<string, unknown> = { index: index + 1, index0: index, first: index === 0, last: index + 1 === length, length, revindex: length - index, revindex0: length - index - 1 }
  if (control.extendedAllitems !== false) loop['allitems'] = items
  if (index + 1 < length) loop['nextitem'] = items[index + 1]
  if (index > 0) loop['previtem'] = items[index - 1]
  out['ansible_loop'] = loop
  return out
}
