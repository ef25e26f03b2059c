/**
 * Waiting on real services in tests: a server that is starting, a VIP moving, an agent
 * registering. One place for the polling loop, so every wait reports the same way when it
 * gives up: what it waited for, how long, and the last answer or error it saw.
 */
import { setTimeout as sleep } from 'node:timers/promises'

const INTERVAL_MS = 250

/**
 * Calls `probe` until it gives a value other than false, '' and undefined (a throw is "not yet")
 * and returns that value. After `limitMs` it throws, naming `what` and the last answer seen.
 */
export async function until<T>(what: string, probe: () => T | Promise<T>, limitMs = 60_000): Promise<Exclude<T, false | '' | undefined>> {
  const deadline = Date.now() + limitMs
  let last: unknown
  for (;;) {
    try {
      const value = await probe()
      if (value !== undefined && value !== false && value !== '') return value as Exclude<T, false | '' | undefined>
      last = value
    } catch (err) {
      last = err
    }
    if (Date.now() > deadline) throw new Error(`${what}: not within ${limitMs / 1000} s (last: ${last instanceof Error ? last.message : JSON.stringify(last)})`)
    await sleep(INTERVAL_MS)
  }
}

/** `until`, returning how many milliseconds it took (a failover time, say). */
export async function timeUntil(what: string, probe: () => unknown, limitMs = 60_000): Promise<number> {
  const started = Date.now()
  await until(what, async () => Boolean(await probe()), limitMs)
  return Date.now() - started
}

/** Waits until `read()` gives exactly `wanted`; the milliseconds it took. */
export async function timeUntilEqual(what: string, read: () => string, wanted: string, limitMs: number): Promise<number> {
  let seen = ''
  try {
    return await timeUntil(what, () => (seen = read()) === wanted, limitMs)
  } catch {
    throw new Error(`after ${limitMs} ms ${what} is ${JSON.stringify(seen)}, not ${JSON.stringify(wanted)}`)
  }
}

/**
 * What `read()` gives once `wanted` holds for it (text equal to it, or a predicate), or its last
 * answer (or error text) after `limitMs`, for an `expect` that then shows what was seen.
 */
export async function eventually(read: () => string, wanted: string | ((seen: string) => boolean), limitMs = 5000): Promise<string> {
  const deadline = Date.now() + limitMs
  for (;;) {
    let seen: string
    try {
      seen = read()
    } catch (err) {
      seen = String(err)
    }
    if ((typeof wanted === 'string' ? seen === wanted : wanted(seen)) || Date.now() > deadline) return seen
    await sleep(INTERVAL_MS)
  }
}

/** What `read()` gives, or '' while it throws (a server that does not answer yet). */
export function attempt(read: () => string): string {
  try {
    return read()
  } catch {
    return ''
  }
}
