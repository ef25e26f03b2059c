/**
 * Filters that reshape sequences as itertools and Jinja do: product, permutations,
 * combinations, zip_longest, subelements, groupby, batch, slice. What Python returns as
 * tuples is marked as tuples, so it prints as Python prints it.
 */
import { attrPath } from './filters-list.js'
import { getItem } from './operators.js'
import { compare, describe, repr, toList, toStr, truthy, tuple } from './python.js'
import { needNumber, params, type FilterFn } from './types.js'
import { fail, failUndefined, isDict, Undefined } from './values.js'

/** Results above this many items are refused: a typo in a product must not eat the memory. */
const MAX_ITEMS = 1_000_000

function guard(count: number, name: string): void {
  if (count > MAX_ITEMS) fail(`'${name}' would make ${count} items, more than ${MAX_ITEMS}`)
}

const product: FilterFn = (input, call, ctx) => {
  const [repeat = 1] = params({ positional: [], named: call.named }, ['repeat'], ctx)
  const pools = [input, ...call.positional].map((l) => toList(l, "the input of 'product'"))
  const all = Array.from({ length: needNumber(repeat, "'product' repeat") }, () => pools).flat()
  guard(all.reduce((n, p) => n * p.length, 1), 'product')
  let out: unknown[][] = [[]]
  for (const pool of all) out = out.flatMap((prefix) => pool.map((x) => [...prefix, x]))
  return out.map((items) => tuple(items))
}

/** Index tuples of r-permutations (ordered) or r-combinations (sorted) of n items, in itertools' order. */
function choose(n: number, r: number, ordered: boolean): number[][] {
  const out: number[][] = []
  const walk = (picked: number[]): void => {
    if (picked.length === r) {
      out.push(picked)
      return
    }
    const from = ordered ? 0 : (picked.at(-1) ?? -1) + 1
    for (let i = from; i < n; i++) if (!picked.includes(i)) walk([...picked, i])
  }
  if (r <= n) walk([])
  return out
}

function arrangements(ordered: boolean): FilterFn {
  return (input, call, ctx) => {
    const [r] = params(call, ['r'], ctx)
    const items = toList(input, `the input of '${ctx.name}'`)
    const size = r === undefined || r === null ? (ordered ? items.length : fail("'combinations' needs r, the size of each combination")) : needNumber(r, `'${ctx.name}' r`)
    let count = 1
    for (let i = 0; i < size; i++) count = (count * (items.length - i)) / (ordered ? 1 : i + 1)
    guard(count, ctx.name)
    return choose(items.length, size, ordered).map((picked) => tuple(picked.map((i) => items[i])))
  }
}

const zipLongest: FilterFn = (input, call, ctx) => {
  const [fill = null] = params({ positional: [], named: call.named }, ['fillvalue'], ctx)
  const lists = [input, ...call.positional].map((l) => toList(l, "the input of 'zip_longest'"))
  const n = Math.max(0, ...lists.map((l) => l.length))
  return Array.from({ length: n }, (_, i) => tuple(lists.map((l) => (i < l.length ? l[i] : fill))))
}

/** Ansible's subelements: each item paired with each element of its list under a dotted key. */
const subelements: FilterFn = (input, call, ctx) => {
  const [path, skipMissing] = params(call, ['subelements', 'skip_missing'], ctx)
  const items = Array.isArray(input) ? input : isDict(input) ? Object.values(input) : fail('obj must be a list of dicts or a nested dict')
  const keys = Array.isArray(path) ? path.map(toStr) : typeof path === 'string' ? path.split('.') : fail('subelements must be a list or a string')
  return items.flatMap((item) => {
    let values: unknown = item
    for (const key of keys) {
      if (!isDict(values)) fail(`the key ${key} should point to a dictionary, got '${toStr(values)}'`)
      if (!Object.hasOwn(values, key)) {
        if (truthy(skipMissing ?? false)) return []
        fail(`could not find ${repr(key)} key in iterated item ${repr(values)}`)
      }
      values = getItem(values, key, key, 'item')
    }
    if (!Array.isArray(values)) fail(`the key ${repr(keys.at(-1))} should point to a list, got ${repr(values)}`)
    return values.map((value) => tuple([item, value]))
  })
}

/** Jinja's groupby: sorted by the attribute, case-insensitively unless asked; each group is (grouper, list). */
const groupby: FilterFn = (input, call, ctx) => {
  const [attribute, fallback, caseSensitive] = params(call, ['attribute', 'default', 'case_sensitive'], ctx)
  const original = (item: unknown): unknown => {
    const v = typeof attribute === 'number' ? getItem(item, attribute, `item[${attribute}]`, 'item') : attrPath(item, attribute)
    if (!(v instanceof Undefined)) return v
    return fallback !== undefined ? fallback : failUndefined(v)
  }
  const key = (item: unknown): unknown => {
    const v = original(item)
    return typeof v === 'string' && !truthy(caseSensitive ?? false) ? v.toLowerCase() : v
  }
  const sorted = toList(input, "the input of 'groupby'").map((item) => ({ item, k: key(item) })).sort((a, b) => compare(a.k, b.k))
  const groups: { k: unknown; items: unknown[] }[] = []
  for (const { item, k } of sorted) {
    const last = groups.at(-1)
    if (last && compare(last.k, k) === 0) last.items.push(item)
    else groups.push({ k, items: [item] })
  }
  return groups.map((g) => tuple([original(g.items[0]), g.items], ['grouper', 'list']))
}

const batch: FilterFn = (input, call, ctx) => {
  const [linecount, fillWith = null] = params(call, ['linecount', 'fill_with'], ctx)
  const size = needNumber(linecount, "'batch' linecount")
  if (size < 1) fail("'batch' linecount must be at least 1")
  const items = toList(input, "the input of 'batch'")
  const out: unknown[][] = []
  for (let i = 0; i < items.length; i += size) out.push(items.slice(i, i + size))
  const last = out.at(-1)
  if (last && fillWith !== null && last.length < size) last.push(...Array<unknown>(size - last.length).fill(fillWith))
  return out
}

/** Jinja's slice: `slices` columns, the first ones one longer; fill_with pads the shorter ones. */
const slice: FilterFn = (input, call, ctx) => {
  const [slices, fillWith = null] = params(call, ['slices', 'fill_with'], ctx)
  const count = needNumber(slices, "'slice' slices")
  if (count < 1) fail(`'slice' slices must be at least 1, not ${describe(slices)}`)
  const items = toList(input, "the input of 'slice'")
  const per = Math.floor(items.length / count)
  const extra = items.length % count
  const out: unknown[][] = []
  let offset = 0
  for (let i = 0; i < count; i++) {
    const start = offset + i * per
    if (i < extra) offset++
    const part = items.slice(start, offset + (i + 1) * per)
    if (fillWith !== null && i >= extra) part.push(fillWith)
    out.push(part)
  }
  return out
}

export const SEQ_FILTERS: Record<string, FilterFn> = {
  product,
  permutations: arrangements(true),
  combinations: arrangements(false),
  zip_longest: zipLongest,
  subelements,
  groupby,
  batch,
  slice,
}
