/**
 * Python's strftime (glibc's directives in the C locale, as time.strftime and datetime.strftime
 * call it on Linux) and strptime (Python's own parser: _strptime), over broken-down time.
 */
import { fail } from './values.js'

/** One moment, broken down; `zone`/`offset` are unset for a naive datetime. */
export interface TimeParts {
  year: number
  month: number
  day: number
  hour: number
  minute: number
  second: number
  microsecond: number
  /** Seconds since the epoch, for %s. */
  epoch: number
  zone?: string
  /** Minutes east of UTC. */
  offset?: number
}

const DAYS = ['Monday', 'Tuesday', 'Wednesday', 'Thursday', 'Friday', 'Saturday', 'Sunday']
const MONTHS = ['January', 'February', 'March', 'April', 'May', 'June', 'July', 'August', 'September', 'October', 'November', 'December']

const pad = (n: number, width = 2, fill = '0'): string => String(n).padStart(width, fill)

/** 0 = Monday, as Python's weekday(). */
export function weekday(year: number, month: number, day: number): number {
  return (new Date(Date.UTC(year, month - 1, day)).getUTCDay() + 6) % 7
}

function yearDay(t: TimeParts): number {
  return Math.round((Date.UTC(t.year, t.month - 1, t.day) - Date.UTC(t.year, 0, 1)) / 86_400_000) + 1
}

/** ISO 8601 year and week: the week with the year's first Thursday is week 1. */
function isoWeek(t: TimeParts): [number, number] {
  const date = new Date(Date.UTC(t.year, t.month - 1, t.day))
  date.setUTCDate(date.getUTCDate() + 3 - weekday(t.year, t.month, t.day))
  const year = date.getUTCFullYear()
  return [year, 1 + Math.round((date.getTime() - Date.UTC(year, 0, 4)) / 86_400_000 / 7 - (3 - weekday(year, 1, 4)) / 7)]
}

function offsetText(minutes: number | undefined): string {
  if (minutes === undefined) return ''
  const sign = minutes < 0 ? '-' : '+'
  return `${sign}${pad(Math.floor(Math.abs(minutes) / 60))}${pad(Math.abs(minutes) % 60)}`
}

function directive(c: string, t: TimeParts): string | undefined {
  const wd = weekday(t.year, t.month, t.day)
  const hour12 = t.hour % 12 || 12
  const yday = yearDay(t)
  switch (c) {
    case 'a': return DAYS[wd]?.slice(0, 3)
    case 'A': return DAYS[wd]
    case 'b': case 'h': return MONTHS[t.month - 1]?.slice(0, 3)
    case 'B': return MONTHS[t.month - 1]
    case 'c': return strftime('%a %b %e %H:%M:%S %Y', t)
    case 'C': return pad(Math.floor(t.year / 100))
    case 'd': return pad(t.day)
    case 'D': case 'x': return strftime('%m/%d/%y', t)
    case 'e': return pad(t.day, 2, ' ')
    case 'f': return pad(t.microsecond, 6)
    case 'F': return strftime('%Y-%m-%d', t)
    case 'g': return pad(isoWeek(t)[0] % 100)
    case 'G': return String(isoWeek(t)[0])
    case 'H': return pad(t.hour)
    case 'I': return pad(hour12)
    case 'j': return pad(yday, 3)
    case 'k': return pad(t.hour, 2, ' ')
    case 'l': return pad(hour12, 2, ' ')
    case 'm': return pad(t.month)
    case 'M': return pad(t.minute)
    case 'n': return '\n'
    case 'p': return t.hour < 12 ? 'AM' : 'PM'
    case 'P': return t.hour < 12 ? 'am' : 'pm'
    case 'r': return strftime('%I:%M:%S %p', t)
    case 'R': return strftime('%H:%M', t)
    case 's': return String(Math.floor(t.epoch))
    case 'S': return pad(t.second)
    case 't': return '\t'
    case 'T': case 'X': return strftime('%H:%M:%S', t)
    case 'u': return String(wd + 1)
    case 'U': return pad(Math.floor((yday + 6 - ((wd + 1) % 7)) / 7))
    case 'V': return pad(isoWeek(t)[1])
    case 'w': return String((wd + 1) % 7)
    case 'W': return pad(Math.floor((yday + 6 - wd) / 7))
    case 'y': return pad(t.year % 100)
    case 'Y': return String(t.year)
    case 'z': return offsetText(t.offset)
    case 'Z': return t.zone ?? ''
    case '%': return '%'
  }
  return undefined
}

/** glibc's strftime; `%-d` drops the padding, an unknown directive stays as written. */
export function strftime(format: string, t: TimeParts): string {
  return format.replace(/%([-_0^#]?)([a-zA-Z%])/g, (whole, flag: string, c: string) => {
    const text = directive(c, t)
    if (text === undefined) return whole
    if (flag === '-') return /^[ 0]+\d/.test(text) ? text.replace(/^[ 0]+(?=\d)/, '') : text
    if (flag === '_') return text.replace(/^0+(?=\d)/, (z) => ' '.repeat(z.length))
    if (flag === '^') return text.toUpperCase()
    return text
  })
}

const names = (list: string[], short: boolean): string => list.map((n) => (short ? n.slice(0, 3) : n)).join('|')

/** Python's _strptime patterns, directive by directive. */
const PATTERNS: Record<string, string> = {
  d: '3[01]|[12]\\d|0[1-9]|[1-9]| [1-9]', f: '[0-9]{1,6}', H: '2[0-3]|[0-1]\\d|\\d', I: '1[0-2]|0[1-9]|[1-9]',
  j: '36[0-6]|3[0-5]\\d|[12]\\d\\d|0[1-9]\\d|00[1-9]|[1-9]\\d|0[1-9]|[1-9]', m: '1[0-2]|0[1-9]|[1-9]', M: '[0-5]\\d|\\d',
  S: '6[0-1]|[0-5]\\d|\\d', U: '5[0-3]|[0-4]\\d|\\d', W: '5[0-3]|[0-4]\\d|\\d', w: '[0-6]', u: '[1-7]', y: '\\d\\d', Y: '\\d\\d\\d\\d',
  a: names(DAYS, true), A: names(DAYS, false), b: names(MONTHS, true), B: names(MONTHS, false), p: 'am|pm', Z: 'utc|gmt',
}
const COMPOSITE: Record<string, string> = { c: '%a %b %d %H:%M:%S %Y', x: '%m/%d/%y', X: '%H:%M:%S' }

/** Python's datetime.strptime, for naive datetimes: fields or the error Python gives. */
export function strptime(text: string, format: string): Omit<TimeParts, 'epoch'> {
  const order: string[] = []
  const expanded = format.replace(/%([cxX])/g, (_m, c: string) => COMPOSITE[c] as string)
  let source = ''
  for (let i = 0; i < expanded.length; i++) {
    const ch = expanded[i] as string
    if (ch === '%') {
      const c = expanded[++i] ?? ''
      if (c === '%') source += '%'
      else if (c === 'z') fail("to_datetime: '%z' (a time zone offset) is not supported by tsplay; parse without it")
      else if (Object.hasOwn(PATTERNS, c)) {
        source += `(${PATTERNS[c]})`
        order.push(c)
      } else fail(`'${c}' is a bad directive in format '${format}'`)
    } else if (/\s/.test(ch)) {
      source += '\\s+'
      while (/\s/.test(expanded[i + 1] ?? '')) i++
    } else source += ch.replace(/[.*+?^${}()|[\]\\/]/g, '\\$&')
  }
  const m = new RegExp(source, 'iy').exec(text)
  if (!m) fail(`time data '${text}' does not match format '${format}'`)
  if (m[0].length !== text.length) fail(`unconverted data remains: ${text.slice(m[0].length)}`)
  return fields(order, m.slice(1))
}

function fields(order: string[], values: (string | undefined)[]): Omit<TimeParts, 'epoch'> {
  const got: Record<string, string> = {}
  order.forEach((c, i) => (got[c] = (values[i] ?? '').trim().toLowerCase()))
  const num = (c: string, fallback: number): number => (got[c] === undefined ? fallback : Number(got[c]))
  const monthName = got['b'] ?? got['B']
  let year = got['Y'] !== undefined ? num('Y', 1900) : got['y'] !== undefined ? (num('y', 0) <= 68 ? 2000 : 1900) + num('y', 0) : 1900
  let month = monthName !== undefined ? MONTHS.findIndex((n) => n.toLowerCase().startsWith(monthName)) + 1 : num('m', 1)
  let day = num('d', 1)
  let hour = got['I'] !== undefined ? (num('I', 12) % 12) + (got['p'] === 'pm' ? 12 : 0) : num('H', 0)
  if (got['j'] !== undefined) {
    const date = new Date(Date.UTC(year, 0, num('j', 1)))
    year = date.getUTCFullYear()
    month = date.getUTCMonth() + 1
    day = date.getUTCDate()
  }
  if (got['I'] === undefined && got['p'] !== undefined) hour = num('H', 0)
  const microsecond = got['f'] === undefined ? 0 : Number(got['f'].padEnd(6, '0'))
  const second = num('S', 0)
  if (second > 59) fail('second must be in 0..59')
  if (day > new Date(Date.UTC(year, month, 0)).getUTCDate()) fail('day is out of range for month')
  return { year, month, day, hour, minute: num('M', 0), second, microsecond }
}
