/**
 * Validates and coerces a task's module arguments against the module's schema.
 * Called twice: at load time (templated values are left for later) and per host once
 * templates are rendered (everything is checked).
 */
import { ArgsError, type SourcePos } from './errors.js'
import type { AnyModule, ArgSpec, ElementType } from './module.js'
import { holdsUnsafe, isTemplated } from './expr/index.js'
import { plainNumbers, PyFloat } from './expr/pyfloat.js'
import { toStr } from './expr/python.js'

export interface ValidateOptions {
  pos?: SourcePos
  /** Load time: values that still hold `{{ }}` (or `!unsafe` text, a string once rendered) are not type-checked yet. */
  allowTemplates: boolean
  /** Load time, before module_defaults are known: required arguments are not asked for yet. */
  skipRequired?: boolean
}

/** The source text of a plain YAML scalar: an argument's value, or (with `index`) an item of its list. */
export type WrittenText = (key: string, index?: number) => string | undefined

/**
 * The arguments with the text the user wrote put back where YAML 1.1 made a plain scalar a
 * boolean or a number but the argument is a string (`line: on` writes `on`, `content: 0644`
 * writes `0644`), in a list of strings too. Done once, at load time, so that the task carries
 * the text to every host; a value a template yields is converted at run time instead.
 */
export function keepWrittenText(mod: AnyModule, given: Readonly<Record<string, unknown>>, written: WrittenText): Record<string, unknown> {
  const canonical = aliasTable(mod)
  const out: Record<string, unknown> = { ...given }
  for (const [key, value] of Object.entries(given)) {
    const spec = mod.args[canonical.get(key) ?? '']
    if (!spec) continue
    if ((isStringType(spec.type) || spec.scalarAsText) && isCoercedScalar(value)) out[key] = written(key) ?? value
    if (spec.type === 'list' && isStringType(spec.elements) && Array.isArray(value) && value.some(isCoercedScalar)) {
      out[key] = value.map((item, i) => (isCoercedScalar(item) ? (written(key, i) ?? item) : item))
    }
  }
  return out
}

function isStringType(type: ArgSpec['type'] | ElementType | undefined): boolean {
  return type === 'str' || type === 'path'
}

function isCoercedScalar(value: unknown): boolean {
  return typeof value === 'boolean' || typeof value === 'number'
}

const TRUE_WORDS = new Set(['yes', 'true', 'on', '1', 'y'])
const FALSE_WORDS = new Set(['no', 'false', 'off', '0', 'n'])

export function validateArgs(
  mod: AnyModule,
  given: Readonly<Record<string, unknown>>,
  options: ValidateOptions,
): Record<string, unknown> {
  const fail = (message: string): never => {
    throw new ArgsError(`module '${mod.name}': ${message}`, options.pos)
  }
  const canonical = aliasTable(mod)
  const out: Record<string, unknown> = {}
  const deferred = new Set<string>()

  for (const [key, value] of Object.entries(given)) {
    const name = canonical.get(key)
    if (!name && mod.anyArgs) {
      out[key] = value
      continue
    }
    if (!name) {
      const known = [...canonical.keys()].sort()
      const hint = closest(key, known)
      fail(`unknown argument '${key}'${hint ? ` (did you mean '${hint}'?)` : ''}; expected one of: ${known.join(', ')}`)
      continue
    }
    if (name in out) fail(`argument '${name}' is given twice (as '${key}' and an alias)`)
    const spec = mod.args[name] as ArgSpec
    if (value === null || value === undefined) {
      continue
    }
    if (options.allowTemplates && (isTemplated(value) || holdsUnsafe(value))) {
      out[name] = value
      deferred.add(name)
      continue
    }
    out[name] = coerce(spec, name, value, fail)
  }

  for (const [name, spec] of Object.entries(mod.args)) {
    if (out[name] === undefined && spec.default !== undefined) out[name] = structuredClone(spec.default)
    if (spec.required && out[name] === undefined && !options.skipRequired) fail(`missing required argument '${name}'`)
  }

  const present = (name: string): boolean => out[name] !== undefined
  for (const group of mod.mutuallyExclusive ?? []) {
    const both = group.filter((n) => present(n) && given[n] !== undefined)
    if (both.length > 1) fail(`arguments are mutually exclusive: ${both.join(', ')}`)
  }
  for (const group of options.skipRequired ? [] : (mod.requiredOneOf ?? [])) {
    if (!group.some(present)) fail(`one of these arguments is required: ${group.join(', ')}`)
  }
  for (const [name, value, needed] of options.skipRequired ? [] : (mod.requiredIf ?? [])) {
    if (deferred.has(name) || out[name] !== value) continue
    const missing = needed.filter((n) => !present(n))
    if (missing.length) fail(`${name} is ${String(value)} but these arguments are missing: ${missing.join(', ')}`)
  }
  // The module's own rule across arguments. At run time runModule applies it, so that its words are the task's failure message.
  const problem = options.allowTemplates ? mod.checkArgs?.(out) : undefined
  if (problem !== undefined) fail(problem)
  return out
}

function aliasTable(mod: AnyModule): Map<string, string> {
  const table = new Map<string, string>()
  for (const [name, spec] of Object.entries(mod.args)) {
    table.set(name, name)
    for (const alias of spec.aliases ?? []) table.set(alias, name)
  }
  return table
}

type Fail = (message: string) => never

function coerce(spec: ArgSpec, name: string, value: unknown, fail: Fail): unknown {
  // Text for a module that writes a lone scalar as text: `content: "{{ 10 / 2 }}"` writes 5.0.
  if (spec.scalarAsText && value instanceof PyFloat) return toStr(value)
  const result = coerceType(spec.type, spec.elements, name, value, fail)
  if (spec.choices && !spec.choices.some((c) => c === result || String(c) === String(result))) {
    fail(`argument '${name}' must be one of: ${spec.choices.join(', ')}; got '${String(result)}'`)
  }
  if (spec.choices && typeof result !== typeof spec.choices[0]) {
    return spec.choices.find((c) => String(c) === String(result))
  }
  return result
}

function coerceType(
  type: ArgSpec['type'] | ElementType,
  elements: ElementType | undefined,
  name: string,
  value: unknown,
  fail: Fail,
): unknown {
  const expected = (what: string): never => fail(`argument '${name}' must be ${what}; got ${describe(value)}`)
  switch (type) {
    case 'str':
    case 'path':
      if (typeof value === 'string') return value
      // Python's str(): a boolean a template yields reads True/False in a file, as in Ansible.
      if (typeof value === 'number' || typeof value === 'boolean' || value instanceof PyFloat) return toStr(value)
      return expected('a string')
    case 'int': {
      const n = typeof value === 'string' && /^-?\d+$/.test(value.trim()) ? Number(value) : value
      if (typeof n === 'number' && Number.isInteger(n)) return n
      return expected('an integer')
    }
    case 'float': {
      const n = typeof value === 'string' && value.trim() !== '' ? Number(value) : plainNumbers(value)
      if (typeof n === 'number' && !Number.isNaN(n)) return n
      return expected('a number')
    }
    case 'bool': {
      if (typeof value === 'boolean') return value
      const word = String(value).toLowerCase()
      if (typeof value !== 'object' && TRUE_WORDS.has(word)) return true
      if (typeof value !== 'object' && FALSE_WORDS.has(word)) return false
      return expected('a boolean (yes/no/true/false)')
    }
    case 'list': {
      const list = Array.isArray(value)
        ? value
        : typeof value === 'string'
          ? value.split(',').map((s) => s.trim()).filter((s) => s !== '')
          : [value]
      return elements ? list.map((item, i) => coerceType(elements, undefined, `${name}[${i}]`, item, fail)) : plainNumbers(list)
    }
    case 'dict':
      if (value && typeof value === 'object' && !Array.isArray(value) && !(value instanceof PyFloat)) return plainNumbers(value)
      if (typeof value === 'string') {
        try {
          const parsed: unknown = JSON.parse(value)
          if (parsed && typeof parsed === 'object' && !Array.isArray(parsed)) return parsed
        } catch {
          // fall through to the error below
        }
      }
      return expected('a mapping')
    case 'mode':
      return normalizeMode(value, expected)
    case 'raw':
      // A float a template made (4.0) is a number to the module; PyFloat is the language's own.
      return plainNumbers(value)
  }
}

/**
 * File modes as Ansible takes them: an integer is the numeric mode itself (YAML 1.1 reads
 * `0644` as octal), a string of digits is octal, anything else is symbolic (`u=rw,g=r`).
 */
export function normalizeMode(value: unknown, expected: (what: string) => never): string {
  if (typeof value === 'number' && Number.isInteger(value) && value >= 0 && value <= 0o7777) {
    return value.toString(8).padStart(4, '0')
  }
  if (typeof value === 'string') {
    const text = value.trim()
    if (/^0?[0-7]{3,4}$/.test(text)) return text.padStart(4, '0').slice(-4)
    if (/^([ugoa]*[-+=]([rwxXstugo]*)(,|$))+$/.test(text)) return text
    if (text === 'preserve') return text
  }
  return expected("an octal mode such as '0644' or a symbolic mode such as 'u=rw,g=r'")
}

function describe(value: unknown): string {
  if (value instanceof PyFloat) return `float '${toStr(value)}'`
  if (Array.isArray(value)) return 'a list'
  if (value === null) return 'null'
  if (typeof value === 'object') return 'a mapping'
  return `${typeof value} '${String(value)}'`
}

/** The nearest known name, for "did you mean" hints. */
export function closest(word: string, candidates: readonly string[]): string | undefined {
  let best: string | undefined
  let bestScore = Infinity
  for (const c of candidates) {
    const d = editDistance(word, c)
    if (d < bestScore) {
      bestScore = d
      best = c
    }
  }
  return bestScore <= Math.max(2, Math.floor(word.length / 3)) ? best : undefined
}

function editDistance(a: string, b: string): number {
  const row = Array.from({ length: b.length + 1 }, (_, i) => i)
  for (let i = 1; i <= a.length; i++) {
    let prev = row[0] ?? 0
    row[0] = i
    for (let j = 1; j <= b.length; j++) {
      const cur = row[j] ?? 0
      row[j] = Math.min((row[j] ?? 0) + 1, (row[j - 1] ?? 0) + 1, prev + (a[i - 1] === b[j - 1] ? 0 : 1))
      prev = cur
    }
  }
  return row[b.length] ?? 0
}
