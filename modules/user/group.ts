/** group: a local group (Ansible's `group`): read with getent, changed with groupadd/groupmod/groupdel. */
import { defineModule } from '../../engine/module.js'
import { groupsFact, type GroupEntry } from '../../engine/facts/accounts.js'
import { sh, type ShellCommand } from '../../engine/quote.js'
import { accountActions, accountDiff, predictGroup, UNKNOWN_ID, type FieldChange } from './account-change.js'

const args = {
  name: { type: 'str', required: true, description: 'The group name.' },
  gid: { type: 'int', description: 'The group id.' },
  state: { type: 'str', choices: ['present', 'absent'], default: 'present', description: 'Whether the group should exist.' },
  system: { type: 'bool', default: false, description: 'Create a system group (a low gid); has no effect on an existing group.' },
  non_unique: { type: 'bool', default: false, description: 'Allow a gid another group already has (-o).' },
  force: { type: 'bool', default: false, description: "With state=absent, remove the group even when it is a user's primary group (groupdel -f)." },
} as const

export interface GroupDecision {
  command?: string[]
  changes: FieldChange[]
}

/** Ansible's group rules: create with groupadd, change only the gid, delete with groupdel. Pure, for tests. */
export function decideGroup(current: GroupEntry | undefined, a: { name: string; gid?: number | undefined; state: string; system: boolean; non_unique: boolean; force: boolean }): GroupDecision {
  const o = a.non_unique ? ['-o'] : []
  if (a.state === 'absent') return current ? { command: ['groupdel', ...(a.force ? ['-f'] : []), '--', a.name], changes: [] } : { changes: [] }
  if (!current) {
    const gid = a.gid !== undefined ? ['-g', String(a.gid), ...o] : []
    return { command: ['groupadd', ...gid, ...(a.system ? ['-r'] : []), '--', a.name], changes: a.gid !== undefined ? [{ key: 'gid', after: String(a.gid) }] : [] }
  }
  if (a.gid !== undefined && current.gid !== a.gid) {
    return { command: ['groupmod', '-g', String(a.gid), ...o, '--', a.name], changes: [{ key: 'gid', before: String(current.gid), after: String(a.gid) }] }
  }
  return { changes: [] }
}

export default defineModule({
  name: 'group',
  description: 'Creates, changes (gid) or removes a local group (groupadd/groupmod/groupdel).',
  args,
  async plan(ctx, a) {
    const groups = await ctx.fact(groupsFact, '')
    const current = groups.find((g) => g.name === a.name)
    const d = decideGroup(current, a)
    const removing = a.state === 'absent' && current !== undefined
    const gid = a.gid ?? current?.gid
    const result = { name: a.name, state: a.state, ...(a.state === 'present' ? { system: a.system, ...(gid !== undefined ? { gid } : {}) } : {}) }
    if (!d.command) return { changed: false, result }
    const [program = '', ...words] = d.command
    const command: ShellCommand = sh`${program} ${words}`
    predictGroup(ctx, groups, a.name, removing ? null : { name: a.name, gid: gid ?? UNKNOWN_ID, members: current?.members ?? [] })
    return {
      changed: true,
      actions: accountActions('group', a.name, current !== undefined, d.changes, removing),
      diff: accountDiff(`group ${a.name}`, current !== undefined, d.changes, removing),
      result,
      commands: [command],
      data: command,
    }
  },
  async apply(ctx, a, command) {
    await ctx.run(command)
    if (a.state === 'absent') return {}
    const entry = (await ctx.fact(groupsFact, '')).find((g) => g.name === a.name)
    return entry ? { gid: entry.gid } : {}
  },
})
