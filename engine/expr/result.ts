/**
 * What a playbook string that holds `{{ }}` renders to, as Ansible's templar makes it with its
 * defaults (jinja2_native off): the rendered text, turned back into a list, a dict or a bool
 * when the text reads as one (ansible_eval_concat's literal_eval). So `"{{ n + 1 }}"` is the
 * text "4", `"{{ [n, 2] }}"` a list and `"{{ n > 1 }}"` a bool, while a variable named alone,
 * `"{{ port }}"`, keeps its number (the templar's SINGLE_VAR shortcut). A string with `{% %}`
 * statements follows the same rules.
 *
 * With `jinja2_native = True` (ansible.cfg or ANSIBLE_JINJA2_NATIVE), a lone expression keeps
 * its value, whatever its type.
 */
import { types } from 'node:util'
import type { Node } from './ast.js'
import { evalNode } from './evaluator.js'
import { pyLiteral } from '../inventory/literal.js'
import { numberOf } from './pyfloat.js'
import { toStr } from './python.js'
import type { Part } from './template.js'
import type { Scope } from './types.js'
import { defined, isDict, MISSING, OMIT } from './values.js'

let nativeTypes = false

/** Ansible's jinja2_native setting, for the whole run. */
export function setNativeTypes(on: boolean): void {
  nativeTypes = on
}

export function usesNativeTypes(): boolean {
  return nativeTypes
}

/** Filters whose text Ansible never converts (C.STRING_TYPE_FILTERS: their result is NativeJinjaText). */
const STRING_TYPE_FILTERS = new Set(['string', 'to_json', 'to_nice_json', 'to_yaml', 'to_nice_yaml', 'ppretty', 'json'])

/** Ansible's _ansible_finalize: an expression whose value is None renders as the empty string. */
export function finalize(value: unknown): unknown {
  return value === null ? '' : value
}

/**
 * A bare variable (`{{ name }}`) whose value, as written, is a number, a bool or None is that
 * value; undefined otherwise (the string is then rendered as any other). `scope.unrendered`
 * gives the value before its own templates render, as Ansible's shortcut reads it.
 */
export function bareVariable(name: string, scope: Scope): { value: unknown } | undefined {
  const written = scope.unrendered ? scope.unrendered(name) : scope.lookup(name)
  if (written === MISSING) return undefined
  if (written === null || typeof written === 'boolean' || numberOf(written) !== undefined) return { value: written }
  return undefined
}

/** The expression parts and text parts Jinja renders: one trailing newline of the source is not one (keep_trailing_newline off). */
function renderedParts(parts: Part[], text: string): Part[] {
  const last = parts.at(-1)
  if (!text.endsWith('\n') || last?.kind !== 'text') return parts
  const trimmed = last.text.slice(0, -1)
  return trimmed ? [...parts.slice(0, -1), { kind: 'text', text: trimmed }] : parts.slice(0, -1)
}

/** The string's `{{ }}` parts evaluated and joined as Ansible's non-native templar does. */
export function convertedRender(parts: Part[], text: string, scope: Scope): unknown {
  const nodes = renderedParts(parts, text)
  let result: unknown
  const only = nodes.length === 1 ? nodes[0] : undefined
  if (only?.kind === 'expr') {
    const value = finalize(defined(evalNode(only.node, scope)))
    result = isNativeText(only.node) || value === OMIT ? value : convertValue(value)
  } else {
    result = convertText(nodes.map((p) => (p.kind === 'text' ? p.text : toStr(finalize(defined(evalNode(p.node, scope)))))).join(''))
  }
  return withTrailingNewlines(result, text)
}

/**
 * An expression whose text Ansible marks as NativeJinjaText, never read back: a string-type
 * filter's result, and lookup('template', ..., convert_data=False)'s.
 */
function isNativeText(node: Node): boolean {
  if (node.kind === 'filter') return STRING_TYPE_FILTERS.has(node.name)
  if (node.kind !== 'call' || node.name !== 'lookup') return false
  const [plugin] = node.args.positional
  const convert = node.args.named.find(([name]) => name === 'convert_data')?.[1]
  return plugin?.kind === 'literal' && plugin.value === 'template' && convert?.kind === 'literal' && convert.value === false
}

/**
 * One value as text, then read back as Ansible's literal_eval would: plain lists and dicts read
 * back as themselves, numbers stay text. A lazy view (hostvars, a Proxy) is passed on whole:
 * writing it out would resolve every variable of every host.
 */
function convertValue(value: unknown): unknown {
  if (typeof value === 'string') return convertText(value)
  if (typeof value === 'boolean' || types.isProxy(value)) return value
  if ((Array.isArray(value) || isDict(value)) && isLiteralData(value)) return value
  return convertText(toStr(value))
}

/** Data that Python's repr writes and literal_eval reads back unchanged. */
function isLiteralData(value: unknown): boolean {
  if (value === null || typeof value === 'string' || typeof value === 'boolean' || numberOf(value) !== undefined) return true
  if (Array.isArray(value)) return value.every(isLiteralData)
  return isDict(value) && Object.values(value).every(isLiteralData)
}

/** ansible_eval_concat: text that looks like a list, a dict or a bool becomes one if it reads as a Python literal. */
export function convertText(text: string): unknown {
  if (text === 'True') return true
  if (text === 'False') return false
  if (!text.startsWith('[') && !text.startsWith('{')) return text
  const literal = pyLiteral(text, { jsonNames: true })
  return literal.ok ? literal.value : text
}

/** A text result keeps the source's trailing newlines (the templar's preserve_trailing_newlines). */
function withTrailingNewlines(result: unknown, source: string): unknown {
  if (typeof result !== 'string') return result
  const missing = trailingNewlines(source) - trailingNewlines(result)
  return missing > 0 ? result + '\n'.repeat(missing) : result
}

function trailingNewlines(text: string): number {
  return text.length - text.replace(/\n+$/, '').length
}
