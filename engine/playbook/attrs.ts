/**
 * Parses the keywords that tasks, blocks, roles and plays share, with Ansible's names and
 * types, and rejects values of the wrong type with the file, line and column.
 */
import { staticMethodProblem } from '../connection/become.js'
import { PlaybookError, type SourcePos } from '../errors.js'
import { checkTemplate } from '../expr/index.js'
import { posOf } from '../yaml.js'
import { moduleDefaultsOf } from './module-defaults.js'
import type { Attrs, KeywordTemplate, LoopControl, TaskAttrs } from './types.js'

type Raw = Record<string, unknown>
type Parser = (value: unknown, at: SourcePos | undefined, key: string) => unknown

// Ansible's words (module_utils/parsing/convert_bool.py).
const TRUE_WORDS = new Set(['yes', 'true', 'on', 'y', '1', 't'])
const FALSE_WORDS = new Set(['no', 'false', 'off', 'n', '0', 'f'])

/** Ansible's strict boolean conversion: true/false, 1/0, and the words above; anything else is none. */
export function toBoolean(value: unknown): boolean | undefined {
  if (typeof value === 'boolean') return value
  if (typeof value !== 'string' && typeof value !== 'number') return undefined
  const word = String(value).toLowerCase()
  if (TRUE_WORDS.has(word)) return true
  if (FALSE_WORDS.has(word)) return false
  return undefined
}

function bool(value: unknown, at: SourcePos | undefined, key: string): boolean {
  const converted = toBoolean(value)
  if (converted !== undefined) return converted
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

/**
 * A keyword written as a template is kept as it is, to be rendered per host when the task runs
 * (Ansible templates every keyword then); its syntax is checked now, so a typo shows at load.
 */
function template(value: unknown, at: SourcePos | undefined, key: string): KeywordTemplate | undefined {
  if (typeof value !== 'string' || !value.includes('{{')) return undefined
  try {
    checkTemplate(value)
  } catch (err) {
    throw new PlaybookError(`bad template in '${key}': ${(err as Error).message}`, at)
  }
  return value
}

/** A whole number, or a template that renders to one when the task runs (Ansible templates both). */
function intOrTemplate(value: unknown, at: SourcePos | undefined, key: string): number | KeywordTemplate {
  return template(value, at, key) ?? int(value, at, key)
}

/** A boolean, or a template that renders to one when the task runs; a literal that is neither is refused now. */
function boolOrTemplate(value: unknown, at: SourcePos | undefined, key: string): boolean | KeywordTemplate {
  return template(value, at, key) ?? bool(value, at, key)
}

/** local or ssh (the connections tsplay has), or a template rendered when the task runs. */
function connection(value: unknown, at: SourcePos | undefined, key: string): string {
  const name = str(value, at, key)
  if (template(name, at, key) !== undefined) return name
  const short = name.replace(/^ansible\.(builtin|legacy)\./, '')
  if (short === 'local' || short === 'ssh' || short === 'paramiko' || short === 'smart') return short === 'local' ? 'local' : 'ssh'
  throw new PlaybookError(`connection '${name}' is not one tsplay has; expected local or ssh`, at)
}

/** `debugger:` starts Ansible's interactive debugger; only `never` (what a run without one does) is accepted. */
function debuggerValue(value: unknown, at: SourcePos | undefined, key: string): string {
  const word = str(value, at, key)
  if (word === 'never') return word
  throw new PlaybookError(`'${key}: ${word}' would start Ansible's interactive task debugger, which tsplay does not have; only 'never' is accepted`, at)
}

/** `collections:` only changes how Ansible finds short module names; tsplay knows its modules by both names. */
function collectionsValue(value: unknown, at: SourcePos | undefined, key: string): string[] {
  return stringList(value, at, key)
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

/** A loop variable's name: a name, or a template rendered when the task runs (engine/exec/loop.ts checks what it renders to). */
function loopName(value: unknown, at: SourcePos | undefined, key: string): string {
  const name = str(value, at, key)
  return name.includes('{{') ? name : identifier(name, at, key)
}

function loopControl(value: unknown, at: SourcePos | undefined, key: string): LoopControl {
  const raw = mapping(value, at, key)
  const known = new Set(['loop_var', 'index_var', 'label', 'pause', 'extended', 'extended_allitems'])
  for (const k of Object.keys(raw)) {
    if (!known.has(k)) throw new PlaybookError(`unknown loop_control key '${k}'; expected one of: ${[...known].join(', ')}`, posOf(raw, k) ?? at)
  }
  const out: LoopControl = { loopVar: raw['loop_var'] !== undefined ? loopName(raw['loop_var'], at, 'loop_var') : 'item' }
  if (raw['index_var'] !== undefined) out.indexVar = loopName(raw['index_var'], at, 'index_var')
  if (raw['label'] !== undefined) out.label = str(raw['label'], at, 'label')
  if (raw['pause'] !== undefined) out.pause = Number(raw['pause'])
  if (raw['extended'] !== undefined) out.extended = bool(raw['extended'], at, 'extended')
  if (raw['extended_allitems'] !== undefined) out.extendedAllitems = bool(raw['extended_allitems'], at, 'extended_allitems')
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

/** As Ansible's _load_vars: a mapping, a list of mappings merged in order, or null for none. */
function varsMapping(value: unknown, at: SourcePos | undefined, key: string): Raw {
  if (value === null) return {}
  if (!Array.isArray(value)) return checkBecomeVars(mapping(value, at, key))
  const merged: Raw = {}
  value.forEach((item, i) => {
    if (!item || typeof item !== 'object' || Array.isArray(item)) throw new PlaybookError(`'${key}' must be a mapping or a list of mappings`, posOf(value, i) ?? at)
    Object.assign(merged, checkBecomeVars(item as Raw))
  })
  return merged
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
  become: ['become', boolOrTemplate],
  become_user: ['becomeUser', str],
  become_method: ['becomeMethod', becomeMethod],
  become_flags: ['becomeFlags', str],
  ignore_errors: ['ignoreErrors', boolOrTemplate],
  ignore_unreachable: ['ignoreUnreachable', boolOrTemplate],
  check_mode: ['checkMode', boolOrTemplate],
  diff: ['diff', boolOrTemplate],
  no_log: ['noLog', boolOrTemplate],
  delegate_to: ['delegateTo', str],
  delegate_facts: ['delegateFacts', boolOrTemplate],
  run_once: ['runOnce', boolOrTemplate],
  any_errors_fatal: ['anyErrorsFatal', boolOrTemplate],
  environment: ['environment', environment],
  throttle: ['throttle', intOrTemplate],
  timeout: ['timeout', intOrTemplate],
  module_defaults: ['moduleDefaults', moduleDefaultsOf],
  connection: ['connection', connection],
  remote_user: ['remoteUser', str],
  port: ['port', intOrTemplate],
}

/** Keywords Ansible has that change nothing in a run like tsplay's: checked, then left out of the plan. */
const IGNORED: Record<string, Parser> = {
  collections: collectionsValue,
  debugger: debuggerValue,
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

export const COMMON_KEYWORDS = new Set([...Object.keys(COMMON), ...Object.keys(IGNORED)])
export const TASK_KEYWORDS = new Set([...COMMON_KEYWORDS, ...Object.keys(TASK_ONLY), ...LOOP_KEYWORDS, 'name', 'args', 'action', 'local_action'])

/** Parses the shared keywords of `raw` (ignoring other keys, which the caller checks). */
export function parseCommonAttrs(raw: Raw): Attrs {
  const out: Record<string, unknown> = {}
  for (const [key, [field, parse]] of Object.entries(COMMON)) {
    if (raw[key] !== undefined && raw[key] !== null) out[field] = parse(raw[key], posOf(raw, key), key)
  }
  for (const [key, check] of Object.entries(IGNORED)) if (raw[key] !== undefined && raw[key] !== null) check(raw[key], posOf(raw, key), key)
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
