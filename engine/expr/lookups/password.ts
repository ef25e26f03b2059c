/**
 * password: a random password kept in a controller file (Ansible 2.14's lookup). The first
 * call writes the file, later calls read it back; `/dev/null` gives a new password each call
 * and writes nothing. `encrypt=` returns the crypt(3) hash instead, with the salt kept in the
 * file so that the hash is the same on every run.
 */
import { randomInt } from 'node:crypto'
import { parseKv } from '../../playbook/kv.js'
import { md5Crypt, shaCrypt } from '../crypt.js'
import { PyRandom } from '../pyrandom.js'
import { describe, toStr } from '../python.js'
import { needString } from '../types.js'
import { fail, type Dict } from '../values.js'
import { formatPasswordFile, parsePasswordFile, readPasswordFile, writePasswordFile } from './password-file.js'
import { pathDwim } from './search-path.js'
import type { LookupFn } from './types.js'

const LETTERS = 'abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ'
const DIGITS = '0123456789'
const PUNCTUATION = '!"#$%&\'()*+,-./:;<=>?@[\\]^_`{|}~'
const WHITESPACE = ' \t\n\r\x0b\x0c'

/** The character sets of Python's `string` module that `chars=` may name. */
const CHAR_SETS: Record<string, string> = {
  ascii_letters: LETTERS,
  ascii_lowercase: LETTERS.slice(0, 26),
  ascii_uppercase: LETTERS.slice(26),
  digits: DIGITS,
  hexdigits: `${DIGITS}abcdefABCDEF`,
  octdigits: '01234567',
  punctuation: PUNCTUATION,
  whitespace: WHITESPACE,
  printable: DIGITS + LETTERS + PUNCTUATION + WHITESPACE,
}
const DEFAULT_CHARS = ['ascii_letters', 'digits', '.,:-_']
const SALT_CHARS = `${LETTERS}${DIGITS}./`

/** Ansible's hash schemes (BaseHash.algorithms) that crypt(3) makes here, with their salt sizes. */
const SCHEMES: Record<string, { saltSize: number; hash(password: string, salt: string): string }> = {
  md5_crypt: { saltSize: 8, hash: md5Crypt },
  sha256_crypt: { saltSize: 16, hash: (p, s) => shaCrypt('sha256', p, s) },
  sha512_crypt: { saltSize: 16, hash: (p, s) => shaCrypt('sha512', p, s) },
}
const VALID_PARAMS = ['length', 'encrypt', 'chars', 'ident', 'seed']

interface Params {
  length: number
  chars: string
  encrypt?: string
  ident?: string
  seed?: string
}

/**
 * `chars=`: a list of entries, each naming a `string` module set or taken literally. Inline
 * (`path chars=digits,,`) it is comma-separated text where `,,` stands for a comma; given as
 * an option it is a list option, whose text Ansible splits on every comma. Quotes are removed.
 */
export function candidateChars(spec: unknown, inline = false): string {
  let names: string[]
  if (typeof spec === 'string' && inline) {
    names = spec.includes(',,') ? [','] : []
    names.push(...spec.replace(/,,/g, ',').split(',').filter(Boolean))
  } else if (typeof spec === 'string') names = spec.split(',').map((s) => s.trim())
  else if (Array.isArray(spec)) names = spec.map((s) => toStr(s))
  else return fail(`password chars must be a list or a comma-separated text, not ${describe(spec)}`)
  return names.map((name) => (Object.hasOwn(CHAR_SETS, name) ? CHAR_SETS[name] : name)).join('').replace(/["']/g, '')
}

/** random_password: seeded with Python's generator (the same password as Ansible's), else the system's. */
export function randomPassword(length: number, chars: string, seed?: string): string {
  if (chars === '') fail('the password lookup has no characters to choose from')
  const source = seed === undefined ? { below: (n: number) => randomInt(n) } : new PyRandom(seed)
  return Array.from({ length }, () => chars[source.below(chars.length)]).join('')
}

/** The path and the inline `key=value` parameters of one term (`creds/db length=12`). */
export function parseTerm(term: string): { path: string; inline: Dict } {
  const space = term.indexOf(' ')
  if (space < 0) return { path: term, inline: {} }
  const { args, freeForm } = parseKv(term.slice(space + 1))
  const path = freeForm ? `${term.slice(0, space)} ${freeForm}` : term.slice(0, space)
  if (freeForm && !term.startsWith(path)) fail('Unrecognized value after key=value parameters given to password lookup')
  const invalid = Object.keys(args).filter((k) => !VALID_PARAMS.includes(k))
  if (invalid.length) fail(`Unrecognized parameter(s) given to password lookup: ${invalid.join(', ')}`)
  return { path, inline: args }
}

function params(inline: Dict, options: Dict): Params {
  const pick = (name: string): unknown => (inline[name] !== undefined ? inline[name] : options[name])
  const rawLength = pick('length') ?? 20
  const length = typeof rawLength === 'number' ? rawLength : Number(toStr(rawLength).trim())
  if (!Number.isInteger(length) || length < 0) fail(`password length must be a whole number, not '${toStr(rawLength)}'`)
  const text = (name: string): string | undefined => {
    const value = pick(name)
    return value === undefined || value === null || value === '' ? undefined : toStr(value)
  }
  const encrypt = text('encrypt')
  const ident = text('ident')
  const seed = text('seed')
  return { length, chars: candidateChars(pick('chars') ?? DEFAULT_CHARS, inline['chars'] !== undefined), ...(encrypt ? { encrypt } : {}), ...(ident ? { ident } : {}), ...(seed !== undefined ? { seed } : {}) }
}

function scheme(encrypt: string): (typeof SCHEMES)[string] {
  if (encrypt === 'bcrypt') fail("the password lookup's encrypt=bcrypt is not made by tsplay (use sha512_crypt, sha256_crypt or md5_crypt)")
  return Object.hasOwn(SCHEMES, encrypt) ? (SCHEMES[encrypt] as (typeof SCHEMES)[string]) : fail(`crypt.crypt does not support '${encrypt}' algorithm`)
}

function passwordFor(term: unknown, options: Dict, ctx: Parameters<LookupFn>[2]): string {
  const { path: relative, inline } = parseTerm(needString(term, 'the password file path'))
  const p = params(inline, options)
  const hasher = p.encrypt !== undefined ? scheme(p.encrypt) : undefined
  const path = pathDwim(relative, ctx)
  const discard = path === '/dev/null'
  const content = discard ? undefined : readPasswordFile(path)
  let stored = content === undefined ? { password: randomPassword(p.length, p.chars, p.seed) } : parsePasswordFile(content)
  // As 2.14: encrypt without ident= rewrites the file, and the ident kept is the one asked for.
  let changed = content === undefined || (hasher !== undefined && p.ident === undefined)
  if (hasher && !stored.salt) stored = { ...stored, salt: randomPassword(hasher.saltSize, SALT_CHARS) }
  stored = { password: stored.password, ...(stored.salt ? { salt: stored.salt } : {}), ...(p.ident ? { ident: p.ident } : {}) }
  const written = formatPasswordFile(stored)
  changed &&= written !== content
  if (changed && !discard) {
    const now = writePasswordFile(path, written, content !== undefined)
    if (now !== written) stored = parsePasswordFile(now)
  }
  if (!hasher) return stored.password
  const salt = stored.salt as string
  if (/[^./0-9A-Za-z]/.test(salt)) fail('invalid characters in salt')
  if (salt.length > hasher.saltSize) fail('invalid salt size')
  return hasher.hash(stored.password, salt)
}

export const password: LookupFn = (terms, options, ctx) => terms.map((term) => passwordFor(term, options, ctx))
