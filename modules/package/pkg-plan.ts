/**
 * What the package backends (apt, dnf) share once they know what changes: the change list
 * as data, its diff and its -v words, and the arguments `package` hands to either backend.
 */
import type { FileDiff } from '../../engine/diff.js'
import type { ArgSpec } from '../../engine/module.js'

/** One package's version before and after the task (null: not installed). */
export interface PkgChange {
  name: string
  before: string | null
  after: string | null
}

/** Arguments every package module takes, as Ansible's `package` names them. */
export const PKG_ARGS = {
  name: {
    type: 'list',
    elements: 'str',
    aliases: ['pkg', 'package'],
    description: "Package names, optionally with a version ('nginx=1.22*', 'nginx>=1.22'), as a list or a comma-separated string.",
  },
  state: {
    type: 'str',
    choices: ['present', 'absent', 'latest', 'installed', 'removed'],
    default: 'present',
    description: "present (installed, any version), latest (the newest available), or absent; 'installed' and 'removed' are old names for present and absent.",
  },
} as const satisfies Record<string, ArgSpec>

export type PkgState = 'present' | 'absent' | 'latest'

/** Ansible still accepts the old words. */
export function normalizeState(state: string): PkgState {
  if (state === 'installed') return 'present'
  if (state === 'removed') return 'absent'
  return state === 'absent' || state === 'latest' ? state : 'present'
}

const show = (v: string | null): string => v ?? '(not installed)'

export function pkgDiff(header: string, changes: readonly PkgChange[]): FileDiff[] {
  if (changes.length === 0) return []
  const sorted = [...changes].sort((a, b) => a.name.localeCompare(b.name))
  return [
    {
      header,
      before: sorted.map((c) => `${c.name}: ${show(c.before)}\n`).join(''),
      after: sorted.map((c) => `${c.name}: ${show(c.after)}\n`).join(''),
    },
  ]
}

export function pkgActions(changes: readonly PkgChange[]): string[] {
  return changes.map((c) =>
    c.after === null ? `remove ${c.name} ${c.before ?? ''}`.trim() : c.before === null ? `install ${c.name} ${c.after}`.trim() : `upgrade ${c.name} ${c.before} -> ${c.after}`,
  )
}
