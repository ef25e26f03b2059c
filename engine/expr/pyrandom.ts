/**
 * Python's `random.Random(seed)` (the Mersenne Twister, seeded as CPython 3 seeds it), so that
 * `60 | random(seed=inventory_hostname)` and `list | shuffle(seed=...)` pick what Ansible picks:
 * cron minutes spread by host name stay where Ansible put them.
 */
import { createHash } from 'node:crypto'

const N = 624
const M = 397

export class PyRandom {
  private readonly mt = new Uint32Array(N)
  private index = N + 1

  /** An integer seed (any size) or text, as `random.seed(a, version=2)` reads them. */
  constructor(seed: bigint | string) {
    const value = typeof seed === 'string' ? textSeed(seed) : seed < 0n ? -seed : seed
    const key: number[] = []
    for (let v = value; v > 0n; v >>= 32n) key.push(Number(v & 0xffffffffn))
    this.seedArray(key.length ? key : [0])
  }

  private seedOne(s: number): void {
    const mt = this.mt
    mt[0] = s >>> 0
    for (let i = 1; i < N; i++) {
      const prev = mt[i - 1] as number
      mt[i] = (Math.imul(1812433253, prev ^ (prev >>> 30)) + i) >>> 0
    }
    this.index = N
  }

  private seedArray(key: number[]): void {
    this.seedOne(19650218)
    const mt = this.mt
    let i = 1
    let j = 0
    const mix = (mul: number, add: number): void => {
      const prev = mt[i - 1] as number
      mt[i] = (((mt[i] as number) ^ Math.imul(prev ^ (prev >>> 30), mul)) + add) >>> 0
      i++
      if (i >= N) {
        mt[0] = mt[N - 1] as number
        i = 1
      }
    }
    for (let k = Math.max(N, key.length); k > 0; k--) {
      mix(1664525, (key[j] as number) + j)
      j = (j + 1) % key.length
    }
    for (let k = N - 1; k > 0; k--) mix(1566083941, -i)
    mt[0] = 0x80000000
  }

  private next32(): number {
    const mt = this.mt
    if (this.index >= N) {
      for (let k = 0; k < N; k++) {
        const y = ((mt[k] as number) & 0x80000000) | ((mt[(k + 1) % N] as number) & 0x7fffffff)
        mt[k] = ((mt[(k + M) % N] as number) ^ (y >>> 1) ^ (y & 1 ? 0x9908b0df : 0)) >>> 0
      }
      this.index = 0
    }
    let y = mt[this.index++] as number
    y ^= y >>> 11
    y ^= (y << 7) & 0x9d2c5680
    y ^= (y << 15) & 0xefc60000
    y ^= y >>> 18
    return y >>> 0
  }

  /** `getrandbits(k)`: 32-bit words, least significant first; the last one keeps its top bits. */
  private bits(k: number): bigint {
    let out = 0n
    for (let shift = 0n, left = k; left > 0; left -= 32, shift += 32n) {
      const word = left < 32 ? this.next32() >>> (32 - left) : this.next32()
      out |= BigInt(word) << shift
    }
    return out
  }

  /** `_randbelow(n)`: rejection sampling over bit_length(n) bits. */
  below(n: number): number {
    if (n <= 0) return 0
    const k = n.toString(2).length
    let r = this.bits(k)
    while (r >= BigInt(n)) r = this.bits(k)
    return Number(r)
  }

  /** `shuffle(list)`, in place, as Python swaps. */
  shuffle<T>(items: T[]): T[] {
    for (let i = items.length - 1; i > 0; i--) {
      const j = this.below(i + 1)
      ;[items[i], items[j]] = [items[j] as T, items[i] as T]
    }
    return items
  }
}

/** Text seeds: the bytes followed by their SHA-512, read as one big-endian integer. */
function textSeed(text: string): bigint {
  const bytes = Buffer.from(text, 'utf8')
  const all = Buffer.concat([bytes, createHash('sha512').update(bytes).digest()])
  return BigInt(`0x${all.toString('hex')}`)
}
