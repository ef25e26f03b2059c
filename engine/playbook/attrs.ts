/**
 * Parses the keywords that tasks, blocks, roles and plays share, with Ansible's names and
 * types, and rejects values of the wrong type with the file, line and column.
 */
import { staticMethodProblem } from '../connection/become.js'
import { PlaybookError, type SourcePos } from '../errors.js'
import { posOf } from '../yaml.js'
import type { Attrs, LoopControl, TaskAttrs } from './types.js'

type Raw = Record<string, unknown>
type Parser = (value: unknown, at: SourcePos | undefined, key: string) => unknown

const TRUE = new Set(['yes', 'true', 'on', 'y', '1'])
const FALSE = new Set(['no', 'false', 'off', 'n', '0'])

function bool(value: unknown, at: SourcePos | undefined, key: string): boolean {
  if (typeof value === 'boolean') return value
  const word = String(value).toLowerCase()
  if (TRUE.has(word)) return true
  if (FALSE.has(word)) return false
  throw new PlaybookError(`'${key}' must be a boolean (yes/no/true/false), got '${String(value)}'`, at)
}

function str(value: unknown, at: SourcePos | undefined, key: string): string {
  if (typeof value === 'string') return value
  if (typeof value === 'number') return String(value)
  throw new PlaybookError(`'${key}' must be a string`, at)
}

function int(value: unknown, at: SourcePos | undefined, key: string): number {
  const n = typeof value === 'string' && /^\d+$/.test(value) ? Number(value) : value
  if (typeof n === 'number' && Number.isInteger(n) && n >= 0) return n
  throw new PlaybookError(`'${key}' must be a whole number, got '${String(value)}'`, at)
}

/** A whole number, or a template that renders to one when the task runs (Ansible templates both). */
function intOrTemplate(value: unknown, at: SourcePos | undefined, key: string): number | string {
  if (typeof value === 'string' && value.includes('{{')) return value
  return int(value, at, key)
}

function stringList(value: unknown, at: SourcePos | undefined, key: string): string[] {
  if (typeof value === 'string') return value.split(',').map((s) => s.trim()).filter(Boolean)
  if (typeof value === 'number') return [String(value)]
  if (Array.isArray(value)) return value.map((v) => str(v, at, key))
  throw new PlaybookError(`'${key}' must be a string or a list of strings`, at)
}

/** Bare conditions (when, changed_when, failed_when): a string, a boolean, or a list of them. */
export function conditions(value: unknown, at: SourcePos | undefined, key: string): string[] {
  const list = Array.isArray(value) ? value : [value]
  return list.map((v) => {
    if (typeof v === 'boolean') return v ? 'true' : 'false'
    if (typeof v === 'number') return String(v)
    if (typeof v !== 'string') throw new PlaybookError(`'${key}' must be an expression, a boolean, or a list of them`, at)
    return stripBraces(v)
  })
}

/** Ansible accepts `when: "{{ x }}"` (with a warning); the bare expression is what is meant. */
export function stripBraces(expression: string): string {
  const m = /^\s*\{\{(.*)\}\}\s*$/s.exec(expression)
  return m && !m[1]?.includes('}}') ? (m[1] ?? '').trim() : expression
}

function mapping(value: unknown, at: SourcePos | undefined, key: string): Raw {
  if (value && typeof value === 'object' && !Array.isArray(value)) return value as Raw
  throw new PlaybookError(`'${key}' must be a mapping`, at)
}

function identifier(value: unknown, at: SourcePos | undefined, key: string): string {
  const name = str(value, at, key)
  if (!/^[A-Za-z_][A-Za-z0-9_]*$/.test(name)) throw new PlaybookError(`'${key}' must be a variable name, got '${name}'`, at)
  return name
}

function loopControl(value: unknown, at: SourcePos | undefined, key: string): LoopControl {
  const raw = mapping(value, at, key)
  const known = new Set(['loop_var', 'index_var', 'label', 'pause', 'extended'])
  for (const k of Object.keys(raw)) {
    if (!known.has(k)) throw new PlaybookError(`unknown loop_control key '${k}'; expected one of: ${[...known].join(', ')}`, posOf(raw, k) ?? at)
  }
  const out: LoopControl = { loopVar: raw['loop_var'] !== undefined ? identifier(raw['loop_var'], at, 'loop_var') : 'item' }
  if (raw['index_var'] !== undefined) out.indexVar = identifier(raw['index_var'], at, 'index_var')
  if (raw['label'] !== undefined) out.label = str(raw['label'], at, 'label')
  if (raw['pause'] !== undefined) out.pause = Number(raw['pause'])
  if (raw['extended'] !== undefined) out.extended = bool(raw['extended'], at, 'extended')
  return out
}

/** A method tsplay lacks is refused here, not run with sudo; a templated one is checked on the host. */
function becomeMethod(value: unknown, at: SourcePos | undefined, key: string): string {
  const name = str(value, at, key)
  const problem = staticMethodProblem(name)
  if (problem) throw new PlaybookError(problem, at)
  return name
}

/** The same check for `ansible_become_method` written in a `vars:` mapping or a role's vars/defaults. */
export function checkBecomeVars(vars: Raw): Raw {
  const problem = staticMethodProblem(vars['ansible_become_method'])
  if (problem) throw new PlaybookError(problem, posOf(vars, 'ansible_become_method'))
  return vars
}

function varsMapping(value: unknown, at: SourcePos | undefined, key: string): Raw {
  return checkBecomeVars(mapping(value, at, key))
}

function environment(value: unknown, at: SourcePos | undefined, key: string): Raw | string {
  if (typeof value === 'string') return value
  return mapping(value, at, key)
}

/** keyword -> [field, parser] for keywords every level shares. */
const COMMON: Record<string, [keyof Attrs, Parser]> = {
  when: ['when', conditions],
  tags: ['tags', stringList],
  vars: ['vars', varsMapping],
  become: ['become', bool],
  become_user: ['becomeUser', str],
  become_method: ['becomeMethod', becomeMethod],
  become_flags: ['becomeFlags', str],
  ignore_errors: ['ignoreErrors', bool],
  ignore_unreachable: ['ignoreUnreachable', bool],
  check_mode: ['checkMode', bool],
  diff: ['diff', bool],
  no_log: ['noLog', bool],
  delegate_to: ['delegateTo', str],
  run_once: ['runOnce', bool],
  any_errors_fatal: ['anyErrorsFatal', bool],
  environment: ['environment', environment],
}

const TASK_ONLY: Record<string, [keyof TaskAttrs, Parser]> = {
  register: ['register', identifier],
  notify: ['notify', stringList],
  listen: ['listen', stringList],
  changed_when: ['changedWhen', conditions],
  failed_when: ['failedWhen', conditions],
  until: ['until', (v, at, k) => conditions(v, at, k).join(') and (')],
  retries: ['retries', intOrTemplate],
  delay: ['delay', intOrTemplate],
  loop_control: ['loopControl', loopControl],
  async: ['async', intOrTemplate],
  poll: ['poll', intOrTemplate],
}

/** Loop keywords: `loop` as-is; `with_items` flattens one level, `with_dict` yields key/value items. */
export const LOOP_KEYWORDS = ['loop', ...['items', 'list', 'dict', 'indexed_items', 'sequence', 'nested', 'subelements', 'together', 'fileglob', 'first_found', 'lines', 'random_choice', 'inventory_hostnames', 'flattened', 'cartesian', 'file', 'env', 'pipe', 'template', 'password', 'ini', 'csvfile', 'unvault', 'url', 'vars', 'varnames', 'config'].map((l) => `with_${l}`)]

export const COMMON_KEYWORDS = new Set(Object.keys(COMMON))
export const TASK_KEYWORDS = new Set([...Object.keys(COMMON), ...Object.keys(TASK_ONLY), ...LOOP_KEYWORDS, 'name', 'args', 'action', 'local_action'])

/** Parses the shared keywords of `raw` (ignoring other keys, which the caller checks). */
export function parseCommonAttrs(raw: Raw): Attrs {
  const out: Record<string, unknown> = {}
  for (const [key, [field, parse]] of Object.entries(COMMON)) {
    if (raw[key] !== undefined && raw[key] !== null) out[field] = parse(raw[key], posOf(raw, key), key)
  }
  return out as Attrs
}

export function parseTaskAttrs(raw: Raw): TaskAttrs {
  const out: Record<string, unknown> = { ...parseCommonAttrs(raw) }
  for (const [key, [field, parse]] of Object.entries(TASK_ONLY)) {
    if (raw[key] !== undefined && raw[key] !== null) out[field] = parse(raw[key], posOf(raw, key), key)
  }
  const loops = LOOP_KEYWORDS.filter((k) => raw[k] !== undefined)
  if (loops.length > 1) throw new PlaybookError(`a task can have only one loop, found: ${loops.join(', ')}`, posOf(raw, loops[1]))
  const loopKey = loops[0]
  if (loopKey) out['loop'] = { kind: loopKey, value: raw[loopKey] }
  return out as TaskAttrs
}

export const parse = { bool, str, int, stringList, mapping }
