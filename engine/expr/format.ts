/**
 * Python's string formatting: `'%s-%d' % (a, b)` / `| format(a, b)` and `'{} {}'.format(a, b)`.
 * Only the common conversions; anything else is an error rather than a silent surprise.
 */
import { floatRepr, isFloat, numberOf, pyFixed } from './pyfloat.js'
import { describe, isInt, repr, toStr } from './python.js'
import { fail, isDict, type Dict } from './values.js'

interface Spec {
  fill: string
  align: string
  sign: string
  alt: boolean
  zero: boolean
  width: number
  grouping: string
  precision?: number
  type: string
}

function toNumber(value: unknown, type: string): number {
  const n = numberOf(value)
  if (n !== undefined) return n
  if (typeof value === 'boolean') return Number(value)
  return fail(`format '${type}' requires a number, not ${describe(value)}`)
}

function exponent(n: number, precision: number, upper: boolean): string {
  const [mantissa, exp = '0'] = n.toExponential(precision).split('e')
  const e = Number(exp)
  const text = `${mantissa}e${e < 0 ? '-' : '+'}${String(Math.abs(e)).padStart(2, '0')}`
  return upper ? text.toUpperCase() : text
}

/** One number in the format of a conversion type (d, x, o, f, e, g, %), without sign or padding. */
function formatNumber(n: number, spec: Spec): string {
  const p = spec.precision
  const abs = Math.abs(n)
  switch (spec.type) {
    case 'd': case 'i': case 'u': case 'n':
      return String(Math.trunc(abs))
    case 'x': case 'X': case 'o': case 'b': {
      const radix = { x: 16, X: 16, o: 8, b: 2 }[spec.type] as number
      const digits = Math.trunc(abs).toString(radix)
      const prefix = spec.alt ? `0${spec.type}` : ''
      return spec.type === 'X' ? (prefix + digits).toUpperCase() : prefix + digits
    }
    case 'f': case 'F':
      return pyFixed(abs, p ?? 6)
    case 'e': case 'E':
      return exponent(abs, p ?? 6, spec.type === 'E')
    case '%':
      return (abs * 100).toFixed(p ?? 6) + '%'
    default: { // g, G, and '' with a precision
      const precision = p === 0 ? 1 : (p ?? 6)
      if (abs === 0) return '0'
      const exp = Math.floor(Math.log10(abs))
      const text = exp < -4 || exp >= precision ? exponent(abs, precision - 1, spec.type === 'G') : abs.toFixed(Math.max(0, precision - 1 - exp))
      // %g drops trailing zeros of the fraction (and a bare '.') unless '#' asks to keep them.
      return spec.alt ? text : text.replace(/(\.\d*?)0+(?=$|[eE])/, '$1').replace(/\.(?=$|[eE])/, '')
    }
  }
}

function pad(body: string, sign: string, spec: Spec, numeric: boolean): string {
  const length = [...body].length + sign.length
  if (length >= spec.width) return sign + body
  const fill = spec.zero && numeric && !spec.align ? '0' : spec.fill
  const count = spec.width - length
  const align = spec.align || (spec.zero && numeric ? '=' : numeric ? '>' : '<')
  if (align === '=') return sign + fill.repeat(count) + body
  if (align === '>') return fill.repeat(count) + sign + body
  if (align === '^') return fill.repeat(Math.floor(count / 2)) + sign + body + fill.repeat(Math.ceil(count / 2))
  return sign + body + fill.repeat(count)
}

function applySpec(value: unknown, spec: Spec): string {
  const numeric = spec.type !== '' && spec.type !== 's' && spec.type !== 'r' && spec.type !== 'c'
  if (!numeric && !(spec.type === '' && numberOf(value) !== undefined)) {
    let text = spec.type === 'r' ? repr(value) : spec.type === 'c' ? char(value) : toStr(value)
    if (spec.precision !== undefined) text = [...text].slice(0, spec.precision).join('')
    return pad(text, '', spec, false)
  }
  const n = toNumber(value, spec.type)
  const type = spec.type || (spec.precision !== undefined ? 'g' : isFloat(value) ? 'r' : 'd')
  let body = type === 'r' ? floatRepr(Math.abs(n)) : formatNumber(n, { ...spec, type })
  if (spec.grouping) body = body.replace(/^\d+/, (d) => d.replace(/\B(?=(\d{3})+$)/g, spec.grouping))
  const sign = n < 0 || Object.is(n, -0) ? '-' : spec.sign === '+' ? '+' : spec.sign === ' ' ? ' ' : ''
  return pad(body, sign, spec, true)
}

function char(value: unknown): string {
  if (typeof value === 'string' && [...value].length === 1) return value
  if (isInt(value)) return String.fromCodePoint(value)
  return fail(`format 'c' requires an integer or a single character, not ${describe(value)}`)
}

const PERCENT = /%(?:\(([^)]*)\))?([-+ #0]*)(\d+|\*)?(?:\.(\d+|\*))?([diouxXeEfFgGcrsa%])/g

/** `format % args`: args is a list (a tuple), a dict (for `%(name)s`) or one value. */
export function percentFormat(format: string, args: unknown): string {
  const positional = Array.isArray(args) ? [...args] : [args]
  let used = 0
  const take = (): unknown => {
    if (used >= positional.length) fail(`not enough arguments for format string '${format}'`)
    return positional[used++]
  }
  const out = format.replace(PERCENT, (_m, name: string | undefined, flags: string, width?: string, precision?: string, type = 's') => {
    if (type === '%') return '%'
    const widthValue = width === '*' ? take() : width
    const precisionValue = precision === '*' ? take() : precision
    let value: unknown
    if (name !== undefined) {
      if (!isDict(args)) fail(`format '%(${name})s' requires a dict`)
      if (!Object.hasOwn(args, name)) fail(`format key '${name}' is missing`)
      value = (args as Dict)[name]
    } else {
      value = take()
    }
    const spec: Spec = {
      // %-format right-aligns everything unless '-'; '0' pads numbers after the sign.
      fill: ' ', align: flags.includes('-') ? '<' : flags.includes('0') ? '' : '>', sign: flags.includes('+') ? '+' : flags.includes(' ') ? ' ' : '',
      alt: flags.includes('#'), zero: flags.includes('0') && !flags.includes('-'), width: Number(widthValue ?? 0), grouping: '',
      precision: precisionValue === undefined ? undefined : Number(precisionValue), type: type === 'a' ? 'r' : type,
    }
    if (type === 's' || type === 'r' || type === 'a' || type === 'c') {
      spec.zero = false
      spec.align ||= '>'
    }
    return applySpec(value, spec)
  })
  if (!isDict(args) && used < positional.length) fail(`not all arguments converted during string formatting of '${format}'`)
  return out
}

const SPEC = /^(?:(.)?([<>=^]))?([-+ ])?(#)?(0)?(\d+)?([,_])?(?:\.(\d+))?([bcdeEfFgGnosxX%r]?)$/

function parseSpec(text: string): Spec {
  const m = SPEC.exec(text)
  if (!m) return fail(`invalid format specification '${text}'`)
  return {
    fill: m[1] ?? ' ', align: m[2] ?? '', sign: m[3] ?? '', alt: !!m[4], zero: !!m[5], width: Number(m[6] ?? 0),
    grouping: m[7] ?? '', precision: m[8] === undefined ? undefined : Number(m[8]), type: m[9] ?? '',
  }
}

/** Python's `str.format`: `{}`, `{0}`, `{name}`, `{0[key]}`, `{x.attr}`, `{!r}`, `{:>8.2f}`, `{{`/`}}`. */
export function braceFormat(format: string, args: unknown[], kwargs: Dict): string {
  let auto = 0
  return format.replace(/\{\{|\}\}|\{([^{}!:]*)(?:!([rsa]))?(?::([^{}]*))?\}/g, (m, field: string | undefined, conv?: string, spec?: string) => {
    if (m === '{{') return '{'
    if (m === '}}') return '}'
    const [head = '', ...path] = (field ?? '').split(/(?=[.[])/)
    let value: unknown
    if (head === '') value = args[auto++]
    else if (/^\d+$/.test(head)) value = args[Number(head)]
    else if (Object.hasOwn(kwargs, head)) value = kwargs[head]
    else fail(`format field '${head}' is not given`)
    if (head !== '' && /^\d+$/.test(head) && Number(head) >= args.length) fail(`format index ${head} is out of range`)
    if (head === '' && auto > args.length) fail(`not enough arguments for format string '${format}'`)
    for (const step of path) {
      const key = step.startsWith('.') ? step.slice(1) : step.slice(1, -1)
      value = Array.isArray(value) && /^\d+$/.test(key) ? value[Number(key)] : isDict(value) && Object.hasOwn(value, key) ? value[key] : fail(`format field '${field}' is not found`)
    }
    if (conv) value = conv === 's' ? toStr(value) : repr(value)
    return applySpec(value, parseSpec(spec ?? ''))
  })
}
