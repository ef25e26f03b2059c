/**
 * The special values of the expression language and its internal failure type.
 * Kept apart from index.ts so that every other file of engine/expr can import them
 * without a cycle through the public entry point.
 */

/** What `Scope.lookup` returns for a name that is not defined. */
export const MISSING: unique symbol = Symbol('tsplay.expr.missing')

/**
 * The value of `omit`: the executor drops a module argument whose value is OMIT,
 * so `mode: "{{ item.mode | default(omit) }}"` means "leave mode to the module".
 */
export const OMIT: unique symbol = Symbol('tsplay.expr.omit')

/**
 * A name or attribute that does not exist. It is a value (not an exception) so that
 * `default`, `is defined` and attribute chains on it can work; any other use throws.
 */
export class Undefined {
  constructor(
    /** The expression text that named it: `foo.bar`, `item['x']`. Empty when a filter made it. */
    readonly path: string,
    /** Why, when the path alone does not say it: `'foo' is None`, `the list is empty`. */
    readonly hint?: string,
    /** A variable's value as written, when its template used an undefined one (see asWritten). */
    readonly written?: unknown,
  ) {}

  get message(): string {
    if (!this.path) return this.hint ?? 'value is undefined'
    return `'${this.path}' is undefined${this.hint ? ` (${this.hint})` : ''}`
  }
}

/**
 * Raised inside engine/expr; the public functions turn it into a TemplateError that
 * quotes the expression, so the code deep inside does not need to know the text.
 */
export class ExprFailure extends Error {
  constructor(
    message: string,
    /** 0-based offset in the source text, for syntax errors. */
    readonly offset?: number,
    options?: { cause?: unknown },
  ) {
    super(message, options)
  }
}

export function fail(message: string): never {
  throw new ExprFailure(message)
}

/**
 * An Undefined was used: the public functions turn it into an UndefinedVariableError, which a
 * variable's lazy rendering (engine/vars.ts) turns back into an Undefined, as Ansible does.
 */
export class UndefinedFailure extends ExprFailure {}

/**
 * A mapping's value as a dump of the whole mapping shows it: a variable left undefined by its
 * template shows as written, as Ansible's hostvars[host] prints (templated with
 * fail_on_undefined=False); used on its own, the same value fails as undefined.
 */
export function asWritten(value: unknown): unknown {
  return value instanceof Undefined && value.written !== undefined ? value.written : value
}

export function failUndefined(value: Undefined): never {
  throw new UndefinedFailure(value.message)
}

/** Throws the "is undefined" error for an Undefined; returns every other value unchanged. */
export function defined<T>(value: T | Undefined): T {
  if (value instanceof Undefined) failUndefined(value)
  return value
}

export type Dict = Record<string, unknown>

/**
 * A Python value that JavaScript has no type for (a float such as 4.0, a datetime): an object,
 * never a mapping. Each says how Python names, prints and reads it.
 */
export abstract class PyObject {
  /** Python's type name: `float`, `datetime.datetime`. */
  abstract readonly typeName: string
  /** Python's `str()`. */
  abstract str(): string
  /** Python's `repr()`; `str()` unless it differs. */
  repr(): string {
    return this.str()
  }
  /** `value.name`: MISSING when it has no such attribute. */
  attr(_name: string): unknown {
    return MISSING
  }
  /** Python's `==` with another value, for types that define it. */
  equals?(other: unknown): boolean
  /** Python's ordering: negative, zero, positive; undefined where Python raises. */
  compare?(other: unknown): number | undefined
  /** `self <op> other` (or `other <op> self` when reflected); undefined where the type has no such operation. */
  binary?(op: string, other: unknown, reflected: boolean): unknown
  /** `value.name(...)`: MISSING when it has no such method. */
  method?(name: string, positional: unknown[], named: Dict): unknown
  toString(): string {
    return this.str()
  }
}

/** A mapping in the Python sense: a plain data object (not a list, not null, not a special value). */
export function isDict(value: unknown): value is Dict {
  return typeof value === 'object' && value !== null && !Array.isArray(value) && !(value instanceof Undefined) && !(value instanceof PyObject)
}

/** Names that would reach JavaScript internals; never readable from an expression. */
export const FORBIDDEN_NAMES: ReadonlySet<string> = new Set(['__proto__', 'constructor', 'prototype'])

/** Own, enumerable data only: inherited members (toString, constructor, ...) are not variables. */
export function ownValue(obj: object, key: string): unknown {
  if (FORBIDDEN_NAMES.has(key)) fail(`access to '${key}' is not allowed`)
  if (!Object.prototype.hasOwnProperty.call(obj, key)) return MISSING
  const value = (obj as Dict)[key]
  return typeof value === 'function' ? MISSING : value
}

/** Sets a key on a new object, even `__proto__`, without touching the prototype chain. */
export function setKey(obj: Dict, key: string, value: unknown): void {
  if (key === '__proto__') Object.defineProperty(obj, key, { value, enumerable: true, writable: true, configurable: true })
  else obj[key] = value
}
