/**
 * user and group: getent read as printed, the useradd/usermod/userdel words Ansible's
 * rules call for, the password kept off every command line, and check-mode predictions
 * that let `group` -> `user` -> `file owner=` plan through on a host where none exists yet.
 */
import { describe, expect, it } from 'vitest'
import { parseGroups, parseUserOutput, type GroupEntry, type UserEntry } from '../../../engine/facts/accounts.js'
import { decideUser, type UserArgs } from '../../../modules/user/user-decide.js'
import { decideGroup } from '../../../modules/user/group.js'
import { ABSENT, FakeHost, fixture, runTask, runTasks, type Reply } from '../../helpers/fake-host.js'

const HASH = '$6$salt$Q0nOWTh4OjYvEJO8N0yXKk0l9wrwv8p8nqyuGm8J0BC7xZSo2BXHbHXcmUtXG7KWqGr3ZqZI0Z7Kq6sQkR9jR/'
const groups = parseGroups(fixture('getent-group.txt'))
const refapp: UserEntry = { name: 'refapp', uid: 999, gid: 997, comment: '', home: '/var/lib/refapp', shell: '/usr/sbin/nologin', password: '!', homeExists: false }
const args = (a: Partial<UserArgs>): UserArgs => ({ name: 'refapp', state: 'present', append: false, create_home: true, move_home: false, system: false, update_password: 'always', remove: false, force: false, non_unique: false, ...a })

describe('accounts as getent prints them', () => {
  it('reads the group database with members', () => {
    expect(groups.find((g) => g.name === 'refapp')).toEqual({ name: 'refapp', gid: 997, members: ['alice'] })
    expect(groups.find((g) => g.name === 'sudo')).toMatchObject({ gid: 27, members: [] })
  })

  it('reads a user with its shadow hash and whether its home exists', () => {
    const out = `passwd alice:x:1000:1000:Alice:/home/alice:/bin/sh\nshadow alice:${HASH}:20784:0:99999:7:::\nhome\n`
    expect(parseUserOutput(out, 'alice')).toEqual({ name: 'alice', uid: 1000, gid: 1000, comment: 'Alice', home: '/home/alice', shell: '/bin/sh', password: HASH, homeExists: true })
    expect(parseUserOutput('', 'nobody2')).toBeNull()
    // getent answers a number with the user of that uid: that is not the user asked for.
    expect(parseUserOutput('passwd root:x:0:0:root:/root:/bin/bash\n', '0')).toBeNull()
  })
})

describe("user decides with Ansible's rules", () => {
  const cases: [string, UserEntry | null, Partial<UserArgs>, string[] | undefined][] = [
    ['a new system user in an existing group, no home', null, { group: 'refapp', system: true, shell: '/usr/sbin/nologin', home: '/var/lib/refapp', create_home: false }, ['useradd', '-g', 'refapp', '-d', '/var/lib/refapp', '-s', '/usr/sbin/nologin', '-M', '-r', '--', 'refapp']],
    ['a new user whose group of the same name exists (-N)', null, {}, ['useradd', '-N', '-m', '--', 'refapp']],
    ['the same user again', refapp, { group: 'refapp', system: true, shell: '/usr/sbin/nologin', home: '/var/lib/refapp', create_home: false }, undefined],
    ['a new shell and comment', refapp, { shell: '/bin/bash', comment: 'App', create_home: false }, ['usermod', '-c', 'App', '-s', '/bin/bash', '--', 'refapp']],
    ['exact groups', refapp, { groups: ['sudo'], create_home: false }, ['usermod', '-G', 'sudo', '--', 'refapp']],
    ['removal, with home', refapp, { state: 'absent', remove: true }, ['userdel', '-r', '--', 'refapp']],
    ['removal of a user that is not there', null, { state: 'absent' }, undefined],
  ]
  it.each(cases)('%s', (_what, current, a, command) => {
    const d = decideUser(current, groups, args(a), true)
    expect(d.failed).toBeUndefined()
    expect(d.command).toEqual(command)
  })

  it('appends groups only when one is missing', () => {
    const alice: UserEntry = { ...refapp, name: 'alice', uid: 1000, gid: 1000 }
    expect(decideUser(alice, groups, args({ name: 'alice', groups: ['refapp'], append: true }), true).command).toBeUndefined()
    expect(decideUser(alice, groups, args({ name: 'alice', groups: ['sudo'], append: true }), true).command).toEqual(['usermod', '-a', '-G', 'sudo', '--', 'alice'])
    expect(decideUser(alice, groups, args({ name: 'alice', groups: [] }), true).command).toEqual(['usermod', '-G', '', '--', 'alice'])
  })

  it('compares the password hash, a leading ! (locked) aside, and never puts it in the words', () => {
    const withHash = { ...refapp, password: `!${HASH}` }
    expect(decideUser(withHash, groups, args({ password: HASH, create_home: false }), true).setPassword).toBe(false)
    const d = decideUser(refapp, groups, args({ password: HASH, create_home: false }), true)
    expect(d.setPassword).toBe(true)
    expect(JSON.stringify(d)).not.toContain(HASH)
    expect(decideUser(refapp, groups, args({ password: HASH, update_password: 'on_create', create_home: false }), true).setPassword).toBe(false)
  })

  it('fails on a group that does not exist, as Ansible says it', () => {
    expect(decideUser(null, groups, args({ group: 'nosuch' }), true).failed).toBe('Group nosuch does not exist')
    expect(decideUser(refapp, groups, args({ groups: ['sudo', 'nosuch'] }), true).failed).toBe('Group nosuch does not exist')
  })

  it('creates the missing home of an existing user, unless create_home is off', () => {
    expect(decideUser(refapp, groups, args({}), false).createHome).toBe('/var/lib/refapp')
    expect(decideUser(refapp, groups, args({ create_home: false }), false).createHome).toBeUndefined()
  })
})

describe("group decides with Ansible's rules", () => {
  const base = { name: 'app', state: 'present', system: false, non_unique: false, force: false }
  const app: GroupEntry = { name: 'app', gid: 1500, members: [] }
  it.each([
    ['a new system group', undefined, { ...base, system: true }, ['groupadd', '-r', '--', 'app']],
    ['a new group with a gid', undefined, { ...base, gid: 1500 }, ['groupadd', '-g', '1500', '--', 'app']],
    ['the same group', app, { ...base, gid: 1500 }, undefined],
    ['another gid', app, { ...base, gid: 1600 }, ['groupmod', '-g', '1600', '--', 'app']],
    ['removal', app, { ...base, state: 'absent' }, ['groupdel', '--', 'app']],
  ] as const)('%s', (_what, current, a, command) => {
    expect(decideGroup(current, a).command).toEqual(command)
  })
})

/** A host with the captured group database, where `users` exist (with no shadow access needed). */
function accountsHost(users: Record<string, string> = {}): FakeHost {
  return new FakeHost([
    [/^getent group$/, { stdout: fixture('getent-group.txt') }],
    [/^n=(\S+)\ngetent|^n=\S+\nif e=/, (text): Reply => {
      const name = /^n=(\S+)/.exec(text)?.[1] ?? ''
      return users[name] !== undefined ? { stdout: users[name] } : {}
    }],
    [/id -u -- (\S+)/, (text): Reply => {
      const name = /id -u -- (\S+)/.exec(text)?.[1] ?? ''
      return users[name] !== undefined ? { stdout: `${/passwd [^:]+:[^:]*:(\d+)/.exec(users[name] ?? '')?.[1] ?? ''}\n` } : {}
    }],
    [/getent group (\S+)/, (text): Reply => ({ stdout: `${groups.find((g) => g.name === /getent group (\S+)/.exec(text)?.[1])?.gid ?? ''}\n` })],
    [/p=/, ABSENT],
    // Adding a user and setting its password succeed.
    [/^useradd |^chpasswd -e$/, {}],
  ])
}

describe('the user and group modules on a scripted host', () => {
  it('sets a password with chpasswd -e on stdin, never on a command line', async () => {
    const host = accountsHost()
    const r = await runTask(host, 'user', { name: 'bob', password: HASH, create_home: false })
    expect(r.status).toBe('changed')
    expect(host.sent.filter((s) => s.text.includes(HASH))).toEqual([])
    expect(host.ran(/^chpasswd -e$/)).toEqual([{ text: 'chpasswd -e', stdin: `bob:${HASH}\n` }])
    expect(r.result['password']).toBe('NOT_LOGGING_PASSWORD')
    expect(JSON.stringify(r.diff)).not.toContain(HASH)
  })

  it('is ok with one read when the user is as wanted', async () => {
    const host = accountsHost({ refapp: 'passwd refapp:x:999:997::/var/lib/refapp:/usr/sbin/nologin\n' })
    const r = await runTask(host, 'user', { name: 'refapp', group: 'refapp', system: true, shell: '/usr/sbin/nologin', home: '/var/lib/refapp', create_home: false })
    expect(r.status).toBe('ok')
    expect(r.result).toMatchObject({ name: 'refapp', uid: 999, group: 997, home: '/var/lib/refapp', shell: '/usr/sbin/nologin' })
  })

  it('in check mode, a new group, a user in it and a directory it owns all plan through', async () => {
    const host = new FakeHost([
      [/^getent group$/, { stdout: 'root:x:0:\n' }],
      // No user svc yet: its read prints nothing.
      [/^n=svc\n/, {}],
      [/id -u|getent group \S+/, {}],
      [/p=/, ABSENT],
    ])
    const outcomes = await runTasks(
      host,
      [
        ['group', { name: 'svc', system: true }],
        ['user', { name: 'svc', group: 'svc', system: true, create_home: false }],
        ['file', { path: '/var/lib/svc', state: 'directory', owner: 'svc', group: 'svc', mode: '0750' }],
        ['user', { name: 'svc', group: 'svc', system: true, create_home: false }],
      ],
      { check: true },
    )
    expect(outcomes.map((o) => `${o.status}${o.msg ? `: ${o.msg}` : ''}`)).toEqual(['changed', 'changed', 'changed', 'ok'])
    expect(host.ran(/useradd|groupadd|mkdir|chown/)).toEqual([])
  })

  it('adds a group with groupadd and reports its gid', async () => {
    let created = false
    const host = new FakeHost([
      [/^getent group$/, () => ({ stdout: created ? 'svc:x:995:\n' : '' })],
      [/^groupadd/, () => ((created = true), {})],
    ])
    const r = await runTask(host, 'group', { name: 'svc', system: true })
    expect(host.ran(/^groupadd/).map((s) => s.text)).toEqual(["groupadd '-r' '--' svc"])
    expect(r.result).toMatchObject({ changed: true, name: 'svc', state: 'present', gid: 995, system: true })
  })
})
