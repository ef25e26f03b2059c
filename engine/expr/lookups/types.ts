/** The shape every lookup plugin has: all terms in, a list out (as Ansible's LookupBase.run). */
import type { Scope } from '../types.js'
import type { Dict } from '../values.js'

/** What a lookup may read: the variables of the task that calls it. */
export interface LookupCtx {
  scope: Scope
}

export type LookupFn = (terms: unknown[], options: Dict, ctx: LookupCtx) => unknown[]

/** A lookup that handles each term on its own and gives one value per term. */
export function eachTerm(fn: (term: unknown, options: Dict, ctx: LookupCtx) => unknown): LookupFn {
  return (terms, options, ctx) => terms.map((term) => fn(term, options, ctx))
}
