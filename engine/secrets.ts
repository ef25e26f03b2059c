/**
 * The secrets registry: every value that must never be shown (decrypted vault values, become
 * passwords, arguments of `no_log` tasks, module arguments marked `secret: true`) is registered
 * here, and every output path (reporters, logs, warnings, diffs, CLI errors) passes its text
 * through `scrub` or `scrubDeep` before printing it.
 *
 * It is process-wide because secrets are found where no run context exists (the YAML loader
 * decrypts `!vault` values while reading a file) and must be hidden wherever they travel next.
 * It only ever grows; see docs/vault.md.
 */
import { quote } from './quote.js'

/** What a hidden value reads as. */
export const MASK = '********'

/**
 * Shorter secrets are not searched for inside free text (a 3-letter password would blank out
 * every word that contains it); they are still hidden where a value is exactly the secret.
 */
export const MIN_TEXT_LENGTH = 4

const exact = new Set<string>()
const inText = new Set<string>()
let pattern: RegExp | undefined
let patternStale = false

/**
 * Numbers are searched for inside text only from this many digits (a numeric password): a port
 * such as 3306 from a vaulted file would otherwise blank out parts of checksums and times.
 */
const MIN_NUMBER_TEXT_LENGTH = 8

/**
 * Registers a secret. Strings and numbers are registered as text; lists and mappings are walked
 * (their values, not their keys); booleans and null carry nothing worth hiding.
 */
export function registerSecret(value: unknown): void {
  if (typeof value === 'string') addText(value, MIN_TEXT_LENGTH)
  else if (typeof value === 'number' || typeof value === 'bigint') addText(String(value), MIN_NUMBER_TEXT_LENGTH)
  else if (Array.isArray(value)) for (const item of value) registerSecret(item)
  else if (value && typeof value === 'object') for (const item of Object.values(value)) registerSecret(item)
}

function addText(secret: string, minLength: number): void {
  if (secret === '') return
  exact.add(secret)
  if (secret.length < minLength) return
  // The forms a secret takes on its way to the output: as written, inside a JSON string,
  // inside a single-quoted shell word (-vvvv commands), trimmed, line by line, and the pieces
  // between quoting characters, which a command line may quote apart (`'it'\''s'`, `"${x-\$x}"`).
  const forms = [
    secret,
    secret.trim(),
    JSON.stringify(secret).slice(1, -1),
    quote(secret).replace(/^'|'$/g, ''),
    ...secret.split('\n').map((l) => l.trim()),
    ...secret.split(/['"\\$`\n]/).map((piece) => piece.trim()),
  ]
  for (const form of forms) {
    if (form.length >= MIN_TEXT_LENGTH && !inText.has(form)) {
      inText.add(form)
      patternStale = true
    }
  }
}

/** True once anything has been registered (lets hot paths skip the work). */
export function hasSecrets(): boolean {
  return exact.size > 0
}

/** True when `text` is exactly a registered secret. */
export function isSecret(text: string): boolean {
  return exact.has(text)
}

function secretPattern(): RegExp | undefined {
  if (patternStale || (!pattern && inText.size)) {
    // Longest first, so a secret that contains another is hidden whole.
    const alternatives = [...inText].sort((a, b) => b.length - a.length).map(escapeRegExp)
    pattern = new RegExp(alternatives.join('|'), 'g')
    patternStale = false
  }
  return pattern
}

function escapeRegExp(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')
}

/** Replaces every registered secret inside `text` with the mask. */
export function scrub(text: string): string {
  if (isSecret(text)) return MASK
  const re = secretPattern()
  return re ? text.replace(re, MASK) : text
}

/** Where the first registered secret starts in `text` (-1 when there is none). */
export function secretIndex(text: string): number {
  const re = secretPattern()
  if (!re) return -1
  re.lastIndex = 0
  const match = re.exec(text)
  re.lastIndex = 0
  return match ? match.index : -1
}

/** A copy of `value` with every string (values and keys) scrubbed; other values are kept as they are. */
export function scrubDeep<T>(value: T): T {
  if (!hasSecrets()) return value
  return walk(value, new WeakMap()) as T
}

function walk(value: unknown, seen: WeakMap<object, unknown>): unknown {
  if (typeof value === 'string') return scrub(value)
  if (!value || typeof value !== 'object') return value
  const done = seen.get(value)
  if (done !== undefined) return done
  if (Array.isArray(value)) {
    const out: unknown[] = []
    seen.set(value, out)
    for (const item of value) out.push(walk(item, seen))
    return out
  }
  // Only plain data is rebuilt: class instances (errors, buffers) keep their identity.
  const proto: unknown = Object.getPrototypeOf(value)
  if (proto !== Object.prototype && proto !== null) return value
  const out: Record<string, unknown> = {}
  seen.set(value, out)
  for (const [k, v] of Object.entries(value)) out[scrub(k)] = walk(v, seen)
  return out
}

/** Forgets every secret: for tests only (a real run never un-hides a value). */
export function resetSecretsForTests(): void {
  exact.clear()
  inText.clear()
  pattern = undefined
  patternStale = false
}
