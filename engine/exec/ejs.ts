/** EJS templates, rendered on the controller with the task's variables. */
import { readFileSync, statSync } from 'node:fs'
import ejs from 'ejs'
import { TemplateError, errorMessage } from '../errors.js'
import type { VarScope } from '../vars.js'

const compiled = new Map<string, ejs.TemplateFunction>()

/**
 * `<%= %>` writes a value as it is, as `<%- %>` does: config files are not HTML, and EJS's
 * default escaping wrote `a&b` as `a&amp;b` into them. null and undefined print as nothing, as
 * with EJS's own escape.
 */
const asIs = (value: unknown): string => (value === undefined || value === null ? '' : String(value))

/**
 * What an EJS template sees: the task's variables (rendered on access), plus `$(expr)`, which
 * evaluates a tsplay expression with filters, so a Jinja line ports as `<%= $("x | default('a')") %>`.
 */
function templateLocals(scope: VarScope): Record<string, unknown> {
  const vars = scope.asObject()
  const evaluate = (expression: string): unknown => scope.evaluate(expression)
  return new Proxy(vars, {
    get: (target, key) => (key === '$' ? evaluate : Reflect.get(target, key)),
    has: (target, key) => key === '$' || Reflect.has(target, key),
  })
}

/** EJS on the controller; the template sees the task's variables, rendered on access. */
export function renderEjs(path: string, scope: VarScope): string {
  // Keyed by modification time too: a template edited between runs in one process is read again.
  const key = `${path}\0${statSync(path).mtimeMs}`
  let fn = compiled.get(key)
  if (!fn) {
    const text = readFileSync(path, 'utf8')
    try {
      // ejs copies plain data into a fresh object; our locals are a Proxy that renders each variable
      // when read, so it is passed as it is (it has no prototype chain a template could reach).
      const options = { filename: path, compileDebug: true, async: false as const, unsafePrototypeLocals: true, escape: asIs }
      fn = ejs.compile(text, options)
    } catch (err) {
      throw new TemplateError(`template ${path}: ${errorMessage(err)}`)
    }
    compiled.set(key, fn)
  }
  try {
    return fn(templateLocals(scope)) as string
  } catch (err) {
    throw new TemplateError(`template ${path}: ${errorMessage(err).split('\n').filter((l) => !/^\s+\d+\|/.test(l) && !/^\s+>>/.test(l)).join(' ').trim()}`)
  }
}
