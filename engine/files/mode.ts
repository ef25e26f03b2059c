/**
 * File modes computed on the controller, so a plan can say exactly what `chmod` will do
 * without running it. The symbolic algorithm follows Ansible's `_symbolic_mode_to_octal`
 * (which itself follows chmod(1)): an empty "who" means `a` with the umask's bits left alone.
 */

const PERM_BITS = 0o7777
const EXEC_BITS = 0o111

type Who = 'u' | 'g' | 'o'

/** Bits a permission letter stands for, per class. */
const LETTER_BITS: Record<Who, Record<'r' | 'w' | 'x' | 's' | 't', number>> = {
  u: { r: 0o400, w: 0o200, x: 0o100, s: 0o4000, t: 0 },
  g: { r: 0o040, w: 0o020, x: 0o010, s: 0o2000, t: 0 },
  o: { r: 0o004, w: 0o002, x: 0o001, s: 0, t: 0o1000 },
}

/** What `=` clears for a class: its rwx bits and its special bit. */
const CLASS_MASK: Record<Who, number> = { u: 0o4700, g: 0o2070, o: 0o1007 }

/** True for an octal mode such as '644' or '0755'. */
export function isOctalMode(mode: string): boolean {
  return /^[0-7]{1,5}$/.test(mode)
}

/** 0o644 -> '0644' (the 4-digit form Ansible reports). */
export function formatMode(mode: number): string {
  return (mode & PERM_BITS).toString(8).padStart(4, '0')
}

/**
 * The mode a path ends up with after `chmod MODE` (octal or symbolic).
 * `current` is the path's permission bits, `isDir` matters for `X`, `umask` for clauses
 * without a "who". Throws on a malformed symbolic mode.
 */
export function resolveMode(mode: string, current: number, isDir: boolean, umask: number): number {
  if (isOctalMode(mode)) return parseInt(mode, 8) & PERM_BITS
  let result = current & PERM_BITS
  for (const clause of mode.split(',')) {
    const m = /^([ugoa]*)((?:[-+=][rwxXstugo]*)+)$/.exec(clause)
    if (!m) throw new Error(`bad symbolic permission for mode: ${clause}`)
    const whoText = m[1] ?? ''
    const useUmask = whoText === ''
    const who: Who[] = whoText === '' || whoText.includes('a') ? ['u', 'g', 'o'] : ([...new Set(whoText)] as Who[])
    for (const [, op, perms] of (m[2] ?? '').matchAll(/([-+=])([rwxXstugo]*)/g)) {
      for (const w of who) {
        const bits = permBits(w, perms ?? '', result, isDir, useUmask ? umask : 0)
        result = applyOperation(w, op as '-' | '+' | '=', bits, result)
      }
    }
  }
  return result
}

function permBits(who: Who, perms: string, current: number, isDir: boolean, umask: number): number {
  const allowed = ~umask & 0o777
  // X counts when the path is a directory or already executable by someone.
  const applyX = isDir || (current & EXEC_BITS) !== 0
  let bits = 0
  for (const p of perms) {
    switch (p) {
      case 'r':
      case 'w':
      case 'x':
        bits |= LETTER_BITS[who][p] & allowed
        break
      case 'X':
        if (applyX) bits |= LETTER_BITS[who].x & allowed
        break
      case 's':
      case 't':
        bits |= LETTER_BITS[who][p]
        break
      default:
        bits |= copyClass(p as Who, who, current)
    }
  }
  return bits
}

/** `g=u`: the source class's rwx bits, shifted into the target class. */
function copyClass(from: Who, to: Who, current: number): number {
  const shift: Record<Who, number> = { u: 6, g: 3, o: 0 }
  const rwx = (current >> shift[from]) & 0o7
  return rwx << shift[to]
}

function applyOperation(who: Who, op: '-' | '+' | '=', bits: number, current: number): number {
  if (op === '+') return current | bits
  if (op === '-') return current & ~bits
  return (current & ~CLASS_MASK[who] & PERM_BITS) | bits
}

/**
 * A symbolic mode chmod(1) reads the way Ansible does. Both treat an empty "who" as
 * `a` under the umask, so the text can be handed to chmod unchanged; validation lives
 * here so a bad mode fails at plan time with Ansible's message.
 */
export function checkMode(mode: string): string | undefined {
  try {
    resolveMode(mode, 0, false, 0)
    return undefined
  } catch (err) {
    return (err as Error).message
  }
}
