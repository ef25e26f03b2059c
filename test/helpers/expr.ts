/** Expressions over a plain record of variables, as the expression tests evaluate them. */
import { evaluate, MISSING, type Scope } from '../../engine/expr/index.js'

/** A scope that answers the record's own keys and nothing else (no prototype names). */
export function scopeOver(vars: Record<string, unknown>): Scope {
  return { lookup: (name) => (Object.hasOwn(vars, name) ? vars[name] : MISSING) }
}

/** The scope and an `ev(expression)` that evaluates in it. */
export function evaluatorOver(vars: Record<string, unknown>): { scope: Scope; ev: (expression: string) => unknown } {
  const scope = scopeOver(vars)
  return { scope, ev: (expression) => evaluate(expression, scope) }
}
