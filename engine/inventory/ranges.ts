/**
 * Host names as inventories write them: `web1:2222` (a port), `[fe80::1]:22`, and ranges
 * `db[1:3]`, `db[01:10]` (zero padded), `db[a:c]`, `web[1:10:2]` (a step), as Ansible's
 * parse_address and expand_hostname_range read them.
 */
import { InventoryError, type SourcePos } from '../errors.js'

export interface HostPattern {
  names: string[]
  port?: number
}

/**
 * The most hosts one inventory entry may expand to. `web[1:100000000]` (a typo for a thousand)
 * would otherwise take all the controller's memory before anything said why; 100 000 hosts is far
 * beyond any fleet one run drives.
 */
export const MAX_RANGE_HOSTS = 100_000

const LETTERS = 'abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ'
const BRACKETED_IPV6 = /^\[([0-9A-Fa-f:.]+(?:%[\w.-]+)?)\](?::(\d+))?$/
// A name (whose [x:y] ranges may hold ':') followed by ':port'.
const NAME_PORT = /^((?:[^:[\]]|\[[^\]]*\])+):(\d+)$/
const BARE_IPV6 = /^[0-9A-Fa-f]*:[0-9A-Fa-f:.]*:[0-9A-Fa-f:.]*$/

/** Splits off a port. Unrecognised shapes stay whole, as Ansible leaves them. */
export function splitHostPort(text: string): { host: string; port?: number } {
  const v6 = BRACKETED_IPV6.exec(text)
  if (v6?.[1] !== undefined && v6[1].split(':').length > 2) {
    return v6[2] !== undefined ? { host: v6[1], port: Number(v6[2]) } : { host: v6[1] }
  }
  const m = NAME_PORT.exec(text)
  if (m?.[1] !== undefined && m[2] !== undefined) return { host: m[1], port: Number(m[2]) }
  return { host: text }
}

/** A host entry of an INI or YAML inventory: port split off, ranges expanded. */
export function expandHostPattern(text: string, pos: SourcePos | undefined): HostPattern {
  const { host, port } = splitHostPort(text)
  if (port === undefined && text.endsWith(':') && !BARE_IPV6.test(text)) {
    throw new InventoryError(`host '${text}' ends in ':', which is reserved for a port`, pos)
  }
  if (host === '---') throw new InventoryError(`'---' is not a host name: is this a YAML file?`, pos)
  const names = host.includes('[') ? expandRanges(host, host, pos) : [host]
  return port !== undefined ? { names, port } : { names }
}

function expandRanges(name: string, whole: string, pos: SourcePos | undefined): string[] {
  const open = name.indexOf('[')
  const close = name.indexOf(']', open)
  if (close < 0) throw new InventoryError(`bad host range in '${whole}': '[' is not closed`, pos)
  const head = name.slice(0, open)
  const tail = name.slice(close + 1)
  const out: string[] = []
  for (const item of rangeItems(name.slice(open + 1, close), whole, pos)) {
    const expanded = head + item + tail
    if (expanded.includes('[')) out.push(...expandRanges(expanded, whole, pos))
    else out.push(expanded)
    // Nested ranges multiply: stop as soon as the product is over the limit.
    if (out.length > MAX_RANGE_HOSTS) throw tooMany(whole, pos)
  }
  return out
}

function tooMany(whole: string, pos: SourcePos | undefined, count?: number): InventoryError {
  const size = count === undefined ? `more than ${MAX_RANGE_HOSTS}` : String(count)
  return new InventoryError(`host range '${whole}' makes ${size} hosts; one inventory entry may make at most ${MAX_RANGE_HOSTS}`, pos)
}

function rangeItems(body: string, whole: string, pos: SourcePos | undefined): string[] {
  const bad = (why: string): InventoryError => new InventoryError(`bad host range '[${body}]' in '${whole}': ${why}`, pos)
  const parts = body.split(':')
  if (parts.length !== 2 && parts.length !== 3) throw bad('expected [begin:end] or [begin:end:step]')
  const begin = parts[0] || '0'
  const end = parts[1] ?? ''
  if (end === '') throw bad('the end is missing')
  const step = parts[2] === undefined ? 1 : /^\d+$/.test(parts[2]) ? Number(parts[2]) : NaN
  if (!(step >= 1)) throw bad('the step must be a positive integer')

  if (/^[a-zA-Z]$/.test(begin) && /^[a-zA-Z]$/.test(end)) {
    const from = LETTERS.indexOf(begin)
    const to = LETTERS.indexOf(end)
    if (from > to) throw bad('it begins after it ends')
    const items: string[] = []
    for (let i = from; i <= to; i += step) items.push(LETTERS.charAt(i))
    return items
  }
  if (!/^\d+$/.test(begin) || !/^\d+$/.test(end)) throw bad('begin and end must be numbers or single letters')
  // A leading zero asks for zero padding to the width of begin, which end must share.
  const width = begin.length > 1 && begin.startsWith('0') ? begin.length : 0
  if (width > 0 && end.length !== width) throw bad('a zero-padded range needs begin and end of the same width')
  const from = Number(begin)
  const to = Number(end)
  if (from > to) throw bad('it begins after it ends')
  // Counted before a name is made: the names of a range that is too big would fill the memory.
  const count = Math.floor((to - from) / step) + 1
  if (count > MAX_RANGE_HOSTS) throw tooMany(whole, pos, count)
  const items: string[] = []
  for (let i = from; i <= to; i += step) items.push(width > 0 ? String(i).padStart(width, '0') : String(i))
  return items
}
