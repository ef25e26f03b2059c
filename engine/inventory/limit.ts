/**
 * `--limit`: a host pattern whose parts may be `@FILE`, a file with one pattern per line (Ansible's
 * `inventory.subset`). One reading serves the run and `--list-hosts`, so both see the same hosts.
 */
import { readFileSync, statSync } from 'node:fs'
import { TsplayError } from '../errors.js'
import { splitPattern } from './patterns.js'
import type { Inventory } from './types.js'

export interface Limit {
  /** The hosts the limit lets through. */
  hosts: ReadonlySet<string>
  /** Its parts that matched no host and no group (Ansible warns about each). */
  unmatched: string[]
}

export function resolveLimit(limit: string, inventory: Inventory): Limit {
  const pattern = splitPattern(limit).flatMap((part) => (part.startsWith('@') ? limitFile(part.slice(1)) : [part])).join(',')
  return { hosts: new Set(inventory.select(pattern)), unmatched: inventory.unmatched(pattern) }
}

/** The patterns of a limit file: one per line; blank lines and `#` comments are skipped. */
function limitFile(path: string): string[] {
  let text: string
  try {
    if (statSync(path).isDirectory()) throw new TsplayError(`--limit @${path}: a limit starting with '@' must be a file, not a directory`)
    text = readFileSync(path, 'utf8')
  } catch (err) {
    if (err instanceof TsplayError) throw err
    const code = (err as NodeJS.ErrnoException).code ?? String(err)
    throw new TsplayError(`--limit @${path}: unable to find limit file '${path}' (${code})`, { cause: err })
  }
  return text.split('\n').map((l) => l.trim()).filter((l) => l !== '' && !l.startsWith('#'))
}

/**
 * Ansible's check before any play: a limit that leaves none of the inventory's hosts is an error
 * (an empty inventory is not: only the implicit localhost is left, which 'all' never matches).
 */
export function checkLimitLeavesHosts(limit: string, resolved: Limit, inventory: Inventory): void {
  if (inventory.hosts.size === 0) return
  if (inventory.select('all').some((h) => resolved.hosts.has(h))) return
  throw new TsplayError(`--limit '${limit}' leaves no hosts to target: it matches none of the ${inventory.hosts.size} hosts of the inventory (Specified inventory, host pattern and/or --limit leaves us with no hosts to target.)`)
}
