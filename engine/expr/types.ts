/** Shared shapes of filters, tests and functions. */
import { numberOf } from './pyfloat.js'
import { describe } from './python.js'
import { fail, type Dict } from './values.js'

/** Where names come from. `lookup` returns MISSING for a name that is not defined. */
export interface Scope {
  lookup(name: string): unknown
  /** A variable's value as written, before its own templates render (MISSING if none). */
  unrendered?(name: string): unknown
  /** Every name defined, in Ansible's order (first definition first); for lookup('varnames'). */
  names?(): string[]
}

/** Evaluated arguments of a filter, test, function or method call. */
export interface CallArgs {
  positional: unknown[]
  named: Dict
}

/** What a filter or test may need beyond its arguments. */
export interface Ctx {
  /** The filter, test or function being called, for messages. */
  name: string
  scope: Scope
  filter(name: string, input: unknown, call: CallArgs): unknown
  test(name: string, value: unknown, call: CallArgs): boolean
}

export type FilterFn = (input: unknown, call: CallArgs, ctx: Ctx) => unknown
export type TestFn = (value: unknown, call: CallArgs, ctx: Ctx) => boolean
export type FunctionFn = (call: CallArgs, ctx: Ctx) => unknown

export function callArgs(positional: unknown[] = [], named: Dict = {}): CallArgs {
  return { positional, named }
}

/**
 * The arguments by parameter name, positional or named, as Python binds them.
 * Unknown names and extra positionals are errors: a typo must not be silently ignored.
 */
export function params(call: CallArgs, names: readonly string[], ctx: Pick<Ctx, 'name'>): (unknown | undefined)[] {
  if (call.positional.length > names.length) {
    fail(`'${ctx.name}' takes at most ${names.length} argument${names.length === 1 ? '' : 's'}, ${call.positional.length} given`)
  }
  const values: unknown[] = [...call.positional]
  for (const [key, value] of Object.entries(call.named)) {
    const i = names.indexOf(key)
    if (i < 0) fail(`'${ctx.name}' has no argument '${key}'${names.length ? ` (it takes: ${names.join(', ')})` : ''}`)
    if (i < call.positional.length) fail(`'${ctx.name}' got argument '${key}' twice`)
    values[i] = value
  }
  return names.map((_, i) => values[i])
}

export function needString(value: unknown, what: string): string {
  return typeof value === 'string' ? value : fail(`${what} must be a string, not ${describe(value)}`)
}

export function needNumber(value: unknown, what: string): number {
  return numberOf(value) ?? fail(`${what} must be a number, not ${describe(value)}`)
}

export function needList(value: unknown, what: string): unknown[] {
  return Array.isArray(value) ? value : fail(`${what} must be a list, not ${describe(value)}`)
}
