/**
 * The `mount` module's decisions as pure functions, with ansible.posix.mount's rules:
 * how an fstab line is matched (by mount point, by source for swap) and rewritten
 * (`src name fstype opts dump passno`, spaces escaped as \040), and which of
 * mkdir/mount/remount/umount/rmdir each state needs.
 */

export interface FstabEntry {
  name: string
  src: string
  fstype: string
  opts: string
  dump: string
  passno: string
}

/** Ansible's _escape_fstab: backslash, space and ampersand as octal escapes. */
export function escapeFstab(value: string): string {
  return value.replaceAll('\\', '\\134').replaceAll(' ', '\\040').replaceAll('&', '\\046')
}

function lines(content: string): string[] {
  if (content === '') return []
  const out = content.split('\n').map((l) => `${l}\n`)
  if (content.endsWith('\n')) out.pop()
  return out
}

const isSwapOf = (fields: readonly string[], e: FstabEntry): boolean => fields[1] === 'none' && fields[2] === 'swap' && fields[0] !== e.src

/** The fstab with this entry in place: a matching line updated, or a new line appended. */
export function setMount(content: string, entry: FstabEntry): { content: string; changed: boolean } {
  const e: FstabEntry = { ...entry }
  for (const key of Object.keys(e) as (keyof FstabEntry)[]) e[key] = escapeFstab(e[key])
  let changed = false
  let exists = false
  const out: string[] = []
  for (const line of lines(content)) {
    const fields = (line.split('#')[0] ?? '').trim().split(/\s+/).filter((f) => f !== '')
    if (line.trim() === '' || line.trim().startsWith('#') || fields.length < 4 || fields.length > 6 || fields[1] !== e.name || isSwapOf(fields, e)) {
      out.push(line)
      continue
    }
    exists = true
    const [src = '', name = '', fstype = '', opts = '', dump, passno] = fields
    // Missing dump/passno fields never equal the wanted ones: Ansible then writes all six.
    if (src !== e.src || fstype !== e.fstype || opts !== e.opts || dump !== e.dump || passno !== e.passno) {
      changed = true
      out.push(`${e.src} ${name} ${e.fstype} ${e.opts} ${e.dump} ${e.passno}\n`)
    } else out.push(line)
  }
  if (!exists) {
    out.push(`${e.src} ${e.name} ${e.fstype} ${e.opts} ${e.dump} ${e.passno}\n`)
    changed = true
  }
  return { content: out.join(''), changed }
}

/** The fstab without this mount point's six-field lines (Ansible leaves shorter lines alone). */
export function unsetMount(content: string, name: string, src?: string): { content: string; changed: boolean } {
  const escaped = escapeFstab(name)
  let changed = false
  const out: string[] = []
  for (const line of lines(content)) {
    const fields = line.trim().split(/\s+/)
    const match = !line.trim().startsWith('#') && fields.length === 6 && fields[1] === escaped && !(src !== undefined && fields[1] === 'none' && fields[2] === 'swap' && fields[0] !== src)
    if (match) changed = true
    else out.push(line)
  }
  return { content: out.join(''), changed }
}

export type MountState = 'mounted' | 'present' | 'unmounted' | 'absent' | 'absent_from_fstab' | 'remounted'

export interface MountDecision {
  /** The new fstab, when it changes. */
  fstab?: string
  mkdir: boolean
  op: 'mount' | 'remount' | 'umount' | 'none'
  rmdir: boolean
  changed: boolean
}

export function decideMount(state: MountState, entry: FstabEntry, fstab: string, mounted: boolean, pathExists: boolean, src?: string): MountDecision {
  const d: MountDecision = { mkdir: false, op: 'none', rmdir: false, changed: false }
  if (state === 'absent' || state === 'absent_from_fstab') {
    const unset = unsetMount(fstab, entry.name, src)
    if (!unset.changed) return d
    // As Ansible: unmount and remove the mount point only when the fstab had the entry.
    return { ...d, fstab: unset.content, changed: true, op: state === 'absent' && mounted ? 'umount' : 'none', rmdir: state === 'absent' && pathExists }
  }
  if (state === 'unmounted') return mounted ? { ...d, op: 'umount', changed: true } : d
  if (state === 'remounted') return { ...d, op: 'remount', changed: true }
  const set = setMount(fstab, entry)
  const withFstab = set.changed ? { fstab: set.content, changed: true } : {}
  if (state === 'present') return { ...d, ...withFstab }
  if (mounted) return { ...d, ...withFstab, op: set.changed ? 'remount' : 'none' }
  return { ...d, ...withFstab, mkdir: !pathExists, op: 'mount', changed: true }
}
