/**
 * Python's datetime.datetime (naive) and datetime.timedelta, as `to_datetime` and `now()` return
 * them: they print, compare, subtract (`(a - b).days`) and format (`d.strftime('%Y')`) as in Python.
 * Both count whole microseconds, since the epoch or in all, which a JavaScript number holds exactly.
 */
import { float } from './pyfloat.js'
import { strftime, weekday, type TimeParts } from './pytime.js'
import { params } from './types.js'
import { fail, MISSING, PyObject, type Dict } from './values.js'

const US_PER_DAY = 86_400_000_000
const pad = (n: number, width = 2): string => String(n).padStart(width, '0')
const floorDiv = (a: number, b: number): [number, number] => [Math.floor(a / b), ((a % b) + b) % b]

export class PyTimedelta extends PyObject {
  readonly typeName = 'timedelta'

  constructor(readonly micros: number) {
    super()
  }

  get parts(): { days: number; seconds: number; microseconds: number } {
    const [days, rest] = floorDiv(this.micros, US_PER_DAY)
    const [seconds, microseconds] = floorDiv(rest, 1_000_000)
    return { days, seconds, microseconds }
  }

  str(): string {
    const { days, seconds, microseconds } = this.parts
    const clock = `${Math.floor(seconds / 3600)}:${pad(Math.floor(seconds / 60) % 60)}:${pad(seconds % 60)}`
    const dayText = days ? `${days} day${Math.abs(days) === 1 ? '' : 's'}, ` : ''
    return dayText + clock + (microseconds ? `.${pad(microseconds, 6)}` : '')
  }

  override repr(): string {
    const { days, seconds, microseconds } = this.parts
    const fields = [['days', days], ['seconds', seconds], ['microseconds', microseconds]].filter(([, n]) => n !== 0)
    return `datetime.timedelta(${fields.map(([k, n]) => `${k}=${n}`).join(', ')})`
  }

  override attr(name: string): unknown {
    const parts = this.parts as Record<string, number>
    return Object.hasOwn(parts, name) ? parts[name] : MISSING
  }

  override method(name: string, positional: unknown[], named: Dict): unknown {
    if (name !== 'total_seconds') return MISSING
    params({ positional, named }, [], { name: 'total_seconds()' })
    return float(this.micros / 1_000_000)
  }

  override equals(other: unknown): boolean {
    return other instanceof PyTimedelta && other.micros === this.micros
  }

  override compare(other: unknown): number | undefined {
    return other instanceof PyTimedelta ? this.micros - other.micros : undefined
  }

  override binary(op: string, other: unknown, reflected: boolean): unknown {
    if (!(other instanceof PyTimedelta)) return undefined
    if (op === '+') return new PyTimedelta(this.micros + other.micros)
    if (op === '-') return new PyTimedelta(reflected ? other.micros - this.micros : this.micros - other.micros)
    return undefined
  }
}

export class PyDatetime extends PyObject {
  readonly typeName = 'datetime'

  /** `micros`: microseconds since 1970-01-01 00:00, read as wall-clock time (no time zone). */
  constructor(readonly micros: number) {
    super()
  }

  static of(t: Omit<TimeParts, 'epoch'>): PyDatetime {
    const ms = Date.UTC(t.year, t.month - 1, t.day, t.hour, t.minute, t.second)
    return new PyDatetime(ms * 1000 + t.microsecond)
  }

  /** Now, as local wall-clock time, or UTC. */
  static now(utc: boolean): PyDatetime {
    const date = new Date()
    const offset = utc ? 0 : -date.getTimezoneOffset()
    return new PyDatetime((date.getTime() + offset * 60_000) * 1000)
  }

  get parts(): TimeParts {
    const [ms, microsecond] = floorDiv(this.micros, 1000)
    const date = new Date(ms)
    const fields = {
      year: date.getUTCFullYear(), month: date.getUTCMonth() + 1, day: date.getUTCDate(),
      hour: date.getUTCHours(), minute: date.getUTCMinutes(), second: date.getUTCSeconds(),
      microsecond: (date.getUTCMilliseconds() * 1000) + microsecond,
    }
    // %s of a naive datetime reads it as local time, as mktime() does.
    const local = new Date(fields.year, fields.month - 1, fields.day, fields.hour, fields.minute, fields.second)
    return { ...fields, epoch: local.getTime() / 1000 }
  }

  isoformat(sep = 'T'): string {
    const t = this.parts
    const date = `${pad(t.year, 4)}-${pad(t.month)}-${pad(t.day)}`
    return `${date}${sep}${pad(t.hour)}:${pad(t.minute)}:${pad(t.second)}${t.microsecond ? `.${pad(t.microsecond, 6)}` : ''}`
  }

  str(): string {
    return this.isoformat(' ')
  }

  override repr(): string {
    const t = this.parts
    const fields = [t.year, t.month, t.day, t.hour, t.minute, t.second, t.microsecond]
    if (fields.at(-1) === 0) fields.pop()
    if (fields.at(-1) === 0) fields.pop()
    return `datetime.datetime(${fields.join(', ')})`
  }

  /** Ansible's JSON encoder writes a datetime as its isoformat(). */
  toJSON(): string {
    return this.isoformat()
  }

  override attr(name: string): unknown {
    const t = this.parts as unknown as Record<string, number>
    return name !== 'epoch' && Object.hasOwn(t, name) ? t[name] : MISSING
  }

  override method(name: string, positional: unknown[], named: Dict): unknown {
    const call = { positional, named }
    const ctx = { name: `${name}()` }
    const t = this.parts
    switch (name) {
      case 'strftime': {
        const [format] = params(call, ['format'], ctx)
        return typeof format === 'string' ? strftime(format, { ...t, zone: '', offset: undefined }) : fail('strftime() format must be a string')
      }
      case 'isoformat': {
        const [sep = 'T'] = params(call, ['sep', 'timespec'], ctx)
        return this.isoformat(String(sep))
      }
      case 'weekday': return (params(call, [], ctx), weekday(t.year, t.month, t.day))
      case 'isoweekday': return (params(call, [], ctx), weekday(t.year, t.month, t.day) + 1)
      case 'timestamp': return (params(call, [], ctx), float(t.epoch + t.microsecond / 1e6))
    }
    return MISSING
  }

  override equals(other: unknown): boolean {
    return other instanceof PyDatetime && other.micros === this.micros
  }

  override compare(other: unknown): number | undefined {
    return other instanceof PyDatetime ? this.micros - other.micros : undefined
  }

  override binary(op: string, other: unknown, reflected: boolean): unknown {
    if (other instanceof PyTimedelta && (op === '+' || (op === '-' && !reflected))) {
      return new PyDatetime(op === '+' ? this.micros + other.micros : this.micros - other.micros)
    }
    if (other instanceof PyDatetime && op === '-') return new PyTimedelta(reflected ? other.micros - this.micros : this.micros - other.micros)
    return undefined
  }
}
