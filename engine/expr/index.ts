/**
 * The expression language of playbooks: `{{ expr }}` in strings, bare expressions in
 * `when:`/`changed_when:`/`failed_when:`/`until:`/`that:`. Jinja2's syntax as Ansible
 * users write it, plus JavaScript's operators; evaluated by walking an AST, never by
 * eval or new Function. Undefined variables are errors, except where the language lets
 * them be tested or defaulted (`is defined`, `| default(...)`).
 */
import { types } from 'node:util'
import { errorMessage, TemplateError, UndefinedVariableError } from '../errors.js'
import type { Node } from './ast.js'
import { evalNode, setTermRenderer } from './evaluator.js'
import { PLAYBOOK_STRING_SETTINGS, renderJinja } from './jinja/index.js'
import './jinja/lookup.js'
import { parse } from './parser.js'
import { toStr, truthy as pyTruthy } from './python.js'
import { bareVariable, convertedRender, convertText, finalize, usesNativeTypes } from './result.js'
import { parseTemplate, type Template } from './template.js'
import type { Scope } from './types.js'
import { UnsafeText } from './unsafe.js'
import { defined, ExprFailure, isDict, setKey, UndefinedFailure, type Dict } from './values.js'

export { ExprFailure, isDict, MISSING, OMIT, Undefined } from './values.js'
export { setNativeTypes } from './result.js'
export type { Scope } from './types.js'
export { holdsUnsafe, isUnsafe, UnsafeText } from './unsafe.js'

const MAX_QUOTED = 300
const CACHE_SIZE = 5000
const expressions = new Map<string, Node>()
const templates = new Map<string, Template>()

function cached<T>(cache: Map<string, T>, key: string, make: () => T): T {
  let value = cache.get(key)
  if (value === undefined) {
    value = make()
    if (cache.size >= CACHE_SIZE) cache.clear()
    cache.set(key, value)
  }
  return value
}

function where(text: string, offset: number): string {
  const before = text.slice(0, offset)
  const line = before.split('\n').length
  const column = offset - before.lastIndexOf('\n')
  return line > 1 ? `line ${line} column ${column}` : `column ${column}`
}

/** Every error leaving engine/expr is a TemplateError that quotes the text it came from. */
function toTemplateError(err: unknown, text: string): TemplateError {
  if (err instanceof TemplateError) return err
  const quoted = `"${text.length > MAX_QUOTED ? text.slice(0, MAX_QUOTED) + '...' : text}"`
  if (err instanceof ExprFailure) {
    const message = err.offset === undefined ? `${err.message} in ${quoted}` : `syntax error at ${where(text, err.offset)} in ${quoted}: ${err.message}`
    return templateError(err, message)
  }
  return new TemplateError(`${errorMessage(err)} in ${quoted}`, { cause: err })
}

/** The public error for a failure inside engine/expr: an undefined variable keeps its kind. */
function templateError(err: ExprFailure, message = err.message): TemplateError {
  const Kind = err instanceof UndefinedFailure ? UndefinedVariableError : TemplateError
  return new Kind(message, { cause: err.cause })
}

/** True when `err`, or an error it was caused by, says something is undefined (Ansible's AnsibleUndefinedVariable). */
export function isUndefinedFailure(err: unknown): boolean {
  for (let e = err; e instanceof Error; e = e.cause) if (e instanceof UndefinedVariableError || e instanceof UndefinedFailure) return true
  return false
}

function guarded<T>(text: string, fn: () => T): T {
  try {
    return fn()
  } catch (err) {
    throw toTemplateError(err, text)
  }
}

function template(text: string): Template {
  return cached(templates, text, () => guarded(text, () => parseTemplate(text)))
}

/** True if a string (or, deeply, any string or key in an array/object) holds `{{` or `{%`. */
export function isTemplated(value: unknown): boolean {
  if (typeof value === 'string') return value.includes('{{') || value.includes('{%')
  if (Array.isArray(value)) return value.some(isTemplated)
  if (isPlainObject(value)) return Object.entries(value).some(([k, v]) => isTemplated(k) || isTemplated(v))
  return false
}

/**
 * Parses a bare expression (load time: reports syntax errors, unknown filters and tests
 * early). A condition written as one `{{ expr }}`, as older Ansible playbooks do, is accepted.
 */
export function parseExpression(expression: string): unknown {
  return cached(expressions, expression, () => {
    const trimmed = expression.trim()
    if (trimmed.startsWith('{{') && trimmed.endsWith('}}')) {
      const single = template(expression).single
      if (single) return single
    }
    try {
      return guarded(expression, () => parse(expression))
    } catch (err) {
      if (!expression.includes('{{') || !(err instanceof TemplateError)) throw err
      throw new TemplateError(`${err.message} (conditions are bare expressions: write them without {{ }})`, { cause: err.cause })
    }
  })
}

/** Checks every `{{ }}` of a string at load time without evaluating it; throws TemplateError. */
export function checkTemplate(text: string): void {
  template(text)
}

/**
 * Bare expression -> value. Throws TemplateError, also when the value is undefined.
 * A non-string (YAML's `when: true`) is already a value and is returned as it is.
 */
export function evaluate(expression: string, scope: Scope): unknown {
  if (typeof expression !== 'string') return expression
  const node = parseExpression(expression) as Node
  return guarded(expression, () => defined(evalNode(node, scope)))
}

/**
 * A playbook string rendered: `'a {{ x }} b'` is text (values written as Python's str(): True,
 * None as nothing, ['a', 'b']), read back as a list, a dict or a bool when it is one, as
 * Ansible's templar does (engine/expr/result.ts: `"{{ n + 1 }}"` is the text "4", `"{{ port }}"`
 * the number). With jinja2_native, a lone `{{ expr }}` is its value.
 */
export function renderString(text: string, scope: Scope): unknown {
  if (!isTemplated(text) && !text.includes('{#')) return text
  const { parts, single, statements, bareName } = template(text)
  if (statements) {
    const rendered = guarded(text, () => renderJinja(text, scope, { settings: PLAYBOOK_STRING_SETTINGS }))
    return usesNativeTypes() ? rendered : convertText(rendered)
  }
  return guarded(text, () => {
    if (bareName && single?.kind === 'name') {
      const shortcut = bareVariable(single.name, scope)
      if (shortcut) return shortcut.value
    }
    if (!usesNativeTypes()) return convertedRender(parts, text, scope)
    if (single) {
      const value = finalize(defined(evalNode(single, scope)))
      if (typeof value !== 'string' || parts.length === 1) return value
      return parts.map((p) => (p.kind === 'text' ? p.text : value)).join('')
    }
    return parts.map((p) => (p.kind === 'text' ? p.text : toStr(finalize(evalNode(p.node, scope))))).join('')
  })
}

setTermRenderer(renderString)

/**
 * Renders every string of a structure (keys too) into new arrays and objects. `!unsafe`
 * text comes out as the plain text it holds, untouched.
 */
export function render<T = unknown>(value: T, scope: Scope): unknown {
  if (value instanceof UnsafeText) return value.text
  if (typeof value === 'string') return isTemplated(value) || value.includes('{#') ? renderString(value, scope) : value
  if (Array.isArray(value)) return value.map((item: unknown) => render(item, scope))
  if (!isPlainObject(value)) return value
  const out: Dict = {}
  for (const [k, v] of Object.entries(value)) {
    const key = k.includes('{') ? guarded(k, () => toStr(renderString(k, scope))) : k
    setKey(out, key, render(v, scope))
  }
  return out
}

/** Python/Jinja truthiness: '', 0, [], {}, null, false are false; the strings 'false' and 'no' are true. */
export function truthy(value: unknown): boolean {
  try {
    return pyTruthy(value)
  } catch (err) {
    throw err instanceof ExprFailure ? templateError(err) : err
  }
}

/** Python's str(): how Ansible prints a value (`{'a': 1}`, `True`, `None`). */
export function pythonStr(value: unknown): string {
  try {
    return toStr(value)
  } catch (err) {
    throw err instanceof ExprFailure ? templateError(err) : err
  }
}

/**
 * Plain data only. A Proxy (hostvars, a scope's lazy view) is left whole: walking it would
 * resolve every variable of every host.
 */
function isPlainObject(value: unknown): value is Dict {
  if (!isDict(value) || types.isProxy(value)) return false
  const proto = Object.getPrototypeOf(value) as unknown
  return proto === Object.prototype || proto === null
}
