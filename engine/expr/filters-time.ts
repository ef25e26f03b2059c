/** to_datetime and strftime, and the now() function: Python's datetime and time.strftime. */
import { PyDatetime } from './datetime.js'
import { numberOf } from './pyfloat.js'
import { toStr, truthy, typeName } from './python.js'
import { strftime, strptime, type TimeParts } from './pytime.js'
import { needString, params, type FilterFn, type FunctionFn } from './types.js'
import { fail } from './values.js'

/** The local time zone's short name (UTC, CET), as localtime()'s tm_zone gives it. */
function zoneName(date: Date): string {
  return new Intl.DateTimeFormat('en-US', { timeZoneName: 'short' }).formatToParts(date).find((p) => p.type === 'timeZoneName')?.value ?? ''
}

/** time.localtime / time.gmtime of whole seconds since the epoch. */
function brokenDown(epoch: number, utc: boolean): TimeParts {
  const date = new Date(Math.floor(epoch) * 1000)
  const offset = utc ? 0 : -date.getTimezoneOffset()
  const wall = new Date(date.getTime() + offset * 60_000)
  return {
    year: wall.getUTCFullYear(), month: wall.getUTCMonth() + 1, day: wall.getUTCDate(),
    hour: wall.getUTCHours(), minute: wall.getUTCMinutes(), second: wall.getUTCSeconds(), microsecond: 0,
    epoch: Math.floor(epoch), zone: utc ? 'GMT' : zoneName(date), offset,
  }
}

/** Python's float() of an epoch: a number, or text that reads as one. */
function epochOf(value: unknown): number | undefined {
  const n = numberOf(value) ?? (typeof value === 'boolean' ? Number(value) : undefined)
  if (n !== undefined) return n
  if (typeof value === 'string' && /^\s*[+-]?(\d+\.?\d*|\.\d+)(e[+-]?\d+)?\s*$/i.test(value)) return Number(value)
  return undefined
}

const toDatetime: FilterFn = (input, call, ctx) => {
  const [format = '%Y-%m-%d %H:%M:%S'] = params(call, ['format'], ctx)
  if (typeof input !== 'string') fail(`strptime() argument 1 must be str, not ${typeName(input)}`)
  return PyDatetime.of(strptime(input, needString(format, "'to_datetime' format")))
}

const strftimeFilter: FilterFn = (input, call, ctx) => {
  const [second, utc] = params(call, ['second', 'utc'], ctx)
  const epoch = second === undefined || second === null ? Date.now() / 1000 : (epochOf(second) ?? fail(`Invalid value for epoch value (${toStr(second)})`))
  return strftime(needString(input, "the input of 'strftime'"), brokenDown(epoch, truthy(utc ?? false)))
}

export const TIME_FILTERS: Record<string, FilterFn> = { to_datetime: toDatetime, strftime: strftimeFilter }

/** Ansible's now(utc=False, fmt=None): a datetime, or its strftime when fmt is given. */
export const now: FunctionFn = (call, ctx) => {
  const [utc, fmt] = params(call, ['utc', 'fmt'], ctx)
  const moment = PyDatetime.now(truthy(utc ?? false))
  if (fmt === undefined || fmt === null || fmt === '') return moment
  return moment.method('strftime', [needString(fmt, "now()'s fmt")], {})
}
