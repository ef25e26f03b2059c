/**
 * The lookup plugins, one registry: `lookup(name, ...)`, `query(name, ...)` and the
 * `with_<name>` loops all come here. A family of lookups lives in its own file; adding a
 * lookup is one line below.
 */
import { toStr, truthy } from '../python.js'
import { needString, type CallArgs } from '../types.js'
import { fail, type Dict } from '../values.js'
import { file } from './files.js'
import { fileglob, first_found } from './found.js'
import { cartesian, dict, flattened, indexed_items, items, list, nested, random_choice, together } from './lists.js'
import { lines, pipe } from './pipe.js'
import { subelements } from './subelements.js'
import { eachTerm, type LookupCtx, type LookupFn } from './types.js'
import { env, vars } from './vars.js'

export type { LookupCtx, LookupFn } from './types.js'

/** lookup('template'): set by engine/expr/jinja/lookup.ts (the file renderer sits above this evaluator). */
let templateLookup: LookupFn = () => fail("lookup('template') is not available")
export function setTemplateLookup(render: (term: unknown, options: Dict, ctx: LookupCtx) => unknown): void {
  templateLookup = eachTerm(render)
}

export const LOOKUPS: Record<string, LookupFn> = {
  cartesian,
  dict,
  env,
  file,
  fileglob,
  first_found,
  flattened,
  indexed_items,
  items,
  lines,
  list,
  nested,
  pipe,
  random_choice,
  subelements,
  template: (terms, options, ctx) => templateLookup(terms, options, ctx),
  together,
  vars,
}

/** `ansible.builtin.file` and `file` are the same plugin. */
export function lookupPlugin(name: string): LookupFn | undefined {
  const short = name.split('.').at(-1) ?? ''
  return Object.hasOwn(LOOKUPS, short) ? LOOKUPS[short] : undefined
}

/** Runs a lookup plugin on its terms; `asList` is query()'s (and wantlist=True's) shape. */
export function runLookup(call: CallArgs, ctx: LookupCtx, asList: boolean): unknown {
  const [name, ...terms] = call.positional
  const plugin = lookupPlugin(needString(name, 'the lookup name'))
  if (!plugin) fail(`unknown lookup '${toStr(name)}' (available: ${Object.keys(LOOKUPS).join(', ')})`)
  const { wantlist, errors, ...options } = call.named
  const results: unknown[] = []
  for (const term of terms) {
    try {
      results.push(...plugin(plugin === items || plugin === list ? [term].flat() : [term], options, ctx))
    } catch (err) {
      if (errors === 'ignore' || errors === 'warn') continue
      throw err
    }
  }
  if (asList || truthy(wantlist ?? false)) return results
  // lookup() joins several results with commas, as Ansible does.
  return results.length === 1 ? results[0] : results.map(toStr).join(',')
}
