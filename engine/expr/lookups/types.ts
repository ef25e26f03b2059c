/** The shape every lookup plugin has: all terms in, a list out (as Ansible's LookupBase.run). */
import type { Scope } from '../types.js'
import type { Dict } from '../values.js'

/** What a lookup may read: the variables of the task that calls it. */
export interface LookupCtx {
  scope: Scope
  /**
   * Where first_found looks first in a `with_first_found` loop: `templates` for a template
   * task, `vars` for include_vars, else `files` (Ansible's TaskExecutor sets it by action name).
   */
  subdir?: string
}

export type LookupFn = (terms: unknown[], options: Dict, ctx: LookupCtx) => unknown[]

/** A lookup that handles each term on its own and gives one value per term. */
export function eachTerm(fn: (term: unknown, options: Dict, ctx: LookupCtx) => unknown): LookupFn {
  return (terms, options, ctx) => terms.map((term) => fn(term, options, ctx))
}

/** The subdir Ansible gives a loop's lookup: the first of template, var, file that the action's name contains. */
export function loopSubdir(action: string): string {
  const found = ['template', 'var', 'file'].find((word) => action.includes(word)) ?? 'file'
  return `${found}s`
}
