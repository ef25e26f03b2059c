/**
 * Python's int/float distinction, which JavaScript numbers lack: `{{ 4 | float }}` prints `4.0`,
 * `{{ 10 / 2 }}` prints `5.0`, `{{ 7 // 2 }}` prints `3`. A float with a fraction (0.5) is a plain
 * number, since nothing else could print it; only a float whose value is a whole number is a
 * PyFloat, made by what makes floats in Python (float literals, `/`, `| float`, `round`, an
 * operation with a float operand). It prints, compares and computes as Python's float and leaves
 * the language as a plain number (module arguments, JSON of the run): see docs/decisions.md.
 */
import { PyObject } from './values.js'

export class PyFloat extends PyObject {
  readonly typeName = 'float'

  constructor(readonly value: number) {
    super()
  }

  str(): string {
    return floatRepr(this.value)
  }

  /** JSON.stringify and JavaScript arithmetic outside the language see the number. */
  toJSON(): number {
    return this.value
  }

  override valueOf(): number {
    return this.value
  }
}

/** A float result: marked when it is a whole number, which JavaScript would print as an int. */
export function float(n: number): number | PyFloat {
  return Number.isInteger(n) ? new PyFloat(n) : n
}

/** A Python float: a PyFloat, or a number with a fraction (nan and inf too). */
export function isFloat(value: unknown): boolean {
  return value instanceof PyFloat || (typeof value === 'number' && !Number.isInteger(value))
}

/** The number of an int or float (not of a boolean), else undefined. */
export function numberOf(value: unknown): number | undefined {
  if (typeof value === 'number') return value
  return value instanceof PyFloat ? value.value : undefined
}

/** A value with PyFloats replaced by plain numbers, deeply: what code outside the language reads. */
export function plainNumbers(value: unknown): unknown {
  if (value instanceof PyFloat) return value.value
  if (Array.isArray(value)) return value.some(holdsFloat) ? value.map(plainNumbers) : value
  if (isPlainObject(value) && Object.values(value).some(holdsFloat)) {
    const out: Record<string, unknown> = {}
    for (const [k, v] of Object.entries(value)) Object.defineProperty(out, k, { value: plainNumbers(v), enumerable: true, writable: true, configurable: true })
    return out
  }
  return value
}

function holdsFloat(value: unknown): boolean {
  if (value instanceof PyFloat) return true
  if (Array.isArray(value)) return value.some(holdsFloat)
  return isPlainObject(value) && Object.values(value).some(holdsFloat)
}

function isPlainObject(value: unknown): value is Record<string, unknown> {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) return false
  const proto = Object.getPrototypeOf(value) as unknown
  return proto === Object.prototype || proto === null
}

/** Python's repr of a float: shortest digits, exponent below 1e-4 and from 1e16, always a `.0` or exponent. */
export function floatRepr(n: number): string {
  if (Number.isNaN(n)) return 'nan'
  if (n === Infinity || n === -Infinity) return n > 0 ? 'inf' : '-inf'
  if (n === 0) return Object.is(n, -0) ? '-0.0' : '0.0'
  const [mantissa = '', expText = '0'] = n.toExponential().split('e')
  const exp = Number(expText)
  if (exp < -4 || exp >= 16) return `${mantissa}e${exp < 0 ? '-' : '+'}${String(Math.abs(exp)).padStart(2, '0')}`
  const sign = mantissa.startsWith('-') ? '-' : ''
  const digits = mantissa.replace('-', '').replace('.', '')
  if (exp < 0) return `${sign}0.${'0'.repeat(-exp - 1)}${digits}`
  const whole = digits.slice(0, exp + 1).padEnd(exp + 1, '0')
  return `${sign}${whole}.${digits.slice(exp + 1) || '0'}`
}

/** Python's str of an int: every digit, also beyond 1e21 where JavaScript switches to an exponent. */
export function intRepr(n: number): string {
  return Math.abs(n) >= 1e21 ? BigInt(n).toString() : String(n)
}

/**
 * `'%.Nf' % n` as Python writes it: from the exact binary value, a true tie to the even digit
 * (0.125 -> '0.12'), where JavaScript's toFixed rounds a tie up.
 */
export function pyFixed(n: number, digits: number): string {
  const text = n.toFixed(digits)
  if (!Number.isFinite(n) || digits > 50) return text
  const exact = Math.abs(n).toFixed(100)
  const cut = exact.indexOf('.') + 1 + digits
  if (!/^50*$/.test(exact.slice(cut))) return text
  const kept = exact.slice(0, cut).replace(/\.$/, '')
  if (Number(kept.at(-1)) % 2 !== 0) return text
  return (n < 0 ? '-' : '') + kept
}

/** Python's round(): correctly rounded from the exact binary value, ties to even (2.5 -> 2, 2.675 -> 2.67). */
export function pyRound(value: number, precision: number): number {
  if (!Number.isFinite(value) || precision > 20) return value
  if (precision < 0) return pyRound(value / 10 ** -precision, 0) * 10 ** -precision
  return Number(pyFixed(value, precision))
}
