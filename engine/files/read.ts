/**
 * How modules read a path. Every module asks with the same query shape, so the fact cache
 * (and, in check mode, a prediction one task makes for the next: a lineinfile on the file a
 * copy would create) is shared across modules. Owner and group names are resolved by facts
 * of their own, read in parallel with the path: still about one round trip.
 */
import type { PlanContext } from '../module.js'
import { defineFact } from '../module.js'
import { sh } from '../quote.js'
import { MAX_DIFF_BYTES } from './diff.js'
import { pathFact, pathResultFields, type PathInfo, type PathQuery } from './stat.js'

/** The query every module makes for a path (content included when small enough to diff). */
export function pathQuery(path: string, follow: boolean, options: { checksum?: boolean } = {}): PathQuery {
  return { path, follow, contentMax: MAX_DIFF_BYTES, ...(options.checksum ? { checksum: 'sha1' as const } : {}) }
}

export function readPath(ctx: PlanContext, path: string, follow: boolean, options: { checksum?: boolean } = {}): Promise<PathInfo> {
  return ctx.fact(pathFact, pathQuery(path, follow, options))
}

export interface IdQuery {
  kind: 'user' | 'group'
  name: string
}

/** A user's or group's numeric id on the host; null when the host does not know the name. */
export const idFact = defineFact<number | null, IdQuery>({
  name: 'id',
  command: ({ kind, name }) =>
    kind === 'user'
      ? sh`id -u -- ${name} 2>/dev/null || :`
      : sh`{ getent group ${name} || awk -F: -v g=${name} '$1 == g { print; exit }' /etc/group; } 2>/dev/null | head -n 1 | cut -d: -f3`,
  parse: (result) => {
    const text = result.stdout.trim()
    return /^\d+$/.test(text) ? Number(text) : null
  },
})

export interface Ownership {
  /** The wanted owner's uid (undefined: none wanted, or given as a number). */
  ownerId?: number | null
  groupId?: number | null
}

const NUMERIC = /^\d+$/

/** Resolves the wanted owner/group names (numbers need no lookup). */
export async function resolveOwnership(ctx: PlanContext, wanted: { owner?: string | undefined; group?: string | undefined }): Promise<Ownership> {
  const lookup = (kind: 'user' | 'group', name: string | undefined): Promise<number | null | undefined> =>
    name === undefined || NUMERIC.test(name) ? Promise.resolve(undefined) : ctx.fact(idFact, { kind, name })
  const [ownerId, groupId] = await Promise.all([lookup('user', wanted.owner), lookup('group', wanted.group)])
  return { ...(ownerId !== undefined ? { ownerId } : {}), ...(groupId !== undefined ? { groupId } : {}) }
}

/** The path and the ids of the wanted owner and group, read concurrently. */
export async function readPathFor(
  ctx: PlanContext,
  path: string,
  follow: boolean,
  wanted: { owner?: string | undefined; group?: string | undefined },
  options: { checksum?: boolean } = {},
): Promise<[PathInfo, Ownership]> {
  return Promise.all([readPath(ctx, path, follow, options), resolveOwnership(ctx, wanted)])
}

/**
 * The path's owner, mode, type and size as Ansible's add_path_info adds them to a module's
 * result: nothing when the path does not exist, a broken symlink included (os.path.exists
 * follows links), else from lstat.
 */
export async function pathResult(ctx: PlanContext, path: string): Promise<Record<string, unknown>> {
  const info = await readPath(ctx, path, false)
  if (!info.stat.exists) return {}
  if (info.state === 'link' && !(await readPath(ctx, path, true)).stat.exists) return {}
  return pathResultFields(info)
}
