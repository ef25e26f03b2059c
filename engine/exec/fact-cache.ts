/**
 * Ansible's jsonfile fact cache (ANSIBLE_CACHE_PLUGIN=jsonfile): each host's facts in
 * `<dir>/<prefix><host>` as JSON, so that a later run starts with them. What goes in is what
 * Ansible puts there: gathered facts, the facts modules return, and set_fact's with `cacheable`.
 * A file older than the timeout (seconds; 0 never expires) is read as no facts.
 */
import { existsSync, mkdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { TsplayError } from '../errors.js'

export interface FactCacheOptions {
  dir: string
  prefix: string
  timeoutSec: number
}

const fileOf = (cache: FactCacheOptions, host: string): string => join(cache.dir, `${cache.prefix}${host}`)

export function readCachedFacts(cache: FactCacheOptions, host: string): Record<string, unknown> {
  const file = fileOf(cache, host)
  if (!existsSync(file)) return {}
  if (cache.timeoutSec > 0 && Date.now() - statSync(file).mtimeMs > cache.timeoutSec * 1000) return {}
  try {
    const data: unknown = JSON.parse(readFileSync(file, 'utf8'))
    return data && typeof data === 'object' && !Array.isArray(data) ? (data as Record<string, unknown>) : {}
  } catch (err) {
    throw new TsplayError(`the fact cache file ${file} is not JSON: ${(err as Error).message}`, { cause: err })
  }
}

/** Adds `facts` to the host's cached ones (Ansible's set_host_facts updates the cache, it does not replace it). */
export function writeCachedFacts(cache: FactCacheOptions, host: string, facts: Record<string, unknown>): void {
  mkdirSync(cache.dir, { recursive: true })
  writeFileSync(fileOf(cache, host), JSON.stringify({ ...readCachedFacts(cache, host), ...facts }, null, 4))
}

/** --flush-cache: the hosts' cached facts are dropped before the run. */
export function flushCachedFacts(cache: FactCacheOptions, hosts: readonly string[]): void {
  for (const host of hosts) rmSync(fileOf(cache, host), { force: true })
}
