/**
 * A value a template can call: a macro, `caller`, a loop's `cycle`/`changed`, a recursive
 * `loop`, `namespace`. Only these are callable; nothing of the JavaScript runtime is.
 */
import type { CallArgs } from './types.js'
import { isDict } from './values.js'

export class Callable {
  constructor(
    readonly name: string,
    readonly call: (args: CallArgs) => unknown,
  ) {}
}

/** A dict that is also callable (the recursive `loop`) keeps its function under this key. */
export const CALL_KEY = '__call__'

export function asCallable(value: unknown): Callable | undefined {
  if (value instanceof Callable) return value
  if (isDict(value) && Object.hasOwn(value, CALL_KEY) && value[CALL_KEY] instanceof Callable) return value[CALL_KEY]
  return undefined
}
