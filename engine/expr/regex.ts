/**
 * Python regular expressions on JavaScript's engine. The syntax is mostly shared; the
 * differences users meet in Ansible playbooks are translated: `(?P<name>...)`, `(?P=name)`,
 * leading inline flags `(?i)`, `\A`, `\Z`, and `\1` / `\g<name>` in replacements.
 */
import { fail } from './values.js'

const cache = new Map<string, RegExp>()

export interface RegexOptions {
  ignorecase?: boolean
  multiline?: boolean
  /** Every match (for replace and findall), not just the first. */
  global?: boolean
}

/** JavaScript's reasons a pattern is invalid, in Python's re words (what playbooks match on: 'nothing to repeat'). */
const PYTHON_REASONS: [RegExp, string][] = [
  [/Nothing to repeat/, 'nothing to repeat'],
  [/Unterminated group/, 'missing ), unterminated subpattern'],
  [/Unmatched '\)'/, 'unbalanced parenthesis'],
  [/Unterminated character class/, 'unterminated character set'],
  [/Lone quantifier brackets/, 'nothing to repeat'],
  [/Invalid group/, 'unknown extension'],
]

function pythonReason(message: string): string {
  const reason = message.replace(/^Invalid regular expression: \/.*\/\w*: /, '')
  return PYTHON_REASONS.find(([js]) => js.test(reason))?.[1] ?? reason
}

export function pyRegex(pattern: string, options: RegexOptions = {}): RegExp {
  let flags = 'u'
  let source = pattern
  const inline = /^\(\?([aiLmsux]+)\)/.exec(source)
  if (inline) {
    source = source.slice(inline[0].length)
    for (const f of inline[1] ?? '') if ('ims'.includes(f) && !flags.includes(f)) flags += f
  }
  if (options.ignorecase && !flags.includes('i')) flags += 'i'
  if (options.multiline && !flags.includes('m')) flags += 'm'
  if (options.global) flags += 'g'
  const key = `${flags}/${source}`
  let re = cache.get(key)
  if (!re) {
    const translated = source
      .replace(/\(\?P<([A-Za-z_]\w*)>/g, '(?<$1>')
      .replace(/\(\?P=([A-Za-z_]\w*)\)/g, '\\k<$1>')
      .replace(/(^|[^\\])\\A/g, '$1^')
      .replace(/(^|[^\\])\\Z/g, '$1$')
    try {
      re = new RegExp(translated, flags)
    } catch {
      // Python accepts escapes such as `\-` outside classes that the 'u' flag rejects.
      try {
        re = new RegExp(translated, flags.replace('u', ''))
      } catch (err) {
        return fail(`invalid regular expression '${pattern}': ${pythonReason((err as Error).message)}`)
      }
    }
    if (cache.size > 500) cache.clear()
    cache.set(key, re)
  }
  re.lastIndex = 0
  return re
}

type Part = string | { group: string | number }

/** Parses a Python replacement template: `\1`, `\g<1>`, `\g<name>`, `\n`, `\\`. */
function parseTemplate(template: string): Part[] {
  const parts: Part[] = []
  let literal = ''
  const re = /\\(?:g<(\w+)>|(\d{1,2})|(.))/gs
  let last = 0
  for (const m of template.matchAll(re)) {
    literal += template.slice(last, m.index)
    last = m.index + m[0].length
    const [, named, numbered, other] = m
    if (named !== undefined || numbered !== undefined) {
      if (literal) parts.push(literal)
      literal = ''
      const g = (named ?? numbered) as string
      parts.push({ group: /^\d+$/.test(g) ? Number(g) : g })
    } else {
      literal += ({ n: '\n', t: '\t', r: '\r', '\\': '\\' } as Record<string, string>)[other ?? ''] ?? `\\${other}`
    }
  }
  literal += template.slice(last)
  if (literal) parts.push(literal)
  return parts
}

/** The text of one group reference, as Python gives it (an unmatched group is ''). */
export function groupText(match: RegExpExecArray | RegExpMatchArray, group: string | number): string {
  if (typeof group === 'number') {
    if (group >= match.length) fail(`invalid group reference ${group}`)
    return match[group] ?? ''
  }
  if (!match.groups || !(group in match.groups)) fail(`unknown group name '${group}'`)
  return match.groups[group] ?? ''
}

/** `re.sub(pattern, repl, text, count)`. */
export function pySub(text: string, pattern: string, replacement: string, options: RegexOptions & { count?: number }): string {
  const parts = parseTemplate(replacement)
  const re = pyRegex(pattern, { ...options, global: true })
  let done = 0
  return text.replace(re, (...args: unknown[]) => {
    const groupsArg = args.at(-1)
    const hasNamed = typeof groupsArg === 'object' && groupsArg !== null
    const captures = args.slice(0, hasNamed ? -3 : -2) as (string | undefined)[]
    if (options.count && done >= options.count) return captures[0] ?? ''
    done++
    const match = Object.assign([...captures], { groups: hasNamed ? (groupsArg as Record<string, string>) : undefined }) as RegExpMatchArray
    return parts.map((p) => (typeof p === 'string' ? p : groupText(match, p.group))).join('')
  })
}

/** Python 3.7+ `re.escape`: only characters with a meaning in a pattern. */
export function pyEscape(text: string): string {
  return text.replace(/[()[\]{}?*+\-|^$\\.&~# \t\n\r\v\f]/g, '\\$&')
}
