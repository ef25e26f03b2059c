/**
 * The part of Python's ast.literal_eval that Ansible's INI inventory relies on to type values:
 * ints (also 0x/0o/0b, underscores), floats, signed numbers, 'strings' and "strings" (adjacent
 * ones joined), True/False/None, lists, tuples and sets (as lists), dicts, and a trailing
 * `# comment`. Anything else is not a literal, and the caller keeps the text as a string —
 * which is also what Python 3 does with `0644`, `10-5`, `56L` or `1+2j`-like text.
 */
import { float, PyFloat } from '../expr/pyfloat.js'

export type LiteralResult = { ok: true; value: unknown } | { ok: false }

class NotLiteral extends Error {}

/**
 * `jsonNames` (a template's output) also reads `true`/`false`/`null`, as Ansible's Json2Python
 * does before it literal_evals the text, and refuses sets: Python's would be a set (or a
 * TypeError for a set of sets), a type tsplay's values do not have, so the text stays text.
 */
export function pyLiteral(text: string, options: { jsonNames?: boolean } = {}): LiteralResult {
  try {
    const parser = new Parser(text, options.jsonNames ?? false)
    const value = parser.expr()
    parser.skipSpace()
    return parser.atEnd() ? { ok: true, value } : { ok: false }
  } catch (err) {
    if (err instanceof NotLiteral) return { ok: false }
    throw err
  }
}

const NUMBER =
  /(?:0[xX](?:_?[0-9a-fA-F])+|0[oO](?:_?[0-7])+|0[bB](?:_?[01])+|(?:(?:\d(?:_?\d)*)?\.\d(?:_?\d)*|\d(?:_?\d)*\.?)(?:[eE][+-]?\d(?:_?\d)*)?)[jJ]?/y
const NAME = /[A-Za-z_][A-Za-z0-9_]*/y
const STRING_START = /([rRuUbB]|[bB][rR]|[rR][bB])?(['"])/y
const SIMPLE_ESCAPES: Record<string, string> = {
  '\\': '\\', "'": "'", '"': '"', n: '\n', t: '\t', r: '\r', a: '\x07', b: '\b', f: '\f', v: '\v',
}

class Parser {
  private i = 0
  constructor(
    private readonly s: string,
    private readonly jsonNames: boolean,
  ) {}

  atEnd(): boolean {
    return this.i >= this.s.length
  }

  skipSpace(): void {
    while (this.i < this.s.length) {
      const c = this.s.charAt(this.i)
      // Newlines only come from a template's output (an INI value is one line), as Python's parser takes them.
      if (c === ' ' || c === '\t' || c === '\f' || c === '\n' || c === '\r') this.i++
      else if (c === '#') this.i = this.s.includes('\n', this.i) ? this.s.indexOf('\n', this.i) : this.s.length
      else break
    }
  }

  expr(): unknown {
    this.skipSpace()
    const c = this.s.charAt(this.i)
    if (c === '-' || c === '+') {
      this.i++
      this.skipSpace()
      const n = this.number()
      if (c !== '-') return n
      return n instanceof PyFloat ? new PyFloat(-n.value) : -n
    }
    if (c === '[') return this.sequence(']', [])
    if (c === '(') return this.paren()
    if (c === '{') return this.brace()
    if (c === '"' || c === "'") return this.strings()
    if (/[0-9.]/.test(c)) return this.number()
    NAME.lastIndex = this.i
    const name = NAME.exec(this.s)?.[0]
    if (name === undefined) throw new NotLiteral()
    STRING_START.lastIndex = this.i
    if (STRING_START.exec(this.s)) return this.strings()
    this.i += name.length
    if (name === 'True' || (this.jsonNames && name === 'true')) return true
    if (name === 'False' || (this.jsonNames && name === 'false')) return false
    if (name === 'None' || (this.jsonNames && name === 'null')) return null
    throw new NotLiteral()
  }

  private number(): number | PyFloat {
    NUMBER.lastIndex = this.i
    const text = NUMBER.exec(this.s)?.[0]
    if (text === undefined) throw new NotLiteral()
    this.i += text.length
    // `56L`, `1abc`, `1.2.3` are tokenizer errors in Python 3; complex numbers are not kept.
    if (/[A-Za-z0-9_.]/.test(this.s.charAt(this.i)) || /[jJ]$/.test(text)) throw new NotLiteral()
    const digits = text.replace(/_/g, '')
    const radix = /^0[xX]/.test(digits) ? 16 : /^0[oO]/.test(digits) ? 8 : /^0[bB]/.test(digits) ? 2 : 10
    if (radix !== 10) return this.safe(parseInt(digits.slice(2), radix))
    // A float stays one (`1.0` prints 1.0, as in Python).
    if (/[.eE]/.test(digits)) return float(Number(digits))
    // Python 3 rejects leading zeros (`0644`), so such text stays a string.
    if (/^0\d/.test(digits) && !/^0+$/.test(digits)) throw new NotLiteral()
    return this.safe(Number(digits))
  }

  /** An int a JavaScript number cannot hold exactly stays the text it was, rather than a rounded number. */
  private safe(n: number): number {
    if (!Number.isSafeInteger(n)) throw new NotLiteral()
    return n
  }

  private strings(): string {
    let out = ''
    let any = false
    for (;;) {
      this.skipSpace()
      STRING_START.lastIndex = this.i
      const m = STRING_START.exec(this.s)
      if (!m) break
      const raw = /[rR]/.test(m[1] ?? '')
      const quote = m[2] ?? "'"
      this.i += m[0].length
      const triple = this.s.startsWith(quote + quote, this.i)
      const close = triple ? quote.repeat(3) : quote
      if (triple) this.i += 2
      out += this.stringBody(close, raw)
      any = true
    }
    if (!any) throw new NotLiteral()
    return out
  }

  private stringBody(close: string, raw: boolean): string {
    let out = ''
    while (!this.s.startsWith(close, this.i)) {
      if (this.i >= this.s.length) throw new NotLiteral()
      const c = this.s.charAt(this.i)
      if (c !== '\\') {
        out += c
        this.i++
        continue
      }
      const next = this.s.charAt(this.i + 1)
      if (raw) {
        out += c + next
        this.i += 2
      } else {
        out += this.escape(next)
      }
    }
    this.i += close.length
    return out
  }

  /** Reads the escape after a backslash at this.i and returns what it stands for. */
  private escape(next: string): string {
    const simple = SIMPLE_ESCAPES[next]
    if (simple !== undefined) {
      this.i += 2
      return simple
    }
    const octal = /^[0-7]{1,3}/.exec(this.s.slice(this.i + 1))?.[0]
    if (octal !== undefined) {
      this.i += 1 + octal.length
      return String.fromCodePoint(parseInt(octal, 8))
    }
    const width = next === 'x' ? 2 : next === 'u' ? 4 : next === 'U' ? 8 : 0
    if (width > 0) {
      const hex = this.s.slice(this.i + 2, this.i + 2 + width)
      if (!new RegExp(`^[0-9a-fA-F]{${width}}$`).test(hex)) throw new NotLiteral()
      const code = parseInt(hex, 16)
      if (code > 0x10ffff) throw new NotLiteral()
      this.i += 2 + width
      return String.fromCodePoint(code)
    }
    if (next === 'N') throw new NotLiteral()
    // Python keeps an unknown escape as written.
    this.i += 2
    return '\\' + next
  }

  private sequence(close: string, items: unknown[]): unknown[] {
    this.i++
    for (;;) {
      this.skipSpace()
      if (this.s.charAt(this.i) === close) {
        this.i++
        return items
      }
      items.push(this.expr())
      this.skipSpace()
      const c = this.s.charAt(this.i)
      if (c === ',') this.i++
      else if (c !== close) throw new NotLiteral()
    }
  }

  /** `(x)` is x; `()`, `(x,)` and `(x, y)` are tuples, which Ansible turns into lists. */
  private paren(): unknown {
    const start = this.i
    this.i++
    this.skipSpace()
    if (this.s.charAt(this.i) === ')') {
      this.i++
      return []
    }
    const first = this.expr()
    this.skipSpace()
    if (this.s.charAt(this.i) === ')') {
      this.i++
      return first
    }
    this.i = start
    return this.sequence(')', [])
  }

  private brace(): unknown {
    const start = this.i
    this.i++
    this.skipSpace()
    if (this.s.charAt(this.i) === '}') {
      this.i++
      return {}
    }
    this.expr()
    this.skipSpace()
    const isDict = this.s.charAt(this.i) === ':'
    this.i = start
    if (!isDict) {
      if (this.jsonNames) throw new NotLiteral()
      return this.sequence('}', [])
    }
    return this.dict()
  }

  private dict(): Record<string, unknown> {
    const out: Record<string, unknown> = {}
    this.i++
    for (;;) {
      this.skipSpace()
      if (this.s.charAt(this.i) === '}') {
        this.i++
        return out
      }
      const key = this.expr()
      // Lists and dicts cannot be keys in Python (unhashable).
      if (typeof key === 'object' && key !== null) throw new NotLiteral()
      this.skipSpace()
      if (this.s.charAt(this.i) !== ':') throw new NotLiteral()
      this.i++
      Object.defineProperty(out, keyText(key), { value: this.expr(), enumerable: true, writable: true, configurable: true })
      this.skipSpace()
      const c = this.s.charAt(this.i)
      if (c === ',') this.i++
      else if (c !== '}') throw new NotLiteral()
    }
  }
}

/** JSON's spelling of a Python key, as Ansible's JSON output writes it. */
function keyText(key: unknown): string {
  if (key === null) return 'null'
  return String(key)
}
