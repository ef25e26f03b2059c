/** subelements: each element of a list (or a dict's values) paired with each item of its sublist. */
import { describe, toStr, truthy } from '../python.js'
import { fail, isDict, type Dict } from '../values.js'
import type { LookupFn } from './types.js'

const USAGE = 'subelements lookup expects a list of two or three items'

export const subelements: LookupFn = (terms) => {
  const [given, path, flags = {}] = terms
  if (terms.length < 2 || terms.length > 3) fail(USAGE)
  // As Ansible's listify_lookup_plugin_terms: a first term that is neither list nor dict is a list of itself.
  const source = Array.isArray(given) || isDict(given) ? given : [given]
  if (!(Array.isArray(source) || isDict(source)) || typeof path !== 'string') fail(`${USAGE}, first a dict or a list, second a string pointing to the subkey`)
  if (!isDict(flags)) fail(`${USAGE}, the optional third item must be a dict with flags skip_missing`)
  if (isDict(source) && source['skipped'] !== undefined && source['skipped'] !== false) return []
  const elements = Array.isArray(source) ? source : Object.values(source)
  const skipMissing = truthy(flags['skip_missing'] ?? false)
  const keys = path.split('.')
  const out: unknown[] = []
  for (const element of elements) {
    if (!isDict(element)) fail(`subelements lookup expects a dictionary, got '${toStr(element)}'`)
    if (element['skipped'] !== undefined && element['skipped'] !== false) continue
    // Ansible pops the sublist out of the element it yields: item.0 has no subkey.
    const outer: Dict = { ...element }
    let holder: Dict = outer
    let sublist: unknown[] = []
    for (const [i, key] of keys.entries()) {
      if (!Object.hasOwn(holder, key)) {
        if (skipMissing) break
        fail(`could not find '${key}' key in iterated item '${toStr(holder)}'`)
      }
      const value = holder[key]
      if (i < keys.length - 1) {
        if (!isDict(value)) {
          if (skipMissing) break
          fail(`the key ${key} should point to a dictionary, got '${toStr(value)}'`)
        }
        holder = holder[key] = { ...value }
        continue
      }
      if (!Array.isArray(value)) fail(`the key ${key} should point to a list, got ${describe(value)}`)
      sublist = value
      delete holder[key]
    }
    for (const inner of sublist) out.push([outer, inner])
  }
  return out
}
