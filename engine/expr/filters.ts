/**
 * The filter registry: Ansible's and Jinja's names with their meaning. Adding a filter is
 * adding one entry here or in filters-text.ts / filters-list.ts.
 */
import { HASH_FILTERS } from './filters-hash.js'
import { LIST_FILTERS } from './filters-list.js'
import { PATH_FILTERS } from './filters-path.js'
import { RANDOM_FILTERS } from './filters-random.js'
import { SEQ_FILTERS } from './filters-seq.js'
import { LAYOUT_FILTERS } from './filters-layout.js'
import { MATH_FILTERS } from './filters-math.js'
import { TEXT_FILTERS } from './filters-text.js'
import { TIME_FILTERS } from './filters-time.js'
import { URL_FILTERS } from './filters-url.js'
import { YAML_FILTERS } from './filters-yaml.js'
import { pyJson } from './json.js'
import { float, isFloat, numberOf, PyFloat, pyRound } from './pyfloat.js'
import { toStr, truthy, typeName } from './python.js'
import { needNumber, needString, params, type FilterFn } from './types.js'
import { ExprFailure, fail, Undefined } from './values.js'

/** Filters that are given an Undefined input instead of failing on it. */
export const UNDEFINED_INPUT: ReadonlySet<string> = new Set(['default', 'd', 'mandatory'])
/** Filters whose arguments may be Undefined: `a | default(b | default(c))`, `c | ternary(x, y)`. */
export const UNDEFINED_ARGS: ReadonlySet<string> = new Set(['default', 'd', 'ternary'])

const BOOL_TRUE = new Set(['yes', 'on', '1', 'true'])

const fallback: FilterFn = (input, call, ctx) => {
  const [value = '', boolean] = params(call, ['default_value', 'boolean'], ctx)
  if (input instanceof Undefined) return value
  return truthy(boolean ?? false) && !truthy(input) ? value : input
}

const INT = /^[+-]?\d+$/
const FLOAT = /^[+-]?(\d+\.?\d*|\.\d+)(e[+-]?\d+)?$/i

function toInt(input: unknown, base: number): number | undefined {
  if (typeof input === 'boolean') return Number(input)
  const n = numberOf(input)
  if (n !== undefined) return Number.isFinite(n) ? Math.trunc(n) : undefined
  if (typeof input !== 'string') return undefined
  const s = input.trim().replaceAll('_', '')
  if (base === 10) {
    if (INT.test(s)) return parseInt(s, 10)
    return FLOAT.test(s) ? Math.trunc(Number(s)) : undefined
  }
  const prefix = { 16: /^([+-]?)0x/i, 8: /^([+-]?)0o/i, 2: /^([+-]?)0b/i }[base as 16 | 8 | 2]
  const digits = prefix ? s.replace(prefix, '$1') : s
  const valid = new RegExp(`^[+-]?[${'0123456789abcdefghijklmnopqrstuvwxyz'.slice(0, base)}]+$`, 'i')
  return valid.test(digits) ? parseInt(digits, base) : undefined
}

function toFloat(input: unknown): number | undefined {
  const n = numberOf(input)
  if (n !== undefined) return n
  if (typeof input === 'boolean') return Number(input)
  if (typeof input !== 'string') return undefined
  const s = input.trim().toLowerCase()
  if (s === 'inf' || s === '+inf' || s === 'infinity') return Infinity
  if (s === '-inf' || s === '-infinity') return -Infinity
  if (s === 'nan') return NaN
  return FLOAT.test(s) ? Number(s) : undefined
}

/** Jinja's round: ceil and floor give floats; common is Python's round(), an int for an int. */
function round(input: unknown, precision: number, method: string): unknown {
  const value = needNumber(input, "the input of 'round'")
  const factor = 10 ** precision
  if (method === 'ceil') return float(Math.ceil(value * factor) / factor)
  if (method === 'floor') return float(Math.floor(value * factor) / factor)
  if (method !== 'common') fail(`'round' method must be common, ceil or floor, not '${method}'`)
  return isFloat(input) ? float(pyRound(value, precision)) : pyRound(value, precision)
}

const CORE_FILTERS: Record<string, FilterFn> = {
  default: fallback,
  d: fallback,
  mandatory: (input, call, ctx) => {
    const [msg] = params(call, ['msg'], ctx)
    if (!(input instanceof Undefined)) return input
    return fail(msg !== undefined ? toStr(msg) : input.path ? `mandatory variable '${input.path}' is not defined` : input.message)
  },
  bool: (input, call, ctx) => {
    params(call, [], ctx)
    if (typeof input === 'boolean') return input
    if (numberOf(input) !== undefined) return numberOf(input) === 1
    return typeof input === 'string' && BOOL_TRUE.has(input.toLowerCase())
  },
  int: (input, call, ctx) => {
    const [def = 0, base = 10] = params(call, ['default', 'base'], ctx)
    return toInt(input, needNumber(base, "'int' base")) ?? def
  },
  float: (input, call, ctx) => {
    const n = toFloat(input)
    return n === undefined ? (params(call, ['default'], ctx)[0] ?? new PyFloat(0)) : float(n)
  },
  abs: (input, call, ctx) => {
    params(call, [], ctx)
    const n = Math.abs(needNumber(input, "the input of 'abs'"))
    return isFloat(input) ? float(n) : n
  },
  round: (input, call, ctx) => {
    const [precision = 0, method = 'common'] = params(call, ['precision', 'method'], ctx)
    return round(input, needNumber(precision, "'round' precision"), toStr(method))
  },
  ternary: (input, call, ctx) => {
    const [whenTrue, whenFalse, whenNone] = params(call, ['true_val', 'false_val', 'none_val'], ctx)
    if (call.positional.length + Object.keys(call.named).length < 2) fail("'ternary' needs a true value and a false value")
    if (input === null && whenNone !== undefined) return whenNone
    return truthy(input) ? whenTrue : whenFalse
  },
  type_debug: (input, call, ctx) => (params(call, [], ctx), typeName(input)),
  to_json: (input, call, ctx) => {
    const [indent, sortKeys, ensureAscii] = params(call, ['indent', 'sort_keys', 'ensure_ascii'], ctx)
    return pyJson(input, { indent: indent === undefined || indent === null ? undefined : Number(indent), sortKeys: truthy(sortKeys ?? false), ensureAscii: truthy(ensureAscii ?? true) })
  },
  to_nice_json: (input, call, ctx) => {
    const [indent = 4, sortKeys = true, ensureAscii] = params(call, ['indent', 'sort_keys', 'ensure_ascii'], ctx)
    return pyJson(input, { indent: Number(indent), sortKeys: truthy(sortKeys), ensureAscii: truthy(ensureAscii ?? true) })
  },
  from_json: (input, call, ctx) => {
    params(call, [], ctx)
    try {
      return JSON.parse(needString(input, "the input of 'from_json'")) as unknown
    } catch (err) {
      if (err instanceof ExprFailure) throw err
      return fail(`'from_json' could not read the JSON: ${(err as Error).message}`)
    }
  },
}

export const FILTERS: Record<string, FilterFn> = { ...CORE_FILTERS, ...TEXT_FILTERS, ...PATH_FILTERS, ...LIST_FILTERS, ...SEQ_FILTERS, ...RANDOM_FILTERS, ...HASH_FILTERS, ...YAML_FILTERS, ...TIME_FILTERS, ...MATH_FILTERS, ...LAYOUT_FILTERS, ...URL_FILTERS }
