/** Filters over strings: case, trimming, splitting, regular expressions, encodings, paths, shell quoting. */
import { quote } from '../quote.js'
import { percentFormat } from './format.js'
import { pyCapitalize, pyReplace, pySplit, pyStrip } from './methods.js'
import { getAttr } from './operators.js'
import { toStr, truthy } from './python.js'
import { groupText, pyEscape, pyRegex, pySub } from './regex.js'
import { needNumber, needString, params, type Ctx, type FilterFn } from './types.js'
import { fail } from './values.js'

const text = (input: unknown, ctx: Ctx): string => needString(input, `the input of '${ctx.name}'`)

function simple(fn: (s: string) => unknown): FilterFn {
  return (input, call, ctx) => (params(call, [], ctx), fn(toStr(input)))
}

/** Jinja's title: words are split at spaces, hyphens and brackets, so "it's" stays "It's". */
function jinjaTitle(s: string): string {
  return s.split(/([-\s({[<]+)/).map((w) => (w ? w.charAt(0).toUpperCase() + w.slice(1).toLowerCase() : w)).join('')
}

/** Jinja's truncate: text within length + leeway stays; otherwise cut to fit `end`, at a space unless killwords. */
function truncate(s: string, length: number, killwords: boolean, end: string, leeway: number): string {
  if (length < end.length) fail(`expected length >= ${end.length}, got ${length}`)
  if (leeway < 0) fail(`expected leeway >= 0, got ${leeway}`)
  if ([...s].length <= length + leeway) return s
  const head = [...s].slice(0, length - end.length).join('')
  if (killwords) return head + end
  const space = head.lastIndexOf(' ')
  return (space < 0 ? head : head.slice(0, space)) + end
}

const regexOptions = (call: { named: Record<string, unknown> }, ctx: Ctx): { ignorecase: boolean; multiline: boolean } => {
  const [ignorecase, multiline] = params({ positional: [], named: call.named }, ['ignorecase', 'multiline'], ctx)
  return { ignorecase: truthy(ignorecase ?? false), multiline: truthy(multiline ?? false) }
}

/** Python's posixpath.basename / dirname (`/a/b/` has basename ''). */
function basename(p: string): string {
  return p.slice(p.lastIndexOf('/') + 1)
}

function dirname(p: string): string {
  const head = p.slice(0, p.lastIndexOf('/') + 1)
  return head && !/^\/+$/.test(head) ? head.replace(/\/+$/, '') : head
}

export const TEXT_FILTERS: Record<string, FilterFn> = {
  lower: simple((s) => s.toLowerCase()),
  upper: simple((s) => s.toUpperCase()),
  capitalize: simple(pyCapitalize),
  title: simple(jinjaTitle),
  string: simple((s) => s),
  trim: (input, call, ctx) => pyStrip(toStr(input), params(call, ['chars'], ctx)[0], 'both'),
  replace: (input, call, ctx) => {
    const [old, now, count] = params(call, ['old', 'new', 'count'], ctx)
    return pyReplace(toStr(input), old, now, count)
  },
  split: (input, call, ctx) => {
    const [sep, maxsplit] = params(call, ['sep', 'maxsplit'], ctx)
    return pySplit(text(input, ctx), sep, maxsplit)
  },
  regex_replace: (input, call, ctx) => {
    const [pattern, replacement = '', ignorecase, multiline, count] = params(call, ['pattern', 'replacement', 'ignorecase', 'multiline', 'count', 'mandatory_count'], ctx)
    return pySub(toStr(input), needString(pattern, 'the pattern'), toStr(replacement), {
      ignorecase: truthy(ignorecase ?? false), multiline: truthy(multiline ?? false), count: Number(count ?? 0),
    })
  },
  regex_search: (input, call, ctx) => {
    const [pattern, ...groups] = call.positional
    const re = pyRegex(needString(pattern, 'the pattern'), regexOptions(call, ctx))
    const m = re.exec(toStr(input))
    if (!m) return null
    if (groups.length === 0) return m[0]
    return groups.map((g) => {
      const ref = /^\\(?:(\d+)|g<(\w+)>)$/.exec(needString(g, 'a group reference'))
      if (!ref) return fail(`'regex_search' group references look like '\\\\1' or '\\\\g<name>', not '${toStr(g)}'`)
      return groupText(m, ref[1] !== undefined ? Number(ref[1]) : (ref[2] as string))
    })
  },
  regex_findall: (input, call, ctx) => {
    const [pattern] = call.positional
    const re = pyRegex(needString(pattern, 'the pattern'), { ...regexOptions(call, ctx), global: true })
    // Python's findall: the whole match, the only group, or a list of all groups.
    return [...toStr(input).matchAll(re)].map((m) => (m.length === 1 ? m[0] : m.length === 2 ? (m[1] ?? '') : m.slice(1).map((g) => g ?? '')))
  },
  regex_escape: (input, call, ctx) => (params(call, ['re_type'], ctx), pyEscape(toStr(input))),
  b64encode: (input, call, ctx) => (params(call, ['encoding'], ctx), Buffer.from(toStr(input), 'utf8').toString('base64')),
  b64decode: (input, call, ctx) => (params(call, ['encoding'], ctx), Buffer.from(text(input, ctx), 'base64').toString('utf8')),
  basename: (input, call, ctx) => (params(call, [], ctx), basename(text(input, ctx))),
  dirname: (input, call, ctx) => (params(call, [], ctx), dirname(text(input, ctx))),
  path_join: (input) => {
    const parts = (Array.isArray(input) ? input : [input]).map(toStr)
    return parts.reduce((acc, p) => (p.startsWith('/') || acc === '' ? p : acc.endsWith('/') ? acc + p : `${acc}/${p}`), '')
  },
  quote: (input, call, ctx) => (params(call, [], ctx), quote(input === null ? '' : toStr(input))),
  format: (input, call, ctx) => {
    if (call.positional.length && Object.keys(call.named).length) fail("'format' takes positional or named arguments, not both")
    return percentFormat(text(input, ctx), Object.keys(call.named).length ? call.named : call.positional)
  },
  indent: (input, call, ctx) => {
    const [width = 4, first, blank] = params(call, ['width', 'first', 'blank'], ctx)
    const pad = typeof width === 'string' ? width : ' '.repeat(Number(width))
    const lines = toStr(input).split('\n')
    return lines.map((l, i) => ((i > 0 || truthy(first ?? false)) && (l !== '' || truthy(blank ?? false)) ? pad + l : l)).join('\n')
  },
  truncate: (input, call, ctx) => {
    const [length = 255, killwords, end = '...', leeway = 5] = params(call, ['length', 'killwords', 'end', 'leeway'], ctx)
    return truncate(toStr(input), needNumber(length, "'truncate' length"), truthy(killwords ?? false), toStr(end), needNumber(leeway ?? 5, "'truncate' leeway"))
  },
  // Python's \w+ over Unicode text.
  wordcount: (input, call, ctx) => (params(call, [], ctx), (toStr(input).match(/[\p{L}\p{N}_]+/gu) ?? []).length),
  attr: (input, call, ctx) => {
    const name = needString(params(call, ['name'], ctx)[0], 'the attribute name')
    return getAttr(input, name, name, 'value')
  },
}
