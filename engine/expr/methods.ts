/**
 * The only methods an expression may call on a value: Python's string/list/dict methods
 * that Ansible users write (`x.split(',')`, `d.items()`) and a few JavaScript spellings.
 * A table, not a property lookup, so nothing of the JavaScript runtime is reachable.
 */
import { braceFormat } from './format.js'
import { chars, contains, describe, equals, isInt, toList, toStr } from './python.js'
import { closest } from './suggest.js'
import { needString, params, type CallArgs, type Ctx } from './types.js'
import { fail, isDict, MISSING, PyObject, type Dict } from './values.js'

type Method<T> = (self: T, call: CallArgs, ctx: Ctx) => unknown

const WS = ' \t\n\r\v\f'

/** Python's str.split / rsplit: with no separator, runs of whitespace split and ends are trimmed. */
export function pySplit(text: string, sep: unknown, maxsplit: unknown, fromRight = false): string[] {
  const limit = isInt(maxsplit) && maxsplit >= 0 ? maxsplit : Infinity
  if (sep === undefined || sep === null) {
    const words = [...text.matchAll(/\S+/g)]
    if (words.length <= limit + 1) return words.map((w) => w[0])
    // The unsplit remainder keeps its inner (and outer) whitespace, as in Python.
    if (!fromRight) return [...words.slice(0, limit).map((w) => w[0]), text.slice(words[limit]?.index)]
    const last = words[words.length - limit - 1] as RegExpExecArray
    return [text.slice(0, last.index + last[0].length), ...words.slice(words.length - limit).map((w) => w[0])]
  }
  const s = needString(sep, 'the separator')
  if (s === '') fail('empty separator')
  const parts = text.split(s)
  if (parts.length <= limit + 1) return parts
  return fromRight
    ? [parts.slice(0, parts.length - limit).join(s), ...parts.slice(parts.length - limit)]
    : [...parts.slice(0, limit), parts.slice(limit).join(s)]
}

export function pyStrip(text: string, what: unknown, side: 'both' | 'left' | 'right'): string {
  const set = what === undefined || what === null ? WS : needString(what, 'the characters to strip')
  const list = chars(text)
  let from = 0
  let to = list.length
  if (side !== 'right') while (from < to && set.includes(list[from] as string)) from++
  if (side !== 'left') while (to > from && set.includes(list[to - 1] as string)) to--
  return list.slice(from, to).join('')
}

/** Python's str.title: every run of letters starts upper-case, the rest lower. */
export function pyTitle(text: string): string {
  return text.replace(/\p{L}+/gu, (w) => w.charAt(0).toUpperCase() + w.slice(1).toLowerCase())
}

export function pyCapitalize(text: string): string {
  return text.charAt(0).toUpperCase() + text.slice(1).toLowerCase()
}

/** Python's str.replace: every occurrence, or the first `count`. */
export function pyReplace(text: string, old: unknown, now: unknown, count: unknown): string {
  const from = needString(old, 'the text to replace')
  const to = needString(now, 'the replacement')
  const n = isInt(count) && count >= 0 ? count : Infinity
  if (n === Infinity) return text.split(from).join(to)
  const parts = text.split(from)
  return parts.reduce((acc, part, i) => acc + (i === 0 ? '' : i <= n ? to : from) + part, '')
}

const prefixes = (value: unknown): string[] => (Array.isArray(value) ? value : [value]).map((p) => needString(p, 'the prefix'))

const STRING: Record<string, Method<string>> = {
  split: (s, c, ctx) => { const [sep, max] = params(c, ['sep', 'maxsplit'], ctx); return pySplit(s, sep, max) },
  rsplit: (s, c, ctx) => { const [sep, max] = params(c, ['sep', 'maxsplit'], ctx); return pySplit(s, sep, max, true) },
  splitlines: (s, c, ctx) => {
    const [keep] = params(c, ['keepends'], ctx)
    const lines = s.match(/[^\r\n]*(\r\n|\r|\n)|[^\r\n]+$/g) ?? []
    return keep ? lines : lines.map((l) => l.replace(/(\r\n|\r|\n)$/, ''))
  },
  startswith: (s, c, ctx) => prefixes(params(c, ['prefix'], ctx)[0]).some((p) => s.startsWith(p)),
  endswith: (s, c, ctx) => prefixes(params(c, ['suffix'], ctx)[0]).some((p) => s.endsWith(p)),
  strip: (s, c, ctx) => pyStrip(s, params(c, ['chars'], ctx)[0], 'both'),
  lstrip: (s, c, ctx) => pyStrip(s, params(c, ['chars'], ctx)[0], 'left'),
  rstrip: (s, c, ctx) => pyStrip(s, params(c, ['chars'], ctx)[0], 'right'),
  upper: (s, c, ctx) => (params(c, [], ctx), s.toUpperCase()),
  lower: (s, c, ctx) => (params(c, [], ctx), s.toLowerCase()),
  title: (s, c, ctx) => (params(c, [], ctx), pyTitle(s)),
  capitalize: (s, c, ctx) => (params(c, [], ctx), pyCapitalize(s)),
  replace: (s, c, ctx) => {
    const [old, now, count] = params(c, ['old', 'new', 'count'], ctx)
    return pyReplace(s, old, now, count)
  },
  format: (s, c) => braceFormat(s, c.positional, c.named),
  join: (s, c, ctx) => toList(params(c, ['iterable'], ctx)[0], 'join argument').map(toStr).join(s),
  find: (s, c, ctx) => s.indexOf(needString(params(c, ['sub'], ctx)[0], 'the text to find')),
  count: (s, c, ctx) => { const sub = needString(params(c, ['sub'], ctx)[0], 'the text to count'); return sub === '' ? chars(s).length + 1 : s.split(sub).length - 1 },
  isdigit: (s) => /^\p{Nd}+$/u.test(s),
  isalpha: (s) => /^\p{L}+$/u.test(s),
  isalnum: (s) => /^[\p{L}\p{Nd}]+$/u.test(s),
  isspace: (s) => /^\s+$/.test(s),
  islower: (s) => /\p{Ll}/u.test(s) && s === s.toLowerCase(),
  isupper: (s) => /\p{Lu}/u.test(s) && s === s.toUpperCase(),
  toUpperCase: (s) => s.toUpperCase(),
  toLowerCase: (s) => s.toLowerCase(),
  includes: (s, c, ctx) => s.includes(needString(params(c, ['text'], ctx)[0], 'the text to find')),
  startsWith: (s, c, ctx) => s.startsWith(needString(params(c, ['text'], ctx)[0], 'the prefix')),
  endsWith: (s, c, ctx) => s.endsWith(needString(params(c, ['text'], ctx)[0], 'the suffix')),
  trim: (s) => s.trim(),
  indexOf: (s, c, ctx) => s.indexOf(needString(params(c, ['text'], ctx)[0], 'the text to find')),
}

const LIST: Record<string, Method<unknown[]>> = {
  index: (l, c, ctx) => {
    const x = params(c, ['value'], ctx)[0]
    const i = l.findIndex((item) => equals(item, x))
    return i >= 0 ? i : fail(`${JSON.stringify(toStr(x))} is not in the list`)
  },
  indexOf: (l, c, ctx) => { const x = params(c, ['value'], ctx)[0]; return l.findIndex((item) => equals(item, x)) },
  count: (l, c, ctx) => { const x = params(c, ['value'], ctx)[0]; return l.filter((item) => equals(item, x)).length },
  includes: (l, c, ctx) => contains(l, params(c, ['value'], ctx)[0]),
  join: (l, c, ctx) => { const [sep] = params(c, ['separator'], ctx); return l.map(toStr).join(sep === undefined ? ',' : needString(sep, 'the separator')) },
  slice: (l, c, ctx) => {
    const [start, end] = params(c, ['start', 'end'], ctx)
    const int = (v: unknown): number | undefined => (v === undefined ? undefined : isInt(v) ? v : fail('slice() takes integers'))
    return l.slice(int(start), int(end))
  },
}

const DICT: Record<string, Method<Dict>> = {
  keys: (d, c, ctx) => (params(c, [], ctx), Object.keys(d)),
  values: (d, c, ctx) => (params(c, [], ctx), Object.values(d)),
  items: (d, c, ctx) => (params(c, [], ctx), Object.entries(d)),
  get: (d, c, ctx) => {
    const [key, fallback] = params(c, ['key', 'default'], ctx)
    const k = toStr(key)
    return Object.hasOwn(d, k) ? d[k] : (fallback ?? null)
  },
}

export function callMethod(self: unknown, name: string, call: CallArgs, ctx: Ctx): unknown {
  const call$ = { ...ctx, name: `${name}()` }
  const pick = <T>(table: Record<string, Method<T>>, what: string, value: T): unknown => {
    const method = Object.hasOwn(table, name) ? table[name] : undefined
    if (!method) {
      const hint = closest(name, Object.keys(table))
      fail(`${what} has no method '${name}'${hint ? ` (did you mean '${hint}'?)` : ''}`)
    }
    return method(value, call, call$)
  }
  if (typeof self === 'string') return pick(STRING, 'a string', self)
  if (Array.isArray(self)) return pick(LIST, 'a list', self)
  if (isDict(self)) return pick(DICT, 'a dict', self)
  if (self instanceof PyObject) {
    const result = self.method ? self.method(name, call.positional, call.named) : MISSING
    if (result !== MISSING) return result
  }
  return fail(`${describe(self)} has no method '${name}'`)
}
