/**
 * `file: state=directory recurse=yes`: owner, group and mode for everything below a
 * directory. One probe lists every entry's mode and owner (no names needed: plan only
 * has to know whether anything differs), then apply runs chown/chgrp/chmod -R.
 * Symlinks inside the tree are neither followed nor compared (chmod cannot set a link's mode).
 */
import type { PlanContext } from '../../engine/module.js'
import { sh } from '../../engine/quote.js'
import { resolveMode } from '../../engine/files/mode.js'
import type { Ownership } from '../../engine/files/read.js'
import type { PathInfo } from '../../engine/files/stat.js'
import type { FileArgs, StatePlan } from './file-plan.js'

export interface TreeEntry {
  perm: number
  isDir: boolean
  uid: number
  gid: number
  user: string
  group: string
}

/** `%f %u %g %U %G` lines -> entries; exported for unit tests. */
export function parseTree(stdout: string): TreeEntry[] {
  return stdout
    .split('\n')
    .filter((l) => l !== '')
    .map((line) => {
      const [hex = '0', uid, gid, user = '', group = ''] = line.split(' ')
      const raw = parseInt(hex, 16)
      return { perm: raw & 0o7777, isDir: (raw & 0o170000) === 0o040000, uid: Number(uid), gid: Number(gid), user, group }
    })
}

/** Which of owner/group/mode some entry below the directory does not have yet. */
export function treeDifferences(entries: readonly TreeEntry[], a: FileArgs, top: PathInfo, ids: Ownership): Set<'owner' | 'group' | 'mode'> {
  const differs = new Set<'owner' | 'group' | 'mode'>()
  const sameId = (wanted: string, resolved: number | null | undefined, id: number, name: string): boolean =>
    /^\d+$/.test(wanted) ? Number(wanted) === id : typeof resolved === 'number' ? resolved === id : wanted === name
  for (const e of entries) {
    if (a.owner !== undefined && !sameId(a.owner, ids.ownerId, e.uid, e.user)) differs.add('owner')
    if (a.group !== undefined && !sameId(a.group, ids.groupId, e.gid, e.group)) differs.add('group')
    if (a.mode !== undefined && resolveMode(a.mode, e.perm, e.isDir, top.umask) !== e.perm) differs.add('mode')
  }
  return differs
}

export async function planRecurse(ctx: PlanContext, plan: StatePlan, path: string, a: FileArgs, top: PathInfo, ids: Ownership): Promise<void> {
  if (a.owner === undefined && a.group === undefined && a.mode === undefined) return
  // find takes a leading-dash path for an option; ./ keeps it a path.
  const start = path.startsWith('-') ? `./${path}` : path
  const res = await ctx.read(sh`find ${start} -mindepth 1 ! -type l -exec stat -c '%f %u %g %U %G' {} +`, { failure: (out) => `cannot list ${path}: ${out.stderr.trim()}` })
  const entries = parseTree(res.stdout)
  const differs = treeDifferences(entries, a, top, ids)
  if (differs.size === 0) return
  if (differs.has('owner') && a.owner !== undefined) plan.commands.push(sh`chown -R -h -- ${a.owner} ${start}`)
  if (differs.has('group') && a.group !== undefined) plan.commands.push(sh`chgrp -R -h -- ${a.group} ${start}`)
  if (differs.has('mode') && a.mode !== undefined) plan.commands.push(sh`chmod -R -- ${a.mode} ${start}`)
  const what = [...differs].join(', ')
  plan.actions.push(`set ${what} recursively under ${path}`)
  plan.before['recurse'] = `${what} differ below ${path}`
  plan.after['recurse'] = `${what} set on everything below ${path}`
}
