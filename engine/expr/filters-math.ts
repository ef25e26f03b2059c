/** Ansible's math filters: log, pow, root, human_readable, human_to_bytes (mathstuff.py, text/formatters.py). */
import { float, numberOf, pyFixed, pyRound } from './pyfloat.js'
import { toStr, truthy, typeName } from './python.js'
import { params, type FilterFn } from './types.js'
import { fail } from './values.js'

/** A real number as Python's math functions take it (a bool is 0 or 1); else their TypeError. */
function real(value: unknown, what: string): number {
  if (typeof value === 'boolean') return Number(value)
  return numberOf(value) ?? fail(`${what} can only be used on numbers: must be real number, not ${typeName(value)}`)
}

function domain(n: number, what: string): number {
  return Number.isNaN(n) ? fail(`${what}math domain error`) : n
}

const log: FilterFn = (input, call, ctx) => {
  const [base] = params(call, ['base'], ctx)
  const x = real(input, 'log()')
  if (x <= 0) fail('math domain error')
  if (base === undefined) return float(Math.log(x))
  const b = real(base, 'log()')
  if (b === 10) return float(Math.log10(x))
  if (b <= 0) fail('math domain error')
  if (b === 1) fail('float division by zero')
  return float(Math.log(x) / Math.log(b))
}

const pow: FilterFn = (input, call, ctx) => {
  const [exponent] = params(call, ['y'], ctx)
  const result = real(input, 'pow()') ** real(exponent, 'pow()')
  if (!Number.isFinite(result) && Number.isFinite(real(input, 'pow()'))) fail('math range error')
  return float(domain(result, ''))
}

const root: FilterFn = (input, call, ctx) => {
  const [base = 2] = params(call, ['base'], ctx)
  const x = real(input, 'root()')
  const b = real(base, 'root()')
  return float(domain(b === 2 ? Math.sqrt(x) : x ** (1 / b), 'root() can only be used on numbers: '))
}

/** Largest first, as formatters.SIZE_RANGES is walked. */
const SIZE_RANGES: [string, number][] = [['Y', 2 ** 80], ['Z', 2 ** 70], ['E', 2 ** 60], ['P', 2 ** 50], ['T', 2 ** 40], ['G', 2 ** 30], ['M', 2 ** 20], ['K', 2 ** 10], ['B', 1]]

const humanReadable: FilterFn = (input, call, ctx) => {
  const [isbits, unit] = params(call, ['isbits', 'unit'], ctx)
  const size = typeof input === 'boolean' ? Number(input) : numberOf(input)
  if (size === undefined) fail(`human_readable() failed on bad input: '>=' not supported between instances of '${typeName(input)}' and 'int'`)
  const wanted = unit === undefined || unit === null ? undefined : toStr(unit).toUpperCase()
  const [suffix, limit] = SIZE_RANGES.find(([s, l]) => (wanted === undefined ? size >= l : wanted === s)) ?? ['B', 1]
  const base = truthy(isbits ?? false) ? 'bits' : 'Bytes'
  return `${pyFixed(size / limit, 2)} ${limit === 1 ? base : suffix + base[0]}`
}

const humanToBytes: FilterFn = (input, call, ctx) => {
  const [defaultUnit, isbits] = params(call, ['default_unit', 'isbits'], ctx)
  const text = toStr(input)
  const problem = (): never => fail(`human_to_bytes() can't interpret following string: ${text}`)
  const m = /^\s*(\d*\.?\d*)\s*([A-Za-z]+)?/.exec(text)
  if (!m || !/\d/.test(m[1] ?? '')) return problem()
  const num = Number(m[1])
  const unit = m[2] ?? (defaultUnit === undefined || defaultUnit === null ? undefined : toStr(defaultUnit))
  if (unit === undefined) return pyRound(num, 0)
  const range = SIZE_RANGES.find(([s]) => s === unit.charAt(0).toUpperCase())
  if (!range) return problem()
  const [unitClass, unitName] = truthy(isbits ?? false) ? ['b', 'bit'] : ['B', 'byte']
  // KB, Mb, byte(s): a second letter must say bytes (or bits with isbits).
  if (unit.length > 1 && !unit.toLowerCase().includes(unitName) && unit[1] !== unitClass) return problem()
  return pyRound(num * range[1], 0)
}

export const MATH_FILTERS: Record<string, FilterFn> = { log, pow, root, human_readable: humanReadable, human_to_bytes: humanToBytes }
