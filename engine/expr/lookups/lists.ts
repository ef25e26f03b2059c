/** Lookups that shape lists: items, list, flattened, nested, cartesian, together, dict, indexed_items, random_choice. */
import { describe } from '../python.js'
import { fail, isDict } from '../values.js'
import type { LookupFn } from './types.js'

/** One level of flattening: Ansible's LookupBase._flatten. */
function flatOnce(values: readonly unknown[]): unknown[] {
  return values.flatMap((v) => (Array.isArray(v) ? v : [v]))
}

/** A term that is not a list is a list of itself, as Ansible's listify_lookup_plugin_terms. */
function listify(term: unknown): unknown[] {
  return Array.isArray(term) ? term : [term]
}

function needLists(terms: unknown[], name: string): unknown[][] {
  const lists = terms.map(listify)
  if (lists.length === 0 || lists.some((l) => l.length === 0)) fail(`with_${name} requires at least one element in each list`)
  return lists
}

/** items flattens its terms one level, as with_items does. */
export const items: LookupFn = (terms) => flatOnce(terms)

export const list: LookupFn = (terms) => terms

export const flattened: LookupFn = (terms) => {
  const out: unknown[] = []
  const walk = (v: unknown): void => {
    if (Array.isArray(v)) v.forEach(walk)
    else if (v !== null && v !== undefined && v !== 'None' && v !== 'null') out.push(v)
  }
  walk(terms)
  return out
}

function product(lists: unknown[][]): unknown[][] {
  return lists.reduce<unknown[][]>((acc, l) => acc.flatMap((prefix) => l.map((x) => [...prefix, x])), [[]])
}

/** nested: every combination, each flattened one level (an inner list item spreads, as in Ansible). */
export const nested: LookupFn = (terms) => {
  if (terms.length === 0) fail('with_nested requires at least one element in the nested list')
  const lists = terms.map(listify)
  return product(lists).map((combo) => combo.reduce<unknown[]>((acc, x) => flatOnce([acc, x]), []))
}

export const cartesian: LookupFn = (terms) => product(needLists(terms, 'cartesian')).map(flatOnce)

/** together: zips the lists, filling the shorter ones with None. */
export const together: LookupFn = (terms) => {
  const lists = needLists(terms, 'together')
  const length = Math.max(...lists.map((l) => l.length))
  return Array.from({ length }, (_, i) => flatOnce(lists.map((l) => (i < l.length ? l[i] : null))))
}

export const dict: LookupFn = (terms) =>
  terms.flatMap((term) => {
    if (!isDict(term)) fail(`with_dict expects a dict, not ${describe(term)}`)
    return Object.entries(term).map(([key, value]) => ({ key, value }))
  })

export const indexed_items: LookupFn = (terms) => flatOnce(terms).map((v, i) => [i, v])

export const random_choice: LookupFn = (terms) => (terms.length ? [terms[Math.floor(Math.random() * terms.length)]] : terms)
