/**
 * Version comparison for `is version(...)`: numbers compare as numbers, so 1.10 > 1.9.
 * Loose on purpose, like Ansible's default ('loose'), and tolerant of Debian-style
 * strings: an epoch (`1:2.3`) counts first, `~` sorts before everything (1.0~rc1 < 1.0),
 * and at the same position text sorts before a number (1.0a < 1.0.1).
 */
import { fail } from './values.js'

type Part = number | string

function parts(version: string): { epoch: number; parts: Part[] } {
  let text = version.trim()
  let epoch = 0
  const m = /^(\d+):(.*)$/.exec(text)
  if (m) {
    epoch = Number(m[1])
    text = m[2] ?? ''
  }
  const tokens = text.match(/\d+|[A-Za-z]+|~/g) ?? []
  return { epoch, parts: tokens.map((t) => (/^\d+$/.test(t) ? Number(t) : t.toLowerCase())) }
}

function comparePart(a: Part | undefined, b: Part | undefined): number {
  if (a === b) return 0
  // '~' is less than anything, even the end of the version.
  if (a === '~') return -1
  if (b === '~') return 1
  if (a === undefined) return -1
  if (b === undefined) return 1
  if (typeof a === 'number' && typeof b === 'number') return a - b
  if (typeof a === 'number') return 1
  if (typeof b === 'number') return -1
  return a < b ? -1 : 1
}

export function compareVersions(a: string, b: string): number {
  const x = parts(a)
  const y = parts(b)
  if (x.epoch !== y.epoch) return x.epoch - y.epoch
  for (let i = 0; i < Math.max(x.parts.length, y.parts.length); i++) {
    const c = comparePart(x.parts[i], y.parts[i])
    if (c !== 0) return Math.sign(c)
  }
  return 0
}

const OPERATORS: Record<string, (c: number) => boolean> = {
  '<': (c) => c < 0, lt: (c) => c < 0,
  '<=': (c) => c <= 0, le: (c) => c <= 0,
  '>': (c) => c > 0, gt: (c) => c > 0,
  '>=': (c) => c >= 0, ge: (c) => c >= 0,
  '==': (c) => c === 0, '=': (c) => c === 0, eq: (c) => c === 0,
  '!=': (c) => c !== 0, '<>': (c) => c !== 0, ne: (c) => c !== 0,
}

export function versionTest(value: string, other: string, operator = 'eq'): boolean {
  const check = OPERATORS[operator]
  if (!check) return fail(`unknown version operator '${operator}' (use one of ${Object.keys(OPERATORS).join(', ')})`)
  return check(compareVersions(value, other))
}
