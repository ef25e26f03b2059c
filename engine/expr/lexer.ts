/** Splits an expression into tokens. Positions are offsets into the whole source text. */
import { ExprFailure } from './values.js'

export type TokenType = 'num' | 'str' | 'name' | 'op' | 'eof'

export interface Token {
  type: TokenType
  /** The operator or name text, or the decoded string literal. */
  value: string
  num?: number
  start: number
  end: number
}

// Longest first, so that '**' is not read as two '*'.
const OPERATORS = [
  '===', '!==', '**', '//', '==', '!=', '<=', '>=', '&&', '||',
  '+', '-', '*', '/', '%', '~', '<', '>', '=', '!', '(', ')', '[', ']', '{', '}', ',', ':', '.', '|', '?',
]

const ESCAPES: Record<string, string> = {
  n: '\n', t: '\t', r: '\r', '\\': '\\', "'": "'", '"': '"', '0': '\0', f: '\f', v: '\v', a: '\x07', '\n': '',
}

/**
 * Tokenizes `source.slice(start, end)`. Unknown escapes such as `\d` keep their backslash
 * (as in Python), so regular expressions written in a playbook need no doubling; `\b` too
 * stays a backslash-b (a word boundary, never a backspace).
 *
 * With `literalBackslashes` (a `{{ }}` in a playbook string), a string literal is the text
 * between its quotes as written: Ansible's templar doubles every backslash inside those before
 * Jinja reads them (its _escape_backslashes), so `'a\nb'` is four characters and a string
 * ends at the next quote of its kind, even one after a backslash.
 */
export function tokenize(source: string, start = 0, end = source.length, literalBackslashes = false): Token[] {
  const tokens: Token[] = []
  let i = start
  while (i < end) {
    const c = source[i] as string
    if (/\s/.test(c)) {
      i++
      continue
    }
    const afterDot = tokens.at(-1)?.value === '.' && tokens.at(-1)?.type === 'op'
    if (/[0-9]/.test(c)) {
      // After '.', only an integer: `a.0.1` is two index steps, not the float 0.1.
      const re = afterDot ? /[0-9]+/y : /[0-9][0-9_]*(\.[0-9][0-9_]*)?([eE][+-]?[0-9]+)?/y
      re.lastIndex = i
      const text = (re.exec(source) as RegExpExecArray)[0]
      tokens.push({ type: 'num', value: text, num: Number(text.replaceAll('_', '')), start: i, end: i + text.length })
      i += text.length
      continue
    }
    if (/[A-Za-z_]/.test(c)) {
      const re = /[A-Za-z_][A-Za-z0-9_]*/y
      re.lastIndex = i
      const text = (re.exec(source) as RegExpExecArray)[0]
      tokens.push({ type: 'name', value: text, start: i, end: i + text.length })
      i += text.length
      continue
    }
    if (c === "'" || c === '"') {
      const { value, next } = literalBackslashes ? readLiteralString(source, i, end) : readString(source, i, end)
      tokens.push({ type: 'str', value, start: i, end: next })
      i = next
      continue
    }
    const op = OPERATORS.find((o) => source.startsWith(o, i) && i + o.length <= end)
    if (!op) throw new ExprFailure(`unexpected character '${c}'`, i)
    tokens.push({ type: 'op', value: op, start: i, end: i + op.length })
    i += op.length
  }
  tokens.push({ type: 'eof', value: '', start: end, end })
  return tokens
}

function readLiteralString(source: string, start: number, end: number): { value: string; next: number } {
  const close = source.indexOf(source[start] as string, start + 1)
  if (close < 0 || close >= end) throw new ExprFailure('unterminated string', start)
  return { value: source.slice(start + 1, close), next: close + 1 }
}

function readString(source: string, start: number, end: number): { value: string; next: number } {
  const quote = source[start]
  let out = ''
  let i = start + 1
  while (i < end) {
    const c = source[i] as string
    if (c === quote) return { value: out, next: i + 1 }
    if (c !== '\\') {
      out += c
      i++
      continue
    }
    const e = source[i + 1] ?? ''
    const hex = e === 'x' ? 2 : e === 'u' ? 4 : e === 'U' ? 8 : 0
    if (hex) {
      const digits = source.slice(i + 2, i + 2 + hex)
      if (!new RegExp(`^[0-9a-fA-F]{${hex}}$`).test(digits)) throw new ExprFailure(`bad escape '\\${e}${digits}'`, i)
      out += String.fromCodePoint(parseInt(digits, 16))
      i += 2 + hex
    } else if (e in ESCAPES) {
      out += ESCAPES[e]
      i += 2
    } else {
      out += '\\' + e
      i += 2
    }
  }
  throw new ExprFailure('unterminated string', start)
}
