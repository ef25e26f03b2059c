/**
 * Filters that lay text out or encode it for a format: Ansible's comment, Jinja's center,
 * filesizeformat, escape, striptags, urlencode and tojson.
 */
import { pyJson } from './json.js'
import { numberOf, pyFixed } from './pyfloat.js'
import { chars, isInt, toStr, truthy } from './python.js'
import { needString, params, type FilterFn } from './types.js'
import { fail, isDict, type Dict } from './values.js'

/** Ansible's comment styles: the decoration before each line, and the block's first and last lines. */
const COMMENT_STYLES: Record<string, Dict> = {
  plain: { decoration: '# ' },
  erlang: { decoration: '% ' },
  c: { decoration: '// ' },
  cblock: { beginning: '/*', decoration: ' * ', end: ' */' },
  xml: { beginning: '<!--', decoration: ' - ', end: '-->' },
}
const COMMENT_OPTIONS = ['newline', 'beginning', 'prefix', 'prefix_count', 'decoration', 'postfix', 'postfix_count', 'end']

const rstrip = (s: string): string => s.replace(/\s+$/, '')

function count(value: unknown, name: string): number {
  const n = typeof value === 'string' && /^\s*[+-]?\d+\s*$/.test(value) ? Number(value) : value
  return isInt(n) ? Math.max(0, n) : fail(`'comment' ${name} must be an integer, not ${toStr(value)}`)
}

/** Ansible's comment filter, option by option as core.py composes it. */
const comment: FilterFn = (input, call, ctx) => {
  const [style = 'plain'] = call.positional
  if (call.positional.length > 1) fail("'comment' takes the style as its only positional argument")
  const styleName = toStr(style)
  const styleParams = Object.hasOwn(COMMENT_STYLES, styleName) ? (COMMENT_STYLES[styleName] as Dict) : fail(`'comment' style must be one of ${Object.keys(COMMENT_STYLES).join(', ')}, not '${styleName}'`)
  for (const key of Object.keys(call.named)) if (!COMMENT_OPTIONS.includes(key)) fail(`'comment' has no option '${key}' (it takes: ${COMMENT_OPTIONS.join(', ')})`)
  const prepostfix = toStr(call.named['decoration'] ?? styleParams['decoration'])
  const p: Dict = { newline: '\n', beginning: '', prefix: rstrip(prepostfix), prefix_count: 1, decoration: '', postfix: rstrip(prepostfix), postfix_count: 1, end: '', ...styleParams, ...call.named }
  const [newline = '\n', beginning, prefix, decoration = '', postfix, end] = ['newline', 'beginning', 'prefix', 'decoration', 'postfix', 'end'].map((k) => toStr(p[k]))
  const text = needString(input, `the input of '${ctx.name}'`)
  const head = beginning ? beginning + newline : ''
  const prefixText = !prefix ? '' : (prefix !== newline ? prefix + newline : newline).repeat(count(p['prefix_count'], 'prefix_count'))
  // Each line gets the decoration; a line that is only the decoration loses its trailing spaces.
  const body = (decoration + text.split(newline).join(newline + decoration)).split(decoration + newline).join(rstrip(decoration) + newline)
  const postfixText = Array.from({ length: count(p['postfix_count'], 'postfix_count') }, () => newline + postfix).join('')
  return head + prefixText + body + postfixText + (end ? newline + end : '')
}

/** Python's str.center: the odd space goes left when the width is odd. */
const center: FilterFn = (input, call, ctx) => {
  const [width = 80] = params(call, ['width'], ctx)
  const text = toStr(input)
  const w = numberOf(width) ?? fail("'center' width must be an integer")
  const margin = w - chars(text).length
  if (margin <= 0) return text
  const left = Math.floor(margin / 2) + (margin & w & 1)
  return ' '.repeat(left) + text + ' '.repeat(margin - left)
}

const SIZE_PREFIXES = ['K', 'M', 'G', 'T', 'P', 'E', 'Z', 'Y']

/** Jinja's filesizeformat: decimal (kB, MB) or binary (KiB, MiB) prefixes, one decimal. */
const filesizeformat: FilterFn = (input, call, ctx) => {
  const [binary] = params(call, ['binary'], ctx)
  const bytes = numberOf(input) ?? (typeof input === 'string' && input.trim() !== '' && !Number.isNaN(Number(input)) ? Number(input) : fail(`could not convert ${toStr(input)} to float`))
  const isBinary = truthy(binary ?? false)
  const base = isBinary ? 1024 : 1000
  if (bytes === 1) return '1 Byte'
  if (bytes < base) return `${Math.trunc(bytes)} Bytes`
  let i = 0
  while (i < SIZE_PREFIXES.length - 1 && bytes >= base ** (i + 2)) i++
  const prefix = isBinary ? `${SIZE_PREFIXES[i]}iB` : `${i === 0 ? 'k' : SIZE_PREFIXES[i]}B`
  return `${pyFixed((base * bytes) / base ** (i + 2), 1)} ${prefix}`
}

const HTML: Record<string, string> = { '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&#34;', "'": '&#39;' }
const escape: FilterFn = (input, call, ctx) => (params(call, [], ctx), (input === null ? 'None' : toStr(input)).replace(/[&<>"']/g, (c) => HTML[c] as string))

const ENTITIES: Record<string, string> = { amp: '&', lt: '<', gt: '>', quot: '"', apos: "'", nbsp: '\u00a0' }
/** markupsafe's striptags: comments and tags removed, entities read, whitespace collapsed. */
const striptags: FilterFn = (input, call, ctx) => {
  params(call, [], ctx)
  const text = toStr(input).replace(/<!--[\s\S]*?-->/g, '').replace(/<[^>]*>/g, '').split(/\s+/).filter(Boolean).join(' ')
  return text.replace(/&(#x[0-9a-f]+|#\d+|\w+);/gi, (whole, name: string) => {
    if (name.startsWith('#')) return String.fromCodePoint(name[1]?.toLowerCase() === 'x' ? parseInt(name.slice(2), 16) : Number(name.slice(1)))
    return ENTITIES[name.toLowerCase()] ?? whole
  })
}

/** urllib's quote: letters, digits and `_.-~` stay; `/` too unless for a query string. */
function urlQuote(value: unknown, forQuery: boolean): string {
  const bytes = Buffer.from(toStr(value), 'utf8')
  let out = ''
  for (const b of bytes) {
    const c = String.fromCharCode(b)
    out += /[A-Za-z0-9_.~-]/.test(c) || (c === '/' && !forQuery) ? c : `%${b.toString(16).toUpperCase().padStart(2, '0')}`
  }
  return forQuery ? out.replaceAll('%20', '+') : out
}

/** Jinja's urlencode: a string quoted for a path, a dict or list of pairs as a query string. */
const urlencode: FilterFn = (input, call, ctx) => {
  params(call, [], ctx)
  if (typeof input === 'string') return urlQuote(input, false)
  const pairs = isDict(input) ? Object.entries(input) : Array.isArray(input) ? input.map((p) => (Array.isArray(p) && p.length === 2 ? p : fail("'urlencode' needs a string, a dict or a list of pairs"))) : undefined
  if (!pairs) return urlQuote(input, false)
  return pairs.map(([k, v]) => `${urlQuote(k, true)}=${urlQuote(v, true)}`).join('&')
}

/** Jinja's tojson: sorted keys, and the characters HTML would read made safe. */
const tojson: FilterFn = (input, call, ctx) => {
  const [indent] = params(call, ['indent'], ctx)
  const json = pyJson(input, { sortKeys: true, indent: indent === undefined || indent === null ? undefined : Number(indent) })
  return json.replace(/[<>&']/g, (c) => `\\u00${c.charCodeAt(0).toString(16).padStart(2, '0')}`)
}

export const LAYOUT_FILTERS: Record<string, FilterFn> = {
  comment, center, filesizeformat, escape, e: escape, forceescape: escape, striptags, urlencode, tojson,
  safe: (input, call, ctx) => (params(call, [], ctx), input),
}
