/**
 * Ansible host patterns: parts joined by ',' (or ':' when there is no comma); a part is a group
 * or host name, a glob (`web*`, `db?`, `[ab]*`), a regex (`~web\d+`), optionally followed by a
 * subscript (`web[0]`, `web[-1]`, `web[0:2]` inclusive, `web[1:]`); `&part` intersects, `!part`
 * excludes. As Ansible: plain parts are applied first, then intersections, then exclusions.
 */
import { InventoryError } from '../errors.js'
import { fnmatchRegExp } from '../fnmatch.js'
import { LOCALHOST_NAMES } from './model.js'

export interface PatternContext {
  /** Listed hosts in inventory order. */
  hosts: readonly string[]
  /** Every group's hosts, child groups' included, in inventory order. */
  groupHosts: ReadonlyMap<string, readonly string[]>
}

export interface Selection {
  hosts: string[]
  /** Parts that matched no host and no group. */
  unmatched: string[]
}

const SUBSCRIPT = /^(.+)\[(?:(-?\d+)|(\d+)[:-](\d*))\]$/s
const IPV6 = /^(?:\[[0-9A-Fa-f:.]+\]|[0-9A-Fa-f]*:[0-9A-Fa-f.]*:[0-9A-Fa-f:.]*)$/

/**
 * `patternOrder` keeps the hosts in the order the parts found them (Ansible's get_hosts, as
 * lookup('inventory_hostnames') shows); otherwise they are put in inventory order.
 */
export function selectHosts(pattern: string, ctx: PatternContext, patternOrder = false): Selection {
  const parts = splitPattern(pattern)
  const plain = parts.filter((p) => !p.startsWith('&') && !p.startsWith('!'))
  const ordered = [
    ...(plain.length === 0 && parts.length > 0 ? ['all'] : plain),
    ...parts.filter((p) => p.startsWith('&')),
    ...parts.filter((p) => p.startsWith('!')),
  ]
  const listed = new Set(ctx.hosts)
  const unmatched: string[] = []
  let result: string[] = []
  for (const part of ordered) {
    const op = part.charAt(0)
    const found = listed.has(part) ? { hosts: [part], matched: true } : matchOne(op === '&' || op === '!' ? part.slice(1) : part, ctx)
    if (!found.matched && part !== 'all') unmatched.push(part)
    const set = new Set(found.hosts)
    if (op === '!') result = result.filter((h) => !set.has(h))
    else if (op === '&') result = result.filter((h) => set.has(h))
    else {
      const have = new Set(result)
      result.push(...found.hosts.filter((h) => !have.has(h)))
    }
  }
  return { hosts: patternOrder ? result : inventoryOrder(result, ctx.hosts), unmatched }
}

/** A pattern's parts, split as Ansible's split_host_pattern: on commas, else on colons. */
export function splitPattern(pattern: string): string[] {
  const p = pattern.trim()
  const parts = p.includes(',') ? p.split(',') : IPV6.test(p) ? [p] : (p.match(/(?:[^\s:[\]]|\[[^\]]*\])+/g) ?? [])
  return parts.map((s) => s.trim()).filter((s) => s !== '')
}

function matchOne(part: string, ctx: PatternContext): { hosts: string[]; matched: boolean } {
  const { base, subscript } = splitSubscript(part)
  const re = toRegExp(base)
  const hosts: string[] = []
  const groups = [...ctx.groupHosts.keys()].filter((g) => re.test(g))
  for (const g of groups) hosts.push(...(ctx.groupHosts.get(g) ?? []))
  // As Ansible: a name that is a group means the group, unless it is a glob or regex.
  if (groups.length === 0 || base.startsWith('~') || /[.?*[]/.test(base)) hosts.push(...ctx.hosts.filter((h) => re.test(h)))
  if (hosts.length === 0 && LOCALHOST_NAMES.includes(base)) hosts.push(base)
  const unique = [...new Set(hosts)]
  return { hosts: subscript ? applySubscript(unique, subscript) : unique, matched: unique.length > 0 || groups.length > 0 }
}

function splitSubscript(part: string): { base: string; subscript?: [number, number | undefined] } {
  if (part.startsWith('~')) return { base: part }
  const m = SUBSCRIPT.exec(part)
  if (!m?.[1]) return { base: part }
  if (m[2] !== undefined) return { base: m[1], subscript: [Number(m[2]), undefined] }
  return { base: m[1], subscript: [Number(m[3]), m[4] ? Number(m[4]) : -1] }
}

/** `[i]` picks one host (negative counts from the end); `[a:b]` is inclusive, `[a:]` runs to the end. */
function applySubscript(hosts: string[], [start, end]: [number, number | undefined]): string[] {
  if (end === undefined) {
    const host = hosts[start < 0 ? hosts.length + start : start]
    return host === undefined ? [] : [host]
  }
  return hosts.slice(start, (end === -1 ? hosts.length - 1 : end) + 1)
}

function toRegExp(base: string): RegExp {
  try {
    return base.startsWith('~') ? pythonRegExp(base.slice(1)) : fnmatchRegExp(base)
  } catch (err) {
    throw new InventoryError(`invalid host pattern '${base}': ${(err as Error).message}`)
  }
}

/** Python's re.match: anchored at the start only. Python-only syntax is translated. */
function pythonRegExp(source: string): RegExp {
  let flags = ''
  const inline = /^\(\?([aiLmsux]+)\)/.exec(source)
  if (inline?.[1]) {
    flags = [...new Set(inline[1].replace(/[aLux]/g, ''))].join('')
    source = source.slice(inline[0].length)
  }
  const js = source.replace(/\(\?P</g, '(?<').replace(/\(\?P=(\w+)\)/g, '\\k<$1>')
  return new RegExp(`^(?:${js})`, flags)
}

/** Listed hosts in inventory order; implicit ones (localhost) after them. */
function inventoryOrder(hosts: string[], order: readonly string[]): string[] {
  const index = new Map(order.map((h, i) => [h, i]))
  const rank = (h: string): number => index.get(h) ?? order.length
  return [...hosts].sort((a, b) => rank(a) - rank(b))
}
