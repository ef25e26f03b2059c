/**
 * What `user` and `group` share: a change list as data (one line per field in the diff,
 * as the file module shows `mode: 0644`), and the check-mode predictions that let later
 * tasks see an account an earlier task would create (a `file: owner=app` after
 * `user: name=app`, a `user: group=app` after `group: name=app`).
 */
import type { FileDiff } from '../../engine/diff.js'
import { groupsFact, userFact, type GroupEntry, type UserEntry } from '../../engine/facts/accounts.js'
import { idFact } from '../../engine/files/read.js'
import type { PlanContext } from '../../engine/module.js'

export interface FieldChange {
  key: string
  /** Undefined when the account does not exist yet. */
  before?: string
  after: string
}

/** Stands for an id the host will choose (useradd/groupadd picking the next free one) in predictions. */
export const UNKNOWN_ID = -1

export function accountDiff(header: string, exists: boolean, changes: readonly FieldChange[], removing: boolean): FileDiff[] {
  if (exists && !removing && changes.length === 0) return []
  const line = (k: string, v: string): string => `${k}: ${v}\n`
  const before = exists ? `state: present\n${changes.map((c) => (c.before !== undefined ? line(c.key, c.before) : '')).join('')}` : 'state: absent\n'
  const after = removing ? 'state: absent\n' : `state: present\n${changes.map((c) => line(c.key, c.after)).join('')}`
  return [{ header, before, after }]
}

export function accountActions(kind: 'user' | 'group', name: string, exists: boolean, changes: readonly FieldChange[], removing: boolean): string[] {
  if (removing) return [`remove ${kind} ${name}`]
  if (!exists) return [`create ${kind} ${name}`]
  return changes.map((c) => `${kind} ${name}: ${c.key} ${c.before ?? ''} -> ${c.after}`)
}

/** The group database after a group is created, changed or removed. */
export function predictGroup(ctx: PlanContext, groups: readonly GroupEntry[], name: string, after: GroupEntry | null): void {
  const rest = groups.filter((g) => g.name !== name)
  ctx.predict(groupsFact, '', after ? [...rest, after] : rest)
  ctx.predict(idFact, { kind: 'group', name }, after ? after.gid : null)
}

export interface UserPrediction {
  /** The groups the user will be a member of (undefined: unchanged). */
  memberOf?: readonly string[] | undefined
  /** A group the task creates with the user (useradd's user group). */
  addGroup?: GroupEntry | undefined
  /** A group that goes with the user (userdel removes the user's own group). */
  dropGroup?: string | undefined
}

/** The user, its id, and its group memberships after the task. */
export function predictUser(ctx: PlanContext, groups: readonly GroupEntry[], name: string, after: UserEntry | null, p: UserPrediction = {}): void {
  ctx.predict(userFact, name, after)
  ctx.predict(idFact, { kind: 'user', name }, after ? after.uid : null)
  let db = groups.filter((g) => g.name !== p.dropGroup).map((g) => ({ ...g, members: [...g.members] }))
  if (p.dropGroup !== undefined) ctx.predict(idFact, { kind: 'group', name: p.dropGroup }, null)
  if (p.addGroup && !db.some((g) => g.name === p.addGroup?.name)) {
    db.push(p.addGroup)
    ctx.predict(idFact, { kind: 'group', name: p.addGroup.name }, p.addGroup.gid)
  }
  if (p.memberOf !== undefined || after === null) {
    db = db.map((g) => {
      const others = g.members.filter((m) => m !== name)
      return { ...g, members: after && p.memberOf?.includes(g.name) ? [...others, name] : others }
    })
  }
  ctx.predict(groupsFact, '', db)
}
