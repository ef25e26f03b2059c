/**
 * The lookup plugins, one registry: `lookup(name, ...)`, `query(name, ...)` and the
 * `with_<name>` loops all come here. A family of lookups lives in its own file; adding a
 * lookup is one line below.
 */
import { errorMessage } from '../../errors.js'
import { toStr, truthy } from '../python.js'
import { needString, type CallArgs } from '../types.js'
import { fail, type Dict } from '../values.js'
import { config } from './config.js'
import { csvfile } from './csvfile.js'
import { file, unvault } from './files.js'
import { fileglob, first_found } from './found.js'
import { ini } from './ini.js'
import { inventory_hostnames } from './inventory.js'
import { cartesian, dict, flattened, indexed_items, items, list, nested, random_choice, together } from './lists.js'
import { password } from './password.js'
import { lines, pipe } from './pipe.js'
import { sequence } from './sequence.js'
import { subelements } from './subelements.js'
import { eachTerm, type LookupCtx, type LookupFn } from './types.js'
import { url } from './url.js'
import { env, varnames, vars } from './vars.js'
import { lookupWarning } from './warnings.js'

export type { LookupCtx, LookupFn } from './types.js'
export { setLookupWarningSink } from './warnings.js'

/** lookup('template'): set by engine/expr/jinja/lookup.ts (the file renderer sits above this evaluator). */
let templateLookup: LookupFn = () => fail("lookup('template') is not available")
export function setTemplateLookup(render: (term: unknown, options: Dict, ctx: LookupCtx) => unknown): void {
  templateLookup = eachTerm(render)
}

export const LOOKUPS: Record<string, LookupFn> = {
  cartesian,
  config,
  csvfile,
  dict,
  env,
  file,
  fileglob,
  first_found,
  flattened,
  indexed_items,
  ini,
  inventory_hostnames,
  items,
  lines,
  list,
  nested,
  password,
  pipe,
  random_choice,
  sequence,
  subelements,
  template: (terms, options, ctx) => templateLookup(terms, options, ctx),
  together,
  unvault,
  url,
  varnames,
  vars,
}

/** `ansible.builtin.file` and `file` are the same plugin. */
export function lookupPlugin(name: string): LookupFn | undefined {
  const short = name.split('.').at(-1) ?? ''
  return Object.hasOwn(LOOKUPS, short) ? LOOKUPS[short] : undefined
}

/**
 * Runs a lookup plugin as Ansible's Templar._lookup does: all terms in one call; `errors='warn'`
 * or `'ignore'` turns a failure into nothing (`[]` for query and wantlist, None for lookup), with
 * a warning for `warn`. Undefined terms never get here: the evaluator fails on them first, as
 * Ansible does whatever `errors` says.
 */
export function runLookup(call: CallArgs, ctx: LookupCtx, asList: boolean): unknown {
  const [name, ...terms] = call.positional
  const lookupName = needString(name, 'the lookup name')
  const plugin = lookupPlugin(lookupName)
  if (!plugin) fail(`unknown lookup '${toStr(name)}' (tsplay has: ${Object.keys(LOOKUPS).join(', ')})`)
  const { wantlist, errors = 'strict', ...options } = call.named
  const wantList = asList || truthy(wantlist ?? false)
  let results: unknown[]
  try {
    results = plugin(terms, options, ctx)
  } catch (err) {
    if (errors !== 'warn' && errors !== 'ignore') throw err
    if (errors === 'warn') lookupWarning(`Lookup '${lookupName}' failed but the error is being ignored: ${errorMessage(err)}`)
    return wantList ? [] : null
  }
  return wantList ? results : joined(results)
}

/**
 * What lookup() makes of the plugin's list: nothing stays an empty list; texts are joined with
 * commas (one text is itself); anything else is the one value, or the list when there are several.
 */
function joined(results: unknown[]): unknown {
  if (results.length === 0) return results
  if (results.every((r) => typeof r === 'string')) return results.join(',')
  return results.length === 1 ? results[0] : results
}
