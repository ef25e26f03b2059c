/**
 * What the lab's apt cache keeps and for how long, and whom it serves. Pure functions: the
 * server asks them, tests call them directly.
 */
import { isIP } from 'node:net'

/** How long a release or index file is served from the cache before it is fetched again. */
export const VOLATILE_TTL_MS = 5 * 60_000

/**
 * `immutable`: a file whose name changes when its content does (a .deb in pool/, an index under
 * by-hash/): kept forever. `volatile`: the suites' release files and indexes by name: kept for
 * VOLATILE_TTL_MS. `pass`: anything else (a folder listing, a query): fetched, never stored.
 */
export type Kind = 'immutable' | 'volatile' | 'pass'

export function classify(pathname: string): Kind {
  if (pathname.endsWith('/') || pathname.includes('?')) return 'pass'
  if (/\/by-hash\/[^/]+\/[0-9a-f]+$/i.test(pathname)) return 'immutable'
  if (/\/pool\/.+\.(deb|udeb|dsc|tar\.[a-z0-9]+|diff\.gz)$/.test(pathname)) return 'immutable'
  if (/\/dists\//.test(pathname)) return 'volatile'
  return 'pass'
}

/** A suite's signed release file: when it changes, the suite's other cached files are stale. */
export function releaseSuiteDir(pathname: string): string | undefined {
  const m = /^(.*\/dists\/[^/]+)\/(InRelease|Release)$/.exec(pathname)
  return m?.[1]
}

/**
 * The path under the cache folder for a URL, or undefined for one that must not be stored
 * (a `..` segment, a NUL, an empty part): the URL comes from a client, the folder is ours.
 */
export function storagePath(host: string, pathname: string): string | undefined {
  let decoded: string
  try {
    decoded = decodeURIComponent(pathname)
  } catch {
    return undefined
  }
  const parts = decoded.split('/').slice(1)
  if (!parts.length || parts.some((p) => p === '' || p === '.' || p === '..' || p.includes('\0'))) return undefined
  if (!/^[A-Za-z0-9.-]+(:\d+)?$/.test(host)) return undefined
  return [host.replace(':', '_'), ...parts].join('/')
}

/**
 * Clients the cache answers: this machine and private networks (lab hosts reach it at their docker
 * network's gateway). It forwards only to the Debian mirrors it was started for, so it is no open proxy.
 */
export function clientAllowed(address: string | undefined): boolean {
  if (!address) return false
  const v4 = address.startsWith('::ffff:') ? address.slice(7) : address
  if (v4 === '::1') return true
  if (isIP(v4) !== 4) return false
  const [a = 0, b = 0] = v4.split('.').map(Number)
  return a === 127 || a === 10 || (a === 172 && b >= 16 && b <= 31) || (a === 192 && b === 168) || (a === 198 && (b === 18 || b === 19))
}
