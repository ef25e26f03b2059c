/**
 * In check mode nothing is written, so a later task would plan against the unchanged host
 * (and a lineinfile on a file an earlier copy creates would fail). A module that plans a
 * change to a path therefore tells the fact cache what reading the path will give once the
 * change is made; in a real run the prediction is ignored and the path is read again.
 */
import type { PlanContext } from '../module.js'
import { MAX_DIFF_BYTES, sha1 } from './diff.js'
import { formatMode } from './mode.js'
import { pathQuery, type Ownership } from './read.js'
import { pathFact, type PathInfo, type StatResult } from './stat.js'

export interface Outcome {
  state: 'file' | 'directory' | 'link' | 'absent'
  /** A file's new bytes (unchanged content when left out). */
  content?: Buffer
  /** Permission bits after the change (unchanged, or the default for a new path, when left out). */
  perm?: number
  owner?: string | undefined
  group?: string | undefined
  ids?: Ownership
  linkTarget?: string
}

const NUMERIC = /^\d+$/

export function predictedInfo(path: string, before: PathInfo, o: Outcome): PathInfo {
  const umask = before.umask
  if (o.state === 'absent') return { stat: { exists: false, path }, state: 'absent', perm: 0, umask }
  const same = before.stat.exists && (before.state === o.state || (o.state === 'file' && before.state === 'hard'))
  const defaults = { file: 0o666 & ~umask, directory: 0o777 & ~umask, link: 0o777 }
  const perm = o.perm ?? (same ? before.perm : defaults[o.state])
  const now = Math.floor(Date.now() / 1000)
  const stat: StatResult = {
    ...(same ? before.stat : {}),
    exists: true,
    path,
    mode: formatMode(perm),
    isreg: o.state === 'file',
    isdir: o.state === 'directory',
    islnk: o.state === 'link',
    mtime: now,
    ctime: now,
  }
  if (o.owner !== undefined) {
    stat.uid = NUMERIC.test(o.owner) ? Number(o.owner) : (o.ids?.ownerId ?? undefined)
    if (!NUMERIC.test(o.owner)) stat.pw_name = o.owner
  }
  if (o.group !== undefined) {
    stat.gid = NUMERIC.test(o.group) ? Number(o.group) : (o.ids?.groupId ?? undefined)
    if (!NUMERIC.test(o.group)) stat.gr_name = o.group
  }
  const info: PathInfo = { stat, state: o.state, perm, umask }
  const content = o.content ?? (same ? before.content : o.state === 'file' ? Buffer.alloc(0) : undefined)
  if (o.state === 'file' && content) {
    stat.size = content.length
    stat.checksum = sha1(content)
    if (content.length <= MAX_DIFF_BYTES) info.content = content
    else info.contentTooBig = true
  } else if (o.state === 'file' && before.contentTooBig) {
    info.contentTooBig = true
  }
  if (o.state === 'link' && o.linkTarget !== undefined) {
    stat.lnk_target = o.linkTarget
    stat.size = Buffer.byteLength(o.linkTarget)
  }
  return info
}

/**
 * Declares the path's state after this task, under every query shape modules use.
 * For a link, `target` is what following it will read (the target as it will be).
 */
export function predictPath(ctx: PlanContext, path: string, before: PathInfo, outcome: Outcome, target?: PathInfo): void {
  if (!ctx.check) return
  const info = predictedInfo(path, before, outcome)
  for (const follow of [false, true]) {
    const value = follow && outcome.state === 'link' ? target : info
    if (value === undefined) continue
    for (const checksum of [false, true]) ctx.predict(pathFact, pathQuery(path, follow, { checksum }), value)
  }
}
