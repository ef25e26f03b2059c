/**
 * OpenSSH known_hosts files: parsing, host matching and the accept/refuse decision.
 * Pure functions over Buffers, so the rules are unit-tested without a server.
 */
import { createHash, createHmac } from 'node:crypto'
import { readFile } from 'node:fs/promises'

export interface KnownHostEntry {
  /** `@revoked` keys are refused outright; `@cert-authority` lines are kept but never match a plain key. */
  marker?: 'revoked' | 'cert-authority'
  /** The host field as written: comma-separated patterns, or one hashed `|1|salt|hash` entry. */
  hosts: string
  keyType: string
  /** The public key blob (base64-decoded). */
  key: Buffer
  file: string
  line: number
}

export type HostKeyVerdict =
  | { status: 'ok'; entry: KnownHostEntry }
  | { status: 'unknown' }
  | { status: 'changed'; expected: KnownHostEntry[] }
  | { status: 'revoked'; entry: KnownHostEntry }

/** Lines we cannot read are skipped, as OpenSSH does: one bad line must not hide the good ones. */
export function parseKnownHosts(text: string, file: string): KnownHostEntry[] {
  const entries: KnownHostEntry[] = []
  text.split('\n').forEach((raw, index) => {
    const words = raw.trim().split(/\s+/)
    if (words[0] === undefined || words[0] === '' || words[0].startsWith('#')) return
    let marker: KnownHostEntry['marker']
    if (words[0].startsWith('@')) {
      const m = words.shift()
      if (m === '@revoked') marker = 'revoked'
      else if (m === '@cert-authority') marker = 'cert-authority'
      else return
    }
    const [hosts, keyType, base64] = words
    if (!hosts || !keyType || !base64 || !/^[A-Za-z0-9+/]+={0,2}$/.test(base64)) return
    const key = Buffer.from(base64, 'base64')
    // A line whose type word disagrees with the blob is corrupt; trusting it would compare garbage.
    if (keyTypeOf(key) !== keyType) return
    entries.push({ ...(marker ? { marker } : {}), hosts, keyType, key, file, line: index + 1 })
  })
  return entries
}

/** Reads the files that exist; returns the entries and the list of files looked at (for messages). */
export async function loadKnownHosts(files: readonly string[]): Promise<{ entries: KnownHostEntry[]; checked: string[] }> {
  const entries: KnownHostEntry[] = []
  const checked: string[] = []
  for (const file of files) {
    let text: string
    try {
      text = await readFile(file, 'utf8')
    } catch {
      checked.push(`${file} (missing)`)
      continue
    }
    checked.push(file)
    entries.push(...parseKnownHosts(text, file))
  }
  return { entries, checked }
}

/**
 * The names OpenSSH would look up: the name as connected to, written `[name]:port` when the
 * port is not 22. Both the inventory name and the address are candidates, so a line written by
 * `ssh web1` and one written by `ssh-keyscan 10.0.0.1` both work.
 */
export function hostNames(host: string, address: string, port: number): string[] {
  const names = [...new Set([address, host])].map((n) => n.toLowerCase())
  return port === 22 ? names : names.map((n) => `[${n}]:${port}`)
}

/** True when the entry's host field names one of `names` (hashed or patterns, with `!` negation). */
export function entryMatches(entry: KnownHostEntry, names: readonly string[]): boolean {
  if (entry.hosts.startsWith('|1|')) {
    const [, , salt, hash] = entry.hosts.split('|')
    if (!salt || !hash) return false
    const saltBytes = Buffer.from(salt, 'base64')
    return names.some((name) => createHmac('sha1', saltBytes).update(name).digest('base64') === hash)
  }
  const patterns = entry.hosts.toLowerCase().split(',')
  return names.some((name) => {
    let matched = false
    for (const pattern of patterns) {
      if (pattern.startsWith('!')) {
        // A negated match vetoes the whole line, whatever else matches (OpenSSH match_hostname).
        if (globMatch(pattern.slice(1), name)) return false
      } else if (globMatch(pattern, name)) {
        matched = true
      }
    }
    return matched
  })
}

/** OpenSSH patterns: `*` any run, `?` one character; nothing else is special. */
function globMatch(pattern: string, name: string): boolean {
  const source = pattern.replace(/[.+^${}()|[\]\\]/g, '\\$&').replaceAll('*', '.*').replaceAll('?', '.')
  return new RegExp(`^${source}$`).test(name)
}

/** Decides what to do with the key a server offers, as OpenSSH with StrictHostKeyChecking=yes. */
export function checkHostKey(entries: readonly KnownHostEntry[], names: readonly string[], offered: Buffer): HostKeyVerdict {
  const revoked = entries.find((e) => e.marker === 'revoked' && e.key.equals(offered))
  if (revoked) return { status: 'revoked', entry: revoked }
  const forHost = entries.filter((e) => e.marker === undefined && entryMatches(e, names))
  const exact = forHost.find((e) => e.key.equals(offered))
  if (exact) return { status: 'ok', entry: exact }
  if (forHost.length === 0) return { status: 'unknown' }
  // Known keys of the same type take precedence in the report; a host that now offers only
  // another type than we know has also changed identity as far as we can tell.
  const type = keyTypeOf(offered)
  const sameType = forHost.filter((e) => e.keyType === type)
  return { status: 'changed', expected: sameType.length ? sameType : forHost }
}

/**
 * Host key algorithms to offer, the known ones first: like OpenSSH, ask the server for a key
 * we can verify rather than one it happens to prefer.
 */
export function preferredHostKeyAlgorithms(entries: readonly KnownHostEntry[], names: readonly string[]): string[] | undefined {
  const known = new Set(entries.filter((e) => e.marker === undefined && entryMatches(e, names)).map((e) => e.keyType))
  if (known.size === 0) return undefined
  const all = ['ssh-ed25519', 'ecdsa-sha2-nistp256', 'ecdsa-sha2-nistp384', 'ecdsa-sha2-nistp521', 'rsa-sha2-512', 'rsa-sha2-256', 'ssh-rsa']
  const algoType = (algo: string): string => (algo.startsWith('rsa-sha2-') ? 'ssh-rsa' : algo)
  return [...all.filter((a) => known.has(algoType(a))), ...all.filter((a) => !known.has(algoType(a)))]
}

/** The key type named inside an SSH public key blob (its first length-prefixed string). */
export function keyTypeOf(blob: Buffer): string {
  if (blob.length < 4) return ''
  const length = blob.readUInt32BE(0)
  if (length > 64 || blob.length < 4 + length) return ''
  return blob.subarray(4, 4 + length).toString('latin1')
}

/** `SHA256:...` as `ssh-keygen -lf` prints it. */
export function fingerprint(blob: Buffer): string {
  return `SHA256:${createHash('sha256').update(blob).digest('base64').replace(/=+$/, '')}`
}
