/** Lookup options typed as Ansible's set_options types them (boolean, integer, float, dict, text). */
import { CodecError, decodeBytes } from '../../files/codec.js'
import { ansibleBoolean, describe, toStr } from '../python.js'
import { fail, isDict, type Dict } from '../values.js'

const given = (value: unknown): boolean => value !== undefined && value !== null

export function boolOption(options: Dict, name: string, fallback: boolean, lookup: string): boolean {
  const value = options[name]
  if (!given(value)) return fallback
  const b = ansibleBoolean(value)
  return b ?? fail(`lookup('${lookup}'): ${name} must be a boolean, not ${describe(value)}`)
}

export function numberOption(options: Dict, name: string, fallback: number, lookup: string): number {
  const value = options[name]
  if (!given(value)) return fallback
  const n = typeof value === 'number' ? value : typeof value === 'string' && value.trim() !== '' ? Number(value) : NaN
  return Number.isFinite(n) ? n : fail(`lookup('${lookup}'): ${name} must be a number, not ${describe(value)}`)
}

export function textOption(options: Dict, name: string, fallback: string, lookup: string): string
export function textOption(options: Dict, name: string, fallback: undefined, lookup: string): string | undefined
export function textOption(options: Dict, name: string, fallback: string | undefined, lookup: string): string | undefined {
  const value = options[name]
  if (!given(value)) return fallback
  if (isDict(value) || Array.isArray(value)) fail(`lookup('${lookup}'): ${name} must be a text, not ${describe(value)}`)
  return toStr(value)
}

export function dictOption(options: Dict, name: string, lookup: string): Dict {
  const value = options[name]
  if (!given(value)) return {}
  return isDict(value) ? value : fail(`lookup('${lookup}'): ${name} must be a dict, not ${describe(value)}`)
}

/** Decodes a controller file's bytes with a Python codec name (utf-8, latin-1, utf-16...), strictly. */
export function decodeText(data: Buffer, encoding: string, what: string): string {
  try {
    return decodeBytes(data, encoding)
  } catch (err) {
    if (!(err instanceof CodecError)) throw err
    return fail(err.message.startsWith('unknown') ? err.message : `'${encoding}' codec can't decode ${what}`)
  }
}
