/**
 * lookup('sequence') / with_sequence, as Ansible's plugins/lookup/sequence.py: the shortcut
 * form `[start-]end[/stride][:format]` or `start= end= count= stride= format=`, with its
 * checks and its words for each mistake (playbooks assert on them).
 */
import { parseKv } from '../../playbook/kv.js'
import { percentFormat } from '../format.js'
import { repr, typeName } from '../python.js'
import { fail } from '../values.js'
import type { LookupFn } from './types.js'

interface Seq {
  start: number
  end?: number
  count?: number
  stride: number
  format: string
}

const NUM = '(0?x?[0-9a-f]+)'
const SHORTCUT = new RegExp(`^(${NUM}-)?${NUM}(/${NUM})?(:(.+))?$`, 'is')

/** Python's int(text, 0): decimal without a leading zero, or 0x / 0o / 0b with underscores between digits. */
export function pyIntAuto(text: string): number | undefined {
  const m = /^\s*([+-]?)(?:(0[xX](?:_?[0-9a-fA-F])+)|(0[oO](?:_?[0-7])+)|(0[bB](?:_?[01])+)|([1-9](?:_?\d)*|0+(?:_?0)*))\s*$/.exec(text)
  if (!m) return undefined
  const digits = (m[2] ?? m[3] ?? m[4] ?? m[5] ?? '').replaceAll('_', '')
  const value = m[5] !== undefined ? parseInt(digits, 10) : parseInt(digits.slice(2), m[2] ? 16 : m[3] ? 8 : 2)
  return m[1] === '-' ? -value : value
}

function integer(name: string, raw: string): number {
  return pyIntAuto(raw) ?? fail(`can't parse ${name}=${raw} as integer`)
}

function parseSimple(term: string, seq: Seq): boolean {
  const m = SHORTCUT.exec(term)
  if (!m) return false
  const [, , start, end = '', , stride, , format] = m
  if (start !== undefined) seq.start = integer('start', start)
  seq.end = integer('end', end)
  if (stride !== undefined) seq.stride = integer('stride', stride)
  if (format !== undefined) seq.format = format
  return true
}

function parseKeyValues(term: string, seq: Seq): void {
  const { args, freeForm } = parseKv(term)
  // Words that are not key=value are Ansible's `_raw_params`, which the plugin does not know.
  const left: Record<string, string> = freeForm ? { ...args, _raw_params: freeForm } : { ...args }
  for (const name of ['start', 'end', 'count', 'stride'] as const) {
    const raw = left[name]
    if (raw === undefined) continue
    delete left[name]
    seq[name] = integer(name, raw)
  }
  if (left['format'] !== undefined) {
    seq.format = left['format']
    delete left['format']
  }
  const unknown = Object.keys(left)
  if (unknown.length) fail(`unrecognized arguments to with_sequence: [${unknown.map((k) => repr(k)).join(', ')}]`)
}

/** Ansible's sanity_check: count becomes end; the stride must point from start towards end. */
function checked(seq: Seq): { start: number; end: number; stride: number; format: string } {
  let { start, end, stride } = seq
  if (seq.count === undefined && end === undefined) fail('must specify count or end in with_sequence')
  if (seq.count !== undefined && end !== undefined) fail("can't specify both count and end in with_sequence")
  if (seq.count !== undefined) {
    if (seq.count !== 0) end = start + seq.count * stride - 1
    else [start, end, stride] = [0, 0, 0]
  }
  const last = end as number
  if (stride > 0 && last < start) fail('to count backwards make stride negative')
  if (stride < 0 && last > start) fail("to count forward don't make stride negative")
  if (seq.format.split('%').length !== 2) fail(`bad formatting string: ${seq.format}`)
  return { start, end: last, stride, format: seq.format }
}

function generate(term: unknown): string[] {
  if (typeof term !== 'string') fail(`unknown error parsing with_sequence arguments: ${repr(term)}. Error was: expected string or bytes-like object, got '${typeName(term)}'`)
  const seq: Seq = { start: 1, stride: 1, format: '%d' }
  if (!parseSimple(term, seq)) parseKeyValues(term, seq)
  const { start, end, stride, format } = checked(seq)
  // A stride of 0 (count=0) yields nothing, as Ansible skips generate_sequence then.
  if (stride === 0) return []
  const out: string[] = []
  const stop = end + (stride > 0 ? 1 : -1)
  for (let i = start; stride > 0 ? i < stop : i > stop; i += stride) {
    try {
      out.push(percentFormat(format, i))
    } catch {
      fail(`problem formatting ${i} with ${repr(format)}`)
    }
  }
  return out
}

export const sequence: LookupFn = (terms) => terms.flatMap(generate)
