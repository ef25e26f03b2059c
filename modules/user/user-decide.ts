/**
 * The `user` module's decisions as pure functions of what getent read, with the rules of
 * Ansible's user module: which useradd/usermod/userdel options a task needs, how group
 * lists compare (append or exact), and when the password hash differs. The password never
 * appears in these words: it goes to `chpasswd -e` on stdin.
 */
import { findGroup, type GroupEntry, type UserEntry } from '../../engine/facts/accounts.js'
import type { FieldChange } from './account-change.js'

export interface UserArgs {
  name: string
  state: 'present' | 'absent'
  uid?: number | undefined
  group?: string | undefined
  groups?: string[] | undefined
  append: boolean
  shell?: string | undefined
  home?: string | undefined
  create_home: boolean
  move_home: boolean
  system: boolean
  comment?: string | undefined
  password?: string | undefined
  update_password: 'always' | 'on_create'
  remove: boolean
  force: boolean
  non_unique: boolean
}

export interface UserDecision {
  /** useradd / usermod / userdel and its options (the name last), or undefined when none is needed. */
  command?: string[]
  /** Set the password hash with chpasswd -e. */
  setPassword: boolean
  /** Create the home directory afterwards (an existing user whose home is missing). */
  createHome?: string
  changes: FieldChange[]
  failed?: string
}

/** Groups the user is a member of (by the groups' member lists, the primary group included when listed). */
export function memberships(groups: readonly GroupEntry[], name: string): string[] {
  return groups.filter((g) => g.members.includes(name)).map((g) => g.name)
}

const sameHash = (a: string | null, b: string): boolean => a !== null && a.replace(/^!+/, '') === b.replace(/^!+/, '')

export function decideUser(current: UserEntry | null, groups: readonly GroupEntry[], a: UserArgs, homeExists: boolean): UserDecision {
  const d: UserDecision = { setPassword: false, changes: [] }
  if (a.state === 'absent') {
    if (current) d.command = ['userdel', ...(a.force ? ['-f'] : []), ...(a.remove ? ['-r'] : []), '--', a.name]
    return d
  }
  const primary = a.group !== undefined ? findGroup(groups, a.group) : undefined
  if (a.group !== undefined && !primary) return { ...d, failed: `Group ${a.group} does not exist` }
  const wanted: string[] = []
  for (const g of a.groups ?? []) {
    const entry = findGroup(groups, g.trim())
    if (!entry) return { ...d, failed: `Group ${g} does not exist` }
    if (!wanted.includes(entry.name)) wanted.push(entry.name)
  }
  const change = (key: string, after: string, before?: string): void => {
    d.changes.push(before === undefined ? { key, after } : { key, before, after })
  }

  if (!current) {
    const words = ['useradd']
    if (a.uid !== undefined) words.push('-u', String(a.uid), ...(a.non_unique ? ['-o'] : []))
    if (primary) words.push('-g', a.group ?? '')
    // A group named like the user already exists: -N stops useradd from failing to create it.
    else if (findGroup(groups, a.name)) words.push('-N')
    if (wanted.length) words.push('-G', wanted.join(','))
    if (a.comment !== undefined) words.push('-c', a.comment)
    if (a.home !== undefined) words.push('-d', a.home)
    if (a.shell !== undefined) words.push('-s', a.shell)
    words.push(a.create_home ? '-m' : '-M')
    if (a.system) words.push('-r')
    d.command = [...words, '--', a.name]
    d.setPassword = a.password !== undefined
    for (const [key, value] of [['uid', a.uid], ['group', a.group], ['groups', wanted.length ? wanted.join(',') : undefined], ['comment', a.comment], ['home', a.home], ['shell', a.shell]] as const) {
      if (value !== undefined) change(key, String(value))
    }
    if (a.password !== undefined) change('password', '(set)')
    return d
  }

  const words: string[] = []
  if (a.uid !== undefined && current.uid !== a.uid) {
    words.push('-u', String(a.uid), ...(a.non_unique ? ['-o'] : []))
    change('uid', String(a.uid), String(current.uid))
  }
  if (primary && primary.gid !== current.gid) {
    words.push('-g', String(primary.gid))
    change('group', primary.name, groups.find((g) => g.gid === current.gid)?.name ?? String(current.gid))
  }
  if (a.groups !== undefined) {
    const have = memberships(groups, a.name)
    const differ = have.length !== wanted.length || have.some((g) => !wanted.includes(g))
    const missing = wanted.some((g) => !have.includes(g))
    if (a.append ? missing : differ) {
      words.push(...(a.append ? ['-a'] : []), '-G', wanted.join(','))
      const after = a.append ? [...have, ...wanted.filter((g) => !have.includes(g))] : wanted
      change('groups', after.join(','), have.join(','))
    }
  }
  if (a.comment !== undefined && current.comment !== a.comment) {
    words.push('-c', a.comment)
    change('comment', a.comment, current.comment)
  }
  if (a.home !== undefined && current.home !== a.home) {
    words.push('-d', a.home, ...(a.move_home ? ['-m'] : []))
    change('home', a.home, current.home)
  }
  if (a.shell !== undefined && current.shell !== a.shell) {
    words.push('-s', a.shell)
    change('shell', a.shell, current.shell)
  }
  if (words.length) d.command = ['usermod', ...words, '--', a.name]
  if (a.password !== undefined && a.update_password === 'always' && !sameHash(current.password, a.password)) {
    d.setPassword = true
    change('password', '(changed)', '(hidden)')
  }
  const home = a.home ?? current.home
  // Ansible creates a missing home of an existing user (unless create_home is off).
  if (a.create_home && !homeExists && !(a.home !== undefined && a.move_home && current.home !== a.home)) {
    d.createHome = home
    change('home directory', 'created', 'missing')
  }
  return d
}
