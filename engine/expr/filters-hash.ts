/** Digests and password hashes: hash, md5, sha1, checksum, password_hash. */
import { createHash, getHashes, randomInt } from 'node:crypto'
import { md5Crypt, shaCrypt } from './crypt.js'
import { toStr } from './python.js'
import { needNumber, params, type FilterFn } from './types.js'
import { fail } from './values.js'

/** hashlib's names that node spells differently. */
const HASH_ALIASES: Record<string, string> = { blake2b: 'blake2b512', blake2s: 'blake2s256' }

function hashOf(algorithm: string, input: unknown): string {
  const name = algorithm.toLowerCase()
  const node = HASH_ALIASES[name] ?? name
  if (!getHashes().includes(node)) fail(`unknown hash algorithm '${algorithm}' (use sha1, sha256, sha512 or md5)`)
  return createHash(node).update(toStr(input)).digest('hex')
}

/** passlib's names for password_hash's schemes, as Ansible maps them. */
const SCHEMES: Record<string, { saltSize: number; make: (password: string, salt: string, rounds?: number) => string }> = {
  sha512_crypt: { saltSize: 16, make: (p, s, r) => shaCrypt('sha512', p, s, r) },
  sha256_crypt: { saltSize: 16, make: (p, s, r) => shaCrypt('sha256', p, s, r) },
  md5_crypt: {
    saltSize: 8,
    make: (p, s, r) => (r === undefined ? md5Crypt(p, s) : fail("'password_hash' md5 takes no rounds")),
  },
}
const SCHEME_NAMES: Record<string, string> = { sha512: 'sha512_crypt', sha256: 'sha256_crypt', md5: 'md5_crypt' }
const SALT_CHARS = './0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz'

function randomSalt(size: number): string {
  return Array.from({ length: size }, () => SALT_CHARS[randomInt(SALT_CHARS.length)]).join('')
}

/**
 * Ansible's password_hash through crypt(): no salt means a random one; a salt with other
 * characters than crypt's alphabet, or longer than the scheme takes, is an error; rounds equal
 * to passlib's implicit default are left out, as Ansible does to match passlib.
 */
const passwordHash: FilterFn = (input, call, ctx) => {
  const [hashtype = 'sha512', salt, saltSize, rounds, ident] = params(call, ['hashtype', 'salt', 'salt_size', 'rounds', 'ident'], ctx)
  if (ident !== undefined && ident !== null) fail("'password_hash' ident is only for bcrypt, which tsplay does not make")
  return cryptPassword(toStr(input), {
    hashtype: toStr(hashtype),
    ...(salt === undefined || salt === null || salt === '' ? {} : { salt: toStr(salt) }),
    ...(saltSize === undefined || saltSize === null ? {} : { saltSize: needNumber(saltSize, "'password_hash' salt_size") }),
    ...(rounds === undefined || rounds === null ? {} : { rounds: needNumber(rounds, "'password_hash' rounds") }),
  })
}

/** How to hash a password: a scheme (sha512, sha512_crypt, ...), and optionally a salt or its size, and rounds. */
export interface CryptOptions {
  hashtype: string
  salt?: string
  saltSize?: number
  rounds?: number
}

/** password_hash's hashing, shared with vars_prompt's `encrypt:` (Ansible's do_encrypt through crypt). */
export function cryptPassword(password: string, options: CryptOptions): string {
  const name = SCHEME_NAMES[options.hashtype] ?? options.hashtype
  const scheme = Object.hasOwn(SCHEMES, name) ? SCHEMES[name] : undefined
  if (!scheme) return fail(`crypt.crypt does not support '${name}' algorithm`)
  const text = options.salt ?? randomSalt(options.saltSize ?? scheme.saltSize)
  if (/[^./0-9A-Za-z]/.test(text)) fail('invalid characters in salt')
  if (text.length > scheme.saltSize) fail('invalid salt size')
  const implicit = name === 'sha512_crypt' ? 656000 : name === 'sha256_crypt' ? 535000 : undefined
  return scheme.make(password, text, options.rounds === implicit ? undefined : options.rounds)
}

const ANSIBLE_UUID_NAMESPACE = '361E6D51-FAEC-444A-9079-341386DA8E2E'

/** Python's uuid.UUID(text): 32 hex digits, hyphens, braces and a urn:uuid: prefix allowed. */
function uuidBytes(text: string): Buffer {
  const hex = text.replace(/^urn:uuid:/, '').replace(/[{}-]/g, '')
  return /^[0-9a-f]{32}$/i.test(hex) ? Buffer.from(hex, 'hex') : fail(`Invalid value '${text}' for 'namespace': badly formed hexadecimal UUID string`)
}

/** uuid.uuid5: the SHA-1 of namespace and name, marked as version 5, RFC 4122 variant. */
function uuid5(namespace: string, name: string): string {
  const bytes = createHash('sha1').update(Buffer.concat([uuidBytes(namespace), Buffer.from(name, 'utf8')])).digest().subarray(0, 16)
  bytes[6] = ((bytes[6] as number) & 0x0f) | 0x50
  bytes[8] = ((bytes[8] as number) & 0x3f) | 0x80
  const hex = bytes.toString('hex')
  return [hex.slice(0, 8), hex.slice(8, 12), hex.slice(12, 16), hex.slice(16, 20), hex.slice(20)].join('-')
}

export const HASH_FILTERS: Record<string, FilterFn> = {
  to_uuid: (input, call, ctx) => uuid5(toStr(params(call, ['namespace'], ctx)[0] ?? ANSIBLE_UUID_NAMESPACE), toStr(input)),
  hash: (input, call, ctx) => hashOf(toStr(params(call, ['hashtype'], ctx)[0] ?? 'sha1'), input),
  md5: (input, call, ctx) => (params(call, [], ctx), hashOf('md5', input)),
  sha1: (input, call, ctx) => (params(call, [], ctx), hashOf('sha1', input)),
  checksum: (input, call, ctx) => (params(call, [], ctx), hashOf('sha1', input)),
  password_hash: passwordHash,
}
