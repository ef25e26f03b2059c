/**
 * Owner, group and mode of one path, planned the pyinfra way: compare what the stat fact
 * read with what the task wants, and yield only the commands needed. Used by file, copy,
 * template and lineinfile.
 */
import { joinCommands, sh, type ShellCommand } from '../quote.js'
import { formatMode, resolveMode } from './mode.js'
import type { Ownership } from './read.js'
import type { PathInfo } from './stat.js'

export interface WantedAttributes {
  /** Octal ('0644') or symbolic ('u=rw,g=r'). */
  mode?: string | undefined
  owner?: string | undefined
  group?: string | undefined
}

export interface AttributeChange {
  key: 'owner' | 'group' | 'mode'
  before: string
  after: string
}

export interface AttributePlan {
  changes: AttributeChange[]
  /** The numeric mode the path ends up with, when a mode is wanted. */
  mode?: string
  /** Why the attributes cannot be set (unknown user, bad mode): the task fails at plan time, as in Ansible. */
  failed?: string
}

const NUMERIC = /^\d+$/

/**
 * What must change on an existing path; `ids` are the wanted names resolved on the host
 * (see resolveOwnership). For a path about to be created, pass `base`:
 * the permission bits it will be created with (the umask's default), so a symbolic mode
 * resolves from there and owner/group always count as set by the write itself.
 */
export function planAttributes(
  info: PathInfo,
  wanted: WantedAttributes,
  ids: Ownership,
  options: { isDir?: boolean; link?: boolean; base?: number } = {},
): AttributePlan {
  const plan: AttributePlan = { changes: [] }
  const exists = info.stat.exists && options.base === undefined
  const owner = compareId('owner', wanted.owner, ids.ownerId, info.stat.uid, info.stat.pw_name, exists)
  const group = compareId('group', wanted.group, ids.groupId, info.stat.gid, info.stat.gr_name, exists)
  for (const c of [owner, group]) {
    if (typeof c === 'string') plan.failed = c
    else if (c) plan.changes.push(c)
  }
  // A symlink's own mode cannot be set on Linux; Ansible ignores mode for links too.
  if (wanted.mode !== undefined && !options.link) {
    const current = options.base ?? info.perm
    const isDir = options.isDir ?? info.stat.isdir === true
    let resolved: number
    try {
      resolved = resolveMode(wanted.mode, current, isDir, info.umask)
    } catch (err) {
      plan.failed = `mode must be in octal or symbolic form: ${(err as Error).message}`
      return plan
    }
    plan.mode = formatMode(resolved)
    if (resolved !== current) plan.changes.push({ key: 'mode', before: exists ? formatMode(current) : '', after: plan.mode })
  }
  return plan
}

function compareId(
  key: 'owner' | 'group',
  wanted: string | undefined,
  resolved: number | null | undefined,
  currentId: number | undefined,
  currentName: string | undefined,
  exists: boolean,
): AttributeChange | string | undefined {
  if (wanted === undefined) return undefined
  if (resolved === null) return key === 'owner' ? `chown failed: failed to look up user ${wanted}` : `chgrp failed: failed to look up group ${wanted}`
  const before = currentName || String(currentId ?? '')
  if (!exists) return { key, before: '', after: wanted }
  const same = NUMERIC.test(wanted) ? Number(wanted) === currentId : resolved !== undefined ? resolved === currentId : wanted === currentName
  return same ? undefined : { key, before, after: wanted }
}

/**
 * The commands that make the changes, chown before chmod (chown clears set-id bits).
 * `-h` changes a symlink itself rather than its target.
 */
export function attributeCommands(path: string, plan: AttributePlan, info?: PathInfo): ShellCommand | undefined {
  const commands: ShellCommand[] = []
  for (const change of plan.changes) {
    if (change.key === 'owner') commands.push(sh`chown -h -- ${change.after} ${path}`)
    if (change.key === 'group') commands.push(sh`chgrp -h -- ${change.after} ${path}`)
  }
  const modeChange = plan.changes.find((c) => c.key === 'mode')
  if (modeChange) {
    commands.push(sh`chmod -- ${modeChange.after} ${path}`)
    // GNU chmod keeps a directory's set-id bits under a numeric mode; clear them explicitly.
    const after = parseInt(modeChange.after, 8)
    const perm = info?.perm ?? 0
    if (info?.stat.isdir && perm & 0o4000 && !(after & 0o4000)) commands.push(sh`chmod -- u-s ${path}`)
    if (info?.stat.isdir && perm & 0o2000 && !(after & 0o2000)) commands.push(sh`chmod -- g-s ${path}`)
  }
  return commands.length ? joinCommands(commands) : undefined
}

/** Short words for -v: "owner root -> www-data". */
export function attributeActions(plan: AttributePlan): string[] {
  return plan.changes.map((c) => (c.before ? `${c.key} ${c.before} -> ${c.after}` : `${c.key} ${c.after}`))
}

/** The before/after lines of a diff (`mode: 0644`), in a fixed key order. */
export function attributeLines(plan: AttributePlan): { before: string; after: string } {
  let before = ''
  let after = ''
  for (const c of plan.changes) {
    if (c.before) before += `${c.key}: ${c.before}\n`
    after += `${c.key}: ${c.after}\n`
  }
  return { before, after }
}
