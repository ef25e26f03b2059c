/** Filters over lists and dicts: counting, ordering, selecting, set operations, reshaping. */
import { binary, getItem } from './operators.js'
import { compare, describe, equals, keyOf, lengthOf, toList, toStr, truthy, tuple } from './python.js'
import { callArgs, needList, needString, params, type Ctx, type FilterFn } from './types.js'
import { defined, fail, failUndefined, isDict, setKey, Undefined, type Dict } from './values.js'

/** `attribute='a.b.0'` as Jinja reads it: dotted keys, integers index lists. Missing parts are Undefined. */
export function attrPath(item: unknown, path: unknown): unknown {
  let value = item
  let seen = 'item'
  for (const part of needString(path, 'attribute').split('.')) {
    const next = `${seen}.${part}`
    value = getItem(value, /^\d+$/.test(part) && Array.isArray(value) ? Number(part) : part, next, seen)
    seen = next
  }
  return value
}

const noCase = (v: unknown, caseSensitive: unknown): unknown =>
  typeof v === 'string' && !truthy(caseSensitive ?? false) ? v.toLowerCase() : v

/** A key function for sort/min/max/unique: an attribute (or several, comma-separated), case folded. */
function keyFn(attribute: unknown, caseSensitive: unknown): (item: unknown) => unknown {
  if (attribute === undefined || attribute === null) return (item) => noCase(item, caseSensitive)
  const attrs = needString(attribute, 'attribute').split(',').map((a) => a.trim())
  const one = (item: unknown, a: string): unknown => {
    const v = attrPath(item, a)
    return v instanceof Undefined ? failUndefined(v) : noCase(v, caseSensitive)
  }
  return attrs.length === 1 ? (item) => one(item, attrs[0] as string) : (item) => attrs.map((a) => one(item, a))
}

function extreme(sign: 1 | -1): FilterFn {
  return (input, call, ctx) => {
    const [caseSensitive, attribute] = params(call, ['case_sensitive', 'attribute'], ctx)
    const items = toList(input, `the input of '${ctx.name}'`)
    if (items.length === 0) return new Undefined('', 'the list is empty')
    const key = keyFn(attribute, caseSensitive)
    return items.reduce((best, item) => (sign * compare(key(item), key(best)) > 0 ? item : best))
  }
}

function firstOrLast(pick: (items: unknown[]) => unknown): FilterFn {
  return (input, call, ctx) => {
    params(call, [], ctx)
    const items = toList(input, `the input of '${ctx.name}'`)
    return items.length ? pick(items) : new Undefined('', `the ${typeof input === 'string' ? 'string' : 'list'} is empty`)
  }
}

function uniqueBy(items: unknown[], key: (item: unknown) => unknown = (x) => x): unknown[] {
  const out: unknown[] = []
  const keys: unknown[] = []
  for (const item of items) {
    const k = key(item)
    if (!keys.some((seen) => equals(seen, k))) {
      keys.push(k)
      out.push(item)
    }
  }
  return out
}

function selecting(byAttr: boolean, keep: boolean): FilterFn {
  return (input, call, ctx) => {
    const [first, ...rest] = call.positional
    const attr = byAttr ? needString(first, `'${ctx.name}' attribute`) : undefined
    const [testName, ...testArgs] = byAttr ? rest : call.positional
    const check = (item: unknown): boolean => {
      const value = attr === undefined ? item : attrPath(item, attr)
      if (testName === undefined) return truthy(value)
      return ctx.test(needString(testName, 'the test name'), value, callArgs(testArgs, call.named))
    }
    return toList(input, `the input of '${ctx.name}'`).filter((item) => check(item) === keep)
  }
}

const map: FilterFn = (input, call, ctx) => {
  const items = toList(input, "the input of 'map'")
  if (call.positional.length === 0) {
    const [attribute, fallback] = params(call, ['attribute', 'default'], ctx)
    if (attribute === undefined) fail("'map' needs a filter name or attribute=")
    return items.map((item) => {
      const value = attrPath(item, attribute)
      return value instanceof Undefined && fallback !== undefined ? fallback : defined(value)
    })
  }
  const [name, ...rest] = call.positional
  // An Undefined must not hide inside a list, where nothing would report it.
  return items.map((item) => defined(ctx.filter(needString(name, 'the filter name'), item, callArgs(rest, call.named))))
}

function flatten(items: unknown[], levels: number, skipNulls: boolean): unknown[] {
  const out: unknown[] = []
  for (const item of items) {
    if (skipNulls && (item === null || item === 'None')) continue
    if (Array.isArray(item) && levels !== 0) out.push(...flatten(item, levels - 1, skipNulls))
    else out.push(item)
  }
  return out
}

function setOp(op: (a: unknown[], b: unknown[]) => unknown[]): FilterFn {
  return (input, call, ctx) => {
    const [other] = params(call, ['other'], ctx)
    return op(uniqueBy(toList(input, `the input of '${ctx.name}'`)), uniqueBy(toList(other, `the argument of '${ctx.name}'`)))
  }
}

const has = (list: unknown[], x: unknown): boolean => list.some((y) => equals(x, y))

type ListMerge = 'replace' | 'keep' | 'append' | 'prepend' | 'append_rp' | 'prepend_rp'

function mergeLists(a: unknown[], b: unknown[], mode: ListMerge): unknown[] {
  switch (mode) {
    case 'replace': return b
    case 'keep': return a
    case 'append': return [...a, ...b]
    case 'prepend': return [...b, ...a]
    case 'append_rp': return [...a.filter((x) => !has(b, x)), ...b]
    case 'prepend_rp': return [...b, ...a.filter((x) => !has(b, x))]
  }
}

/** Ansible's merge_hash: b wins; nested dicts merge when recursive; lists per list_merge. */
function merge(a: Dict, b: Dict, recursive: boolean, mode: ListMerge): Dict {
  const out: Dict = { ...a }
  for (const [k, v] of Object.entries(b)) {
    const old = Object.hasOwn(out, k) ? out[k] : undefined
    if (recursive && isDict(old) && isDict(v)) setKey(out, k, merge(old, v, recursive, mode))
    else if (Array.isArray(old) && Array.isArray(v)) setKey(out, k, mergeLists(old, v, mode))
    else setKey(out, k, v)
  }
  return out
}

const combine: FilterFn = (input, call, ctx) => {
  const [recursive, listMerge] = params(callArgs([], call.named), ['recursive', 'list_merge'], ctx)
  const mode = (listMerge ?? 'replace') as ListMerge
  if (!['replace', 'keep', 'append', 'prepend', 'append_rp', 'prepend_rp'].includes(mode)) fail(`'combine' list_merge '${toStr(mode)}' is not one of replace, keep, append, prepend, append_rp, prepend_rp`)
  const dicts = [input, ...call.positional].flatMap((d) => (Array.isArray(d) ? d : [d]))
  return dicts.reduce<Dict>((acc, d) => (isDict(d) ? merge(acc, d, truthy(recursive ?? false), mode) : fail(`'combine' needs dicts, not ${describe(d)}`)), {})
}

const dictArg = (input: unknown, ctx: Ctx): Dict => (isDict(input) ? input : fail(`'${ctx.name}' needs a dict, not ${describe(input)}`))

const sort: FilterFn = (input, call, ctx) => {
  const [reverse, caseSensitive, attribute] = params(call, ['reverse', 'case_sensitive', 'attribute'], ctx)
  const key = keyFn(attribute, caseSensitive)
  const sign = truthy(reverse ?? false) ? -1 : 1
  return [...toList(input, "the input of 'sort'")].map((item) => ({ item, k: key(item) })).sort((a, b) => sign * compare(a.k, b.k)).map((x) => x.item)
}

/** Ansible's rekey_on_member: a dict of the dicts (of a list or a dict's values) keyed by one member. */
const rekeyOnMember: FilterFn = (input, call, ctx) => {
  const [key, duplicates = 'error'] = params(call, ['key', 'duplicates'], ctx)
  if (duplicates !== 'error' && duplicates !== 'overwrite') fail(`duplicates parameter to rekey_on_member has unknown value: ${toStr(duplicates)}`)
  const items = isDict(input) ? Object.values(input) : Array.isArray(input) ? input : fail('Type is not a valid list, set, or dict')
  const out: Dict = {}
  for (const item of items) {
    if (!isDict(item)) fail('List item is not a valid dict')
    if (!Object.hasOwn(item, keyOf(key))) fail(`Key ${toStr(key)} was not found`)
    const k = keyOf(item[keyOf(key)])
    if (Object.hasOwn(out, k) && duplicates === 'error') fail(`Key ${k} is not unique, cannot correctly turn into dict`)
    setKey(out, k, item)
  }
  return out
}

export const LIST_FILTERS: Record<string, FilterFn> = {
  rekey_on_member: rekeyOnMember,
  length: (input, call, ctx) => (params(call, [], ctx), lengthOf(input)),
  count: (input, call, ctx) => (params(call, [], ctx), lengthOf(input)),
  first: firstOrLast((items) => items[0]),
  last: firstOrLast((items) => items.at(-1)),
  min: extreme(-1),
  max: extreme(1),
  sum: (input, call, ctx) => {
    const [attribute, start] = params(call, ['attribute', 'start'], ctx)
    const items = toList(input, "the input of 'sum'")
    return items.reduce((acc, item) => binary('+', acc, attribute === undefined ? item : defined(attrPath(item, attribute))), start ?? 0)
  },
  unique: (input, call, ctx) => {
    const [caseSensitive, attribute] = params(call, ['case_sensitive', 'attribute'], ctx)
    // Case-insensitive unless asked, as Ansible's unique (through Jinja's) is.
    return uniqueBy(toList(input, "the input of 'unique'"), keyFn(attribute, caseSensitive))
  },
  sort,
  reverse: (input, call, ctx) => (params(call, [], ctx), typeof input === 'string' ? [...input].reverse().join('') : [...toList(input, "the input of 'reverse'")].reverse()),
  list: (input, call, ctx) => (params(call, [], ctx), [...toList(input, "the input of 'list'")]),
  join: (input, call, ctx) => {
    const [sep, attribute] = params(call, ['d', 'attribute'], ctx)
    const items = toList(input, "the input of 'join'").map((x) => (attribute === undefined ? x : attrPath(x, attribute)))
    return items.map(toStr).join(sep === undefined ? '' : toStr(sep))
  },
  map,
  select: selecting(false, true),
  reject: selecting(false, false),
  selectattr: selecting(true, true),
  rejectattr: selecting(true, false),
  zip: (input, call) => {
    const lists = [input, ...call.positional].map((l) => toList(l, "the input of 'zip'"))
    const n = Math.min(...lists.map((l) => l.length))
    return Array.from({ length: n }, (_, i) => tuple(lists.map((l) => l[i])))
  },
  flatten: (input, call, ctx) => {
    const [levels, skipNulls] = params(call, ['levels', 'skip_nulls'], ctx)
    return flatten(needList(input, "the input of 'flatten'"), levels === undefined || levels === null ? -1 : Number(levels), truthy(skipNulls ?? true))
  },
  difference: setOp((a, b) => a.filter((x) => !has(b, x))),
  intersect: setOp((a, b) => a.filter((x) => has(b, x))),
  union: setOp((a, b) => uniqueBy([...a, ...b])),
  symmetric_difference: setOp((a, b) => [...a.filter((x) => !has(b, x)), ...b.filter((x) => !has(a, x))]),
  dict2items: (input, call, ctx) => {
    const [keyName = 'key', valueName = 'value'] = params(call, ['key_name', 'value_name'], ctx)
    return Object.entries(dictArg(input, ctx)).map(([k, v]) => {
      const item: Dict = {}
      setKey(item, toStr(keyName), k)
      setKey(item, toStr(valueName), v)
      return item
    })
  },
  items2dict: (input, call, ctx) => {
    const [keyName = 'key', valueName = 'value'] = params(call, ['key_name', 'value_name'], ctx)
    const out: Dict = {}
    for (const item of needList(input, "the input of 'items2dict'")) {
      const k = attrPath(item, keyName)
      const v = attrPath(item, valueName)
      if (k instanceof Undefined || v instanceof Undefined) fail(`'items2dict' needs items with '${toStr(keyName)}' and '${toStr(valueName)}', got ${describe(item)}`)
      setKey(out, keyOf(k), v)
    }
    return out
  },
  items: (input, call, ctx) => (params(call, [], ctx), Object.entries(dictArg(input, ctx)).map((pair) => tuple(pair))),
  combine,
  dictsort: (input, call, ctx) => {
    const [caseSensitive, by = 'key', reverse] = params(call, ['case_sensitive', 'by', 'reverse'], ctx)
    const at = by === 'value' ? 1 : by === 'key' ? 0 : fail("'dictsort' by must be 'key' or 'value'")
    const sign = truthy(reverse ?? false) ? -1 : 1
    return Object.entries(dictArg(input, ctx)).map((pair) => tuple(pair)).sort((a, b) => sign * compare(noCase(a[at], caseSensitive), noCase(b[at], caseSensitive)))
  },
  extract: (input, call, ctx) => {
    const [container, morekeys] = params(call, ['container', 'morekeys'], ctx)
    let value = getItem(container, input, `[${toStr(input)}]`, 'container')
    const more = morekeys === undefined || morekeys === null ? [] : Array.isArray(morekeys) ? morekeys : [morekeys]
    for (const key of more) value = getItem(value, key, `${toStr(input)}.${toStr(key)}`, toStr(input))
    return value
  },
}
