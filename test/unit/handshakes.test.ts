/** The per-target handshake limit: many hosts behind one sshd must not all knock at once. */
import { describe, expect, it } from 'vitest'
import { HandshakeLimiter } from '../../engine/connection/handshakes.js'
import { retryDelayMs } from '../../engine/connection/ssh.js'

const tick = (): Promise<void> => new Promise((resolve) => setImmediate(resolve))

describe('handshake limiter', () => {
  it('lets at most N handshakes run at once to one address:port, the rest in arrival order', async () => {
    const limiter = new HandshakeLimiter(3)
    const started: number[] = []
    const releases = new Map<number, () => void>()
    for (let i = 0; i < 7; i++) {
      void limiter.acquire('10.0.0.1:22').then((release) => {
        started.push(i)
        releases.set(i, release)
      })
    }
    await tick()
    expect(started).toEqual([0, 1, 2])
    releases.get(1)?.()
    await tick()
    expect(started).toEqual([0, 1, 2, 3])
    releases.get(0)?.()
    releases.get(2)?.()
    await tick()
    expect(started).toEqual([0, 1, 2, 3, 4, 5])
    // Releasing twice frees one slot only.
    releases.get(3)?.()
    releases.get(3)?.()
    await tick()
    expect(started).toEqual([0, 1, 2, 3, 4, 5, 6])
  })

  it('keeps other targets independent, and forgets a target once idle', async () => {
    const limiter = new HandshakeLimiter(1)
    const a = await limiter.acquire('bastion:22')
    const other = await Promise.race([limiter.acquire('bastion:2222'), new Promise<undefined>((r) => setTimeout(() => r(undefined), 50))])
    expect(other).toBeTypeOf('function')
    expect(limiter.size).toBe(2)
    a()
    other?.()
    expect(limiter.size).toBe(0)
  })
})

describe('retry pauses', () => {
  it('double from about a quarter second, are jittered, and never exceed 4 s', () => {
    expect([1, 2, 3, 4].map((n) => retryDelayMs(n, () => 1))).toEqual([250, 500, 1000, 2000])
    expect([1, 2, 3, 4].map((n) => retryDelayMs(n, () => 0))).toEqual([125, 250, 500, 1000])
    expect(retryDelayMs(20, () => 1)).toBe(4000)
  })
})
