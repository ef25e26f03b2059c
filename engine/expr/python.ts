/**
 * Python's view of values, because Ansible users' playbooks were written against it:
 * truthiness, `str()` (what `{{ x }}` renders), `repr()`, equality and ordering.
 */
import { floatRepr, intRepr, numberOf, PyFloat } from './pyfloat.js'
import { asWritten, fail, failUndefined, isDict, OMIT, PyObject, Undefined, type Dict } from './values.js'

/** Python truthiness: '', 0, [], {}, None, False are false; everything else (even 'false') is true. */
export function truthy(value: unknown): boolean {
  if (value instanceof Undefined) failUndefined(value)
  if (value === null || value === undefined || value === false) return false
  if (typeof value === 'number') return value !== 0
  if (value instanceof PyFloat) return value.value !== 0
  if (typeof value === 'bigint') return value !== 0n
  if (typeof value === 'string' || Array.isArray(value)) return value.length > 0
  if (isDict(value)) {
    const proto = Object.getPrototypeOf(value) as unknown
    // Only plain data is a mapping; any other object (a Date, a Buffer) is true, as in Python.
    if (proto === Object.prototype || proto === null) return Object.keys(value).length > 0
  }
  return true
}

/** Python's name for the type of a value (type_debug, error messages). */
export function typeName(value: unknown): string {
  if (value instanceof Undefined) return 'Undefined'
  if (value === null || value === undefined) return 'NoneType'
  if (value === OMIT) return 'omit'
  if (typeof value === 'boolean') return 'bool'
  if (typeof value === 'number') return Number.isInteger(value) ? 'int' : 'float'
  if (typeof value === 'bigint') return 'int'
  if (typeof value === 'string') return 'str'
  if (value instanceof PyObject) return value.typeName
  if (Array.isArray(value)) return 'list'
  if (isDict(value)) return 'dict'
  return typeof value
}

/** A word for messages: "a string", "a list", "None". */
export function describe(value: unknown): string {
  const words: Record<string, string> = {
    NoneType: 'None', bool: 'a boolean', int: 'an integer', float: 'a number', str: 'a string',
    list: 'a list', dict: 'a dict', omit: 'omit', Undefined: 'undefined',
  }
  const name = typeName(value)
  return words[name] ?? name
}

function numberStr(n: number): string {
  return Number.isInteger(n) ? intRepr(n) : floatRepr(n)
}

/**
 * Python's `str()`: what `'x={{ x }}'` renders. Booleans are `True`/`False` and null is
 * `None`, as Ansible renders them; lists and dicts use Python's repr (`['a', 'b']`).
 */
export function toStr(value: unknown): string {
  if (typeof value === 'string') return value
  if (value instanceof Undefined) failUndefined(value)
  if (value === OMIT) fail("'omit' can only be the whole value of an argument, not part of a string")
  if (typeof value === 'number') return numberStr(value)
  if (value instanceof PyObject) return value.str()
  return repr(value)
}

/**
 * Tuples: what zip, product, groupby, dict items... return in Python. A tuple is a JavaScript
 * array (it is a list everywhere a list is read, and JSON writes it as one); marking it changes
 * only how it prints: `(1, 'a')`, as in `{{ [1] | zip(['a']) | list }}`. A named tuple also
 * answers its field names (`group.grouper`).
 */
const TUPLES = new WeakMap<readonly unknown[], readonly string[]>()

export function tuple<T extends unknown[]>(items: T, fields: readonly string[] = []): T {
  TUPLES.set(items, fields)
  return items
}

/** The index of a named tuple's field, or undefined. */
export function tupleField(value: unknown, name: string): number | undefined {
  const fields = Array.isArray(value) ? TUPLES.get(value) : undefined
  const i = fields ? fields.indexOf(name) : -1
  return i < 0 ? undefined : i
}

/** Python's `repr()`: strings quoted, containers recursively. */
export function repr(value: unknown): string {
  if (value instanceof Undefined) failUndefined(value)
  if (value === OMIT) fail("'omit' cannot be part of a string")
  if (value === null || value === undefined) return 'None'
  if (value === true) return 'True'
  if (value === false) return 'False'
  if (typeof value === 'number') return numberStr(value)
  if (typeof value === 'string') return quoteRepr(value)
  if (value instanceof PyObject) return value.repr()
  if (Array.isArray(value)) {
    if (!TUPLES.has(value)) return `[${value.map(repr).join(', ')}]`
    return value.length === 1 ? `(${repr(value[0])},)` : `(${value.map(repr).join(', ')})`
  }
  if (isDict(value) && Object.getPrototypeOf(value) === Object.prototype) {
    return `{${Object.entries(value).map(([k, v]) => `${quoteRepr(k)}: ${repr(asWritten(v))}`).join(', ')}}`
  }
  return String(value)
}

function quoteRepr(text: string): string {
  const q = text.includes("'") && !text.includes('"') ? '"' : "'"
  const body = text.replace(/[\\\n\r\t]/g, (c) => ({ '\\': '\\\\', '\n': '\\n', '\r': '\\r', '\t': '\\t' })[c] ?? c)
  return q + (q === "'" ? body.replaceAll("'", "\\'") : body) + q
}

/** Python `==`: by value for lists and dicts; no coercion between strings and numbers. */
export function equals(a: unknown, b: unknown): boolean {
  if (a === b) return true
  if (a == null || b == null) return a == null && b == null
  const x = numberOf(a)
  const y = numberOf(b)
  if (x !== undefined || y !== undefined) return x === y
  if (a instanceof PyObject) return a.equals?.(b) ?? false
  if (Array.isArray(a)) {
    return Array.isArray(b) && a.length === b.length && a.every((item, i) => equals(item, b[i]))
  }
  if (isDict(a) && isDict(b)) {
    const keys = Object.keys(a)
    return keys.length === Object.keys(b).length && keys.every((k) => Object.hasOwn(b, k) && equals(a[k], b[k]))
  }
  return false
}

/** Python ordering (`<`): numbers with numbers, strings with strings, lists element-wise. */
export function compare(a: unknown, b: unknown, op = '<'): number {
  const x = typeof a === 'boolean' ? Number(a) : numberOf(a)
  const y = typeof b === 'boolean' ? Number(b) : numberOf(b)
  if (x !== undefined && y !== undefined) return x - y
  const ordered = a instanceof PyObject ? a.compare?.(b) : undefined
  if (ordered !== undefined) return ordered
  if (typeof a === 'string' && typeof b === 'string') return a < b ? -1 : a > b ? 1 : 0
  if (Array.isArray(a) && Array.isArray(b)) {
    for (let i = 0; i < Math.min(a.length, b.length); i++) {
      const c = compare(a[i], b[i], op)
      if (c !== 0) return c
    }
    return a.length - b.length
  }
  const hint = typeof a === 'string' || typeof b === 'string' ? " (convert with '| int' or '| string' first)" : ''
  return fail(`cannot compare ${describe(a)} with ${describe(b)} using '${op}'${hint}`)
}

/** Characters as Python counts them (code points), so 'é' and emoji have length 1. */
export function chars(text: string): string[] {
  return /^[\x00-\x7f]*$/.test(text) ? text.split('') : Array.from(text)
}

/** `len()`: strings, lists, dicts. */
export function lengthOf(value: unknown): number {
  if (typeof value === 'string') return chars(value).length
  if (Array.isArray(value)) return value.length
  if (isDict(value)) return Object.keys(value).length
  return fail(`${describe(value)} has no length`)
}

/** Python iteration: a list's items, a dict's keys, a string's characters. */
export function toList(value: unknown, what = 'value'): unknown[] {
  if (Array.isArray(value)) return value
  if (typeof value === 'string') return chars(value)
  if (isDict(value)) return Object.keys(value)
  if (value instanceof Undefined) failUndefined(value)
  return fail(`${what} must be a list, a dict or a string, not ${describe(value)}`)
}

/** `x in container`. */
export function contains(container: unknown, item: unknown): boolean {
  if (typeof container === 'string') {
    if (typeof item !== 'string') fail(`'in <string>' requires a string on the left, not ${describe(item)}`)
    return container.includes(item)
  }
  if (Array.isArray(container)) return container.some((x) => equals(x, item))
  if (isDict(container)) return Object.hasOwn(container, keyOf(item))
  return fail(`cannot look for a value in ${describe(container)}`)
}

/** A dict key from an index value: YAML's `1:` key is the string '1' in JavaScript. */
export function keyOf(value: unknown): string {
  if (typeof value === 'string') return value
  if (typeof value === 'number' || typeof value === 'boolean' || value instanceof PyFloat) return String(value.valueOf())
  return fail(`${describe(value)} cannot be a dict key`)
}

export function isInt(value: unknown): value is number {
  return typeof value === 'number' && Number.isInteger(value)
}

export type { Dict }

const BOOLEANS_TRUE = new Set(['y', 'yes', 'on', '1', 'true', 't'])
const BOOLEANS_FALSE = new Set(['n', 'no', 'off', '0', 'false', 'f'])

/** Ansible's module_utils `boolean()`: the words and numbers it knows, or undefined for the rest. */
export function ansibleBoolean(value: unknown): boolean | undefined {
  if (typeof value === 'boolean') return value
  if (value === 1 || value === 0) return value === 1
  if (typeof value !== 'string') return undefined
  const word = value.trim().toLowerCase()
  return BOOLEANS_TRUE.has(word) ? true : BOOLEANS_FALSE.has(word) ? false : undefined
}
