/**
 * Splits a playbook string into literal text and `{{ expr }}` parts. Comments `{# #}` are
 * dropped. A string with `{% %}` statements is a whole Jinja2 template (engine/expr/jinja),
 * rendered to text. Jinja's whitespace control (`{{-`, `-}}`, `{#-`, `-#}`) strips the
 * whitespace on that side.
 */
import type { Node } from './ast.js'
import { parseJinja, PLAYBOOK_STRING_SETTINGS } from './jinja/index.js'
import { stringEnd } from './jinja/scan.js'
import { parse } from './parser.js'
import { ExprFailure } from './values.js'

export type Part = { kind: 'text'; text: string } | { kind: 'expr'; node: Node }

export interface Template {
  parts: Part[]
  /** Set when the text is exactly one `{{ expr }}` (whitespace around allowed): its value is the result. */
  single?: Node
  /** Set when the text holds `{% %}` statements: it renders as a Jinja2 template, to text. */
  statements?: true
  /**
   * Set when the text is exactly `{{ name }}`: Ansible's templar hands such a variable over
   * without rendering it (its SINGLE_VAR shortcut), so a None stays None there and only there.
   */
  bareName?: true
}

const BARE_NAME = /^\{\{\s*\w+\s*\}\}\n?$/

/** A `{%` that opens a statement (not shell's `${%...}` or printf's `{%s}`, which have no closing `%}`). */
function hasStatement(text: string): boolean {
  const open = text.indexOf('{%')
  return open >= 0 && text.indexOf('%}', open + 2) >= 0
}

/** Where the `}}` closing an expression starts (or its `-`), skipping strings and nested brackets. */
function expressionEnd(text: string, from: number): number {
  let depth = 0
  for (let i = from; i < text.length; i++) {
    const c = text[i]
    if (c === '"' || c === "'") {
      i = stringEnd(text, i)
    } else if (c === '(' || c === '[' || c === '{') {
      depth++
    } else if (c === ')' || c === ']' || c === '}') {
      if (depth === 0 && c === '}' && text[i + 1] === '}') return i
      if (depth > 0) depth--
    } else if (c === '-' && depth === 0 && text.startsWith('-}}', i)) {
      return i
    }
  }
  return -1
}

export function parseTemplate(text: string): Template {
  if (hasStatement(text)) {
    parseJinja(text, PLAYBOOK_STRING_SETTINGS)
    return { parts: [], statements: true }
  }
  const parts: Part[] = []
  let literal = ''
  let i = 0
  const opener = /\{[{%#]/g
  while (i < text.length) {
    opener.lastIndex = i
    const m = opener.exec(text)
    if (!m) {
      literal += text.slice(i)
      break
    }
    literal += text.slice(i, m.index)
    const kind = text[m.index + 1]
    const stripBefore = text[m.index + 2] === '-'
    const start = m.index + (stripBefore ? 3 : 2)
    if (kind === '%') {
      literal += '{%' // an unclosed '{%': text, as Jinja would refuse but shells write it
      i = m.index + 2
      continue
    }
    if (kind === '#') {
      const close = text.indexOf('#}', start)
      if (close < 0) {
        // Not a comment after all: shell's `${#array[@]}` has no closing '#}'.
        literal += text.slice(m.index, start)
        i = start
        continue
      }
      if (stripBefore) literal = literal.trimEnd()
      i = text[close - 1] === '-' ? skipSpace(text, close + 2) : close + 2
      continue
    }
    const end = expressionEnd(text, start)
    if (end < 0) throw new ExprFailure("'{{' is not closed by '}}'", m.index)
    if (stripBefore) literal = literal.trimEnd()
    if (literal) parts.push({ kind: 'text', text: literal })
    literal = ''
    parts.push({ kind: 'expr', node: parse(text, start, end, true) })
    i = text[end] === '-' ? skipSpace(text, end + 3) : end + 2
  }
  if (literal) parts.push({ kind: 'text', text: literal })
  const exprs = parts.filter((p) => p.kind === 'expr')
  const onlySpace = parts.every((p) => p.kind === 'expr' || p.text.trim() === '')
  const single = exprs.length === 1 && onlySpace ? (exprs[0] as { node: Node }).node : undefined
  if (!single) return { parts }
  return single.kind === 'name' && BARE_NAME.test(text) ? { parts, single, bareName: true } : { parts, single }
}

function skipSpace(text: string, from: number): number {
  let i = from
  while (i < text.length && /\s/.test(text[i] as string)) i++
  return i
}
