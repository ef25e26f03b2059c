/**
 * user: a local account (Ansible's `user`): read with getent in one round trip, changed
 * with useradd/usermod/userdel. A password hash goes to `chpasswd -e` on stdin, never on
 * a command line.
 */
import { defineModule } from '../../engine/module.js'
import { groupsFact, userFact, type UserEntry } from '../../engine/facts/accounts.js'
import { readPath } from '../../engine/files/read.js'
import { sh, type ShellCommand } from '../../engine/quote.js'
import { accountActions, accountDiff, predictUser, UNKNOWN_ID } from './account-change.js'
import { decideUser, memberships, type UserArgs, type UserDecision } from './user-decide.js'

const args = {
  name: { type: 'str', required: true, aliases: ['user'], description: 'The user name.' },
  state: { type: 'str', choices: ['present', 'absent'], default: 'present', description: 'Whether the account should exist.' },
  uid: { type: 'int', description: 'The user id.' },
  group: { type: 'str', description: 'The primary group (name or gid); it must exist.' },
  groups: { type: 'list', elements: 'str', description: 'Supplementary groups; with append=false the user ends up in exactly these ([] removes all).' },
  append: { type: 'bool', default: false, description: 'Add the groups to those the user has instead of replacing them.' },
  shell: { type: 'str', description: "The login shell, e.g. '/usr/sbin/nologin'." },
  home: { type: 'path', description: 'The home directory.' },
  create_home: { type: 'bool', default: true, aliases: ['createhome'], description: 'Create the home directory when the user is created (or when it is missing).' },
  move_home: { type: 'bool', default: false, description: 'When home changes, move the old home directory there.' },
  system: { type: 'bool', default: false, description: 'Create a system account (a low uid); has no effect on an existing user.' },
  comment: { type: 'str', description: 'The GECOS field (full name).' },
  password: { type: 'str', secret: true, description: "The password as a crypt hash ('$6$...'), as in /etc/shadow; never a clear-text password." },
  update_password: { type: 'str', choices: ['always', 'on_create'], default: 'always', description: 'always: set the hash when it differs; on_create: only for a new user.' },
  remove: { type: 'bool', default: false, description: 'With state=absent, remove the home directory and mail spool too (userdel -r).' },
  force: { type: 'bool', default: false, description: 'With state=absent, remove the user even while logged in (userdel -f).' },
  non_unique: { type: 'bool', default: false, description: 'Allow a uid another user already has (-o).' },
} as const

/** One command apply runs, in order; chpasswd reads the password hash on stdin, never on its command line. */
interface Step {
  command: ShellCommand
  stdin?: string
}

function resultOf(entry: UserEntry | null, a: UserArgs): Record<string, unknown> {
  const base: Record<string, unknown> = { name: a.name, state: a.state }
  if (a.password !== undefined) base['password'] = 'NOT_LOGGING_PASSWORD'
  if (a.state === 'absent') return { ...base, force: a.force, remove: a.remove }
  if (!entry) return { ...base, system: a.system, create_home: a.create_home }
  return { ...base, uid: entry.uid, group: entry.gid, comment: entry.comment, home: entry.home, shell: entry.shell, ...(a.groups ? { groups: a.groups.join(',') } : {}) }
}

/** The commands a decision takes, in the order they must run. */
function userSteps(a: UserArgs, decision: UserDecision): Step[] {
  const steps: Step[] = []
  if (decision.command) {
    const [program = '', ...words] = decision.command
    // A home whose parent is missing: useradd cannot create it, so the parent comes first (as in Ansible).
    if (program === 'useradd' && a.create_home && a.home !== undefined) steps.push({ command: sh`mkdir -p -- "$(dirname -- ${a.home})"` })
    steps.push({ command: sh`${program} ${words}` })
  }
  if (decision.setPassword && a.password !== undefined) steps.push({ command: sh`chpasswd -e`, stdin: `${a.name}:${a.password}\n` })
  if (decision.createHome !== undefined) {
    const home = decision.createHome
    steps.push({ command: sh`if command -v mkhomedir_helper >/dev/null 2>&1; then mkhomedir_helper ${a.name}; else mkdir -p -- ${home} && cp -a /etc/skel/. ${home} && chown -R -- ${a.name}: ${home}; fi` })
  }
  return steps
}

export default defineModule({
  name: 'user',
  description: 'Creates, changes or removes a local user account (useradd/usermod/userdel).',
  args,
  async plan(ctx, a) {
    const [current, groups] = await Promise.all([ctx.fact(userFact, a.name), ctx.fact(groupsFact, '')])
    const home = a.home ?? current?.home
    // The home that counts is the wanted one when it differs from the current one.
    const homeExists = home === undefined || home === current?.home ? current?.homeExists === true : (await readPath(ctx, home, true)).stat.exists
    const decision = decideUser(current, groups, a, homeExists)
    if (decision.failed) return { changed: false, failed: decision.failed, result: resultOf(current, a) }
    const changed = decision.command !== undefined || decision.setPassword || decision.createHome !== undefined
    const removing = a.state === 'absent' && current !== null
    if (changed) {
      const primary = a.group !== undefined ? groups.find((g) => g.name === a.group || String(g.gid) === a.group) : undefined
      const ownGroup = !current && !primary && !groups.some((g) => g.name === a.name) ? { name: a.name, gid: UNKNOWN_ID, members: [] } : undefined
      const after: UserEntry | null = removing
        ? null
        : {
            name: a.name,
            uid: a.uid ?? current?.uid ?? UNKNOWN_ID,
            gid: primary?.gid ?? current?.gid ?? UNKNOWN_ID,
            comment: a.comment ?? current?.comment ?? '',
            home: home ?? `/home/${a.name}`,
            shell: a.shell ?? current?.shell ?? '/bin/sh',
            password: a.password ?? current?.password ?? '!',
            homeExists: a.create_home || homeExists,
          }
      const memberOf = a.groups === undefined ? undefined : a.append ? [...memberships(groups, a.name), ...a.groups] : a.groups
      // userdel also removes the user's own group (same name, its primary group, no other members), as USERGROUPS_ENAB does by default.
      const own = removing ? groups.find((g) => g.name === a.name && g.gid === current?.gid && g.members.every((m) => m === a.name)) : undefined
      predictUser(ctx, groups, a.name, after, { memberOf, addGroup: ownGroup, dropGroup: own?.name })
    }
    const steps = userSteps(a, decision)
    return {
      changed,
      actions: changed ? accountActions('user', a.name, current !== null, decision.changes, removing) : [],
      diff: changed ? accountDiff(`user ${a.name}`, current !== null, decision.changes, removing) : [],
      result: resultOf(current, a),
      commands: steps.map((s) => s.command),
      data: steps,
    }
  },
  async apply(ctx, a, steps) {
    for (const { command, stdin } of steps) await ctx.run(command, stdin !== undefined ? { stdin } : {})
    if (a.state === 'absent') return resultOf(null, a)
    return resultOf(await ctx.fact(userFact, a.name), a)
  },
})
