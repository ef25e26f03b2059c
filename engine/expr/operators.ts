/** Arithmetic, comparison and access with Python's meaning (Jinja evaluates with Python). */
import { percentFormat } from './format.js'
import { float, isFloat, numberOf } from './pyfloat.js'
import { chars, compare, contains, describe, equals, isInt, keyOf, lengthOf, toStr, tupleField } from './python.js'
import { fail, FORBIDDEN_NAMES, isDict, MISSING, ownValue, PyObject, Undefined } from './values.js'

function num(value: unknown, op: string): number {
  const n = numberOf(value)
  if (n !== undefined) return n
  if (typeof value === 'boolean') return Number(value)
  const hint = typeof value === 'string' ? " (convert it with '| int' or '| float')" : ''
  return fail(`'${op}' needs numbers, not ${describe(value)}${hint}`)
}

function repeat(value: unknown, times: unknown): unknown | undefined {
  if (!isInt(times)) return undefined
  if (typeof value === 'string') return value.repeat(Math.max(0, times))
  if (Array.isArray(value)) return Array.from({ length: Math.max(0, times) }, () => value).flat(1)
  return undefined
}

function nonZero(n: number): number {
  return n === 0 ? fail('division by zero') : n
}

/** Python's arithmetic result type: a float when either operand is one (and always for `/`). */
export function binary(op: string, a: unknown, b: unknown): unknown {
  const result = arithmetic(op, a, b)
  if (typeof result !== 'number') return result
  const negativePower = op === '**' && num(b, op) < 0
  return op === '/' || negativePower || isFloat(a) || isFloat(b) ? float(result) : result
}

function arithmetic(op: string, a: unknown, b: unknown): unknown {
  const own = a instanceof PyObject ? a.binary?.(op, b, false) : undefined
  const reflected = own === undefined && b instanceof PyObject ? b.binary?.(op, a, true) : undefined
  if (own !== undefined || reflected !== undefined) return own ?? reflected
  switch (op) {
    case '+':
      if (typeof a === 'string' && typeof b === 'string') return a + b
      if (Array.isArray(a) && Array.isArray(b)) return [...a, ...b]
      if (typeof a === 'string' || typeof b === 'string') {
        fail(`cannot add ${describe(a)} and ${describe(b)} (use '~' to join values as text, or '| int' to convert)`)
      }
      return num(a, op) + num(b, op)
    case '-':
      return num(a, op) - num(b, op)
    case '*':
      return repeat(a, b) ?? repeat(b, a) ?? num(a, op) * num(b, op)
    case '/':
      return num(a, op) / nonZero(num(b, op))
    case '//':
      return Math.floor(num(a, op) / nonZero(num(b, op)))
    case '%': {
      if (typeof a === 'string') return percentFormat(a, b)
      const d = nonZero(num(b, op))
      return ((num(a, op) % d) + d) % d // Python's sign: the divisor's
    }
    case '**':
      return num(a, op) ** num(b, op)
    case '~':
      return toStr(a) + toStr(b)
  }
  return fail(`unknown operator '${op}'`)
}

export function unary(op: '-' | '+', value: unknown): unknown {
  const n = num(value, op)
  const result = op === '-' ? -n : n
  return isFloat(value) ? float(result) : result
}

export function compareOp(op: string, a: unknown, b: unknown): boolean {
  switch (op) {
    case '==': case '===': return equals(a, b)
    case '!=': case '!==': return !equals(a, b)
    case '<': return compare(a, b, op) < 0
    case '<=': return compare(a, b, op) <= 0
    case '>': return compare(a, b, op) > 0
    case '>=': return compare(a, b, op) >= 0
    case 'in': return contains(b, a)
    case 'not in': return !contains(b, a)
  }
  return fail(`unknown comparison '${op}'`)
}

/** `obj.name`: a dict's key, `.length`, or a list index written `a.0`. */
export function getAttr(obj: unknown, name: string, path: string, base: string): unknown {
  if (obj instanceof Undefined) return new Undefined(path)
  if (FORBIDDEN_NAMES.has(name)) fail(`access to '${name}' is not allowed`)
  if (obj === null || obj === undefined) return new Undefined(path, `'${base}' is None`)
  if (isDict(obj)) {
    const value = ownValue(obj, name)
    return value === MISSING ? new Undefined(path) : value
  }
  if (obj instanceof PyObject) {
    const value = obj.attr(name)
    if (value !== MISSING) return value
  }
  if (Array.isArray(obj) || typeof obj === 'string') {
    if (name === 'length') return lengthOf(obj)
    if (/^\d+$/.test(name)) return getItem(obj, Number(name), path, base)
    const field = tupleField(obj, name)
    if (field !== undefined) return (obj as unknown[])[field]
  }
  return new Undefined(path, `'${base}' is ${describe(obj)}, which has no attribute '${name}'`)
}

/** `obj[key]`: a dict's key, or a list's or string's item (negative counts from the end). */
export function getItem(obj: unknown, key: unknown, path: string, base: string): unknown {
  if (obj instanceof Undefined) return new Undefined(path)
  if (obj === null || obj === undefined) return new Undefined(path, `'${base}' is None`)
  if (isDict(obj)) {
    const value = ownValue(obj, keyOf(key))
    return value === MISSING ? new Undefined(path) : value
  }
  if (Array.isArray(obj) || typeof obj === 'string') {
    if (typeof key === 'string') return getAttr(obj, key, path, base)
    if (!isInt(key)) fail(`'${base}' is ${describe(obj)}: its index must be an integer, not ${describe(key)}`)
    const items = typeof obj === 'string' ? chars(obj) : obj
    const i = key < 0 ? items.length + key : key
    if (i < 0 || i >= items.length) return new Undefined(path, `${typeof obj === 'string' ? 'str' : 'list'} object has no element ${key} ('${base}' has ${items.length} items)`)
    return items[i]
  }
  return new Undefined(path, `'${base}' is ${describe(obj)}, which cannot be indexed`)
}

/** Python's `seq[start:stop:step]`. */
export function slice(obj: unknown, start: unknown, stop: unknown, step: unknown): unknown {
  if (typeof obj !== 'string' && !Array.isArray(obj)) return fail(`cannot slice ${describe(obj)}`)
  const items = typeof obj === 'string' ? chars(obj) : obj
  const bound = (v: unknown, what: string): number | undefined =>
    v === undefined || v === null ? undefined : isInt(v) ? v : fail(`slice ${what} must be an integer, not ${describe(v)}`)
  const s = bound(step, 'step') ?? 1
  if (s === 0) fail('slice step cannot be zero')
  const n = items.length
  const clamp = (v: number | undefined, fallback: number): number => {
    if (v === undefined) return fallback
    const i = v < 0 ? v + n : v
    return s > 0 ? Math.min(Math.max(i, 0), n) : Math.min(Math.max(i, -1), n - 1)
  }
  const from = clamp(bound(start, 'start'), s > 0 ? 0 : n - 1)
  const to = clamp(bound(stop, 'stop'), s > 0 ? n : -1)
  const out: unknown[] = []
  for (let i = from; s > 0 ? i < to : i > to; i += s) out.push(items[i])
  return typeof obj === 'string' ? out.join('') : out
}
