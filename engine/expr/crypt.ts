/**
 * The crypt(3) password hashes Ansible's password_hash writes (through Python's crypt module,
 * which is glibc/libxcrypt's): SHA-crypt (`$5$`, `$6$`, Ulrich Drepper's published algorithm)
 * and MD5-crypt (`$1$`, Poul-Henning Kamp's). Written from the algorithms' specifications with
 * node's hashes, so a hash made here verifies with the system's crypt() and vice versa.
 */
import { createHash } from 'node:crypto'

const ITOA64 = './0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz'

/** crypt's base-64: little-endian groups of three bytes, each written as `chars` characters. */
function encode(bytes: Buffer, groups: readonly (readonly number[])[]): string {
  let out = ''
  for (const group of groups) {
    let w = 0
    for (const index of group) w = (w << 8) | (bytes[index] as number)
    const chars = group.length + 1
    for (let i = 0; i < chars; i++) {
      out += ITOA64[w & 0x3f]
      w >>>= 6
    }
  }
  return out
}

/** The byte order of the final digest, as the specifications list it. */
const SHA512_ORDER: number[][] = [
  [0, 21, 42], [22, 43, 1], [44, 2, 23], [3, 24, 45], [25, 46, 4], [47, 5, 26], [6, 27, 48], [28, 49, 7],
  [50, 8, 29], [9, 30, 51], [31, 52, 10], [53, 11, 32], [12, 33, 54], [34, 55, 13], [56, 14, 35], [15, 36, 57],
  [37, 58, 16], [59, 17, 38], [18, 39, 60], [40, 61, 19], [62, 20, 41], [63],
]
const SHA256_ORDER: number[][] = [
  [0, 10, 20], [21, 1, 11], [12, 22, 2], [3, 13, 23], [24, 4, 14], [15, 25, 5], [6, 16, 26], [27, 7, 17],
  [18, 28, 8], [9, 19, 29], [31, 30],
]
const MD5_ORDER: number[][] = [[0, 6, 12], [1, 7, 13], [2, 8, 14], [3, 9, 15], [4, 10, 5], [11]]

const digest = (algorithm: string, ...parts: Buffer[]): Buffer => {
  const h = createHash(algorithm)
  for (const part of parts) h.update(part)
  return h.digest()
}

/** `length` bytes of `block` repeated. */
function stretch(block: Buffer, length: number): Buffer {
  const out = Buffer.alloc(length)
  for (let i = 0; i < length; i += block.length) block.copy(out, i, 0, Math.min(block.length, length - i))
  return out
}

export const ROUNDS_DEFAULT = 5000
const ROUNDS_MIN = 1000
const ROUNDS_MAX = 999_999_999

/**
 * SHA-crypt. `rounds` undefined means the default (5000) and no `rounds=` in the result, as
 * crypt() does; a given value is clamped to crypt's bounds and written.
 */
export function shaCrypt(kind: 'sha256' | 'sha512', password: string, salt: string, rounds?: number): string {
  const p = Buffer.from(password, 'utf8')
  const s = Buffer.from(salt.slice(0, 16), 'utf8')
  const size = kind === 'sha512' ? 64 : 32
  const n = rounds === undefined ? ROUNDS_DEFAULT : Math.min(ROUNDS_MAX, Math.max(ROUNDS_MIN, Math.trunc(rounds)))
  const b = digest(kind, p, s, p)
  const a = createHash(kind).update(p).update(s)
  let left = p.length
  for (; left > size; left -= size) a.update(b)
  a.update(b.subarray(0, left))
  for (let i = p.length; i > 0; i >>= 1) a.update(i & 1 ? b : p)
  let c = a.digest()
  const pBytes = stretch(digest(kind, ...Array<Buffer>(p.length).fill(p)), p.length)
  const sBytes = stretch(digest(kind, ...Array<Buffer>(16 + (c[0] as number)).fill(s)), s.length)
  for (let r = 0; r < n; r++) {
    const h = createHash(kind)
    h.update(r & 1 ? pBytes : c)
    if (r % 3) h.update(sBytes)
    if (r % 7) h.update(pBytes)
    h.update(r & 1 ? c : pBytes)
    c = h.digest()
  }
  const id = kind === 'sha512' ? '6' : '5'
  const roundsText = rounds === undefined ? '' : `rounds=${n}$`
  return `$${id}$${roundsText}${s.toString('utf8')}$${encode(c, kind === 'sha512' ? SHA512_ORDER : SHA256_ORDER)}`
}

/** MD5-crypt: 1000 fixed rounds, at most 8 characters of salt. */
export function md5Crypt(password: string, salt: string): string {
  const p = Buffer.from(password, 'utf8')
  const s = Buffer.from(salt.slice(0, 8), 'utf8')
  const magic = Buffer.from('$1$')
  const alt = digest('md5', p, s, p)
  const ctx = createHash('md5').update(p).update(magic).update(s)
  for (let left = p.length; left > 0; left -= 16) ctx.update(alt.subarray(0, Math.min(left, 16)))
  for (let i = p.length; i > 0; i >>= 1) ctx.update(i & 1 ? Buffer.from([0]) : p.subarray(0, 1))
  let c = ctx.digest()
  for (let r = 0; r < 1000; r++) {
    const h = createHash('md5')
    h.update(r & 1 ? p : c)
    if (r % 3) h.update(s)
    if (r % 7) h.update(p)
    h.update(r & 1 ? c : p)
    c = h.digest()
  }
  return `$1$${s.toString('utf8')}$${encode(c, MD5_ORDER)}`
}
