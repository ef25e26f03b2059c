/**
 * mysql_user's decision as a pure function of the account the server has and the arguments:
 * the statements to run, short actions, and a diff of authentication and grants. Passwords are
 * compared as mysql_native_password hashes; neither a password nor a hash is ever put in an
 * action or a diff (only in the statements, which go to the server on standard input).
 */
import type { FileDiff } from '../../engine/diff.js'
import type { AuthMethod, MysqlAccount } from '../../engine/facts/mysql.js'
import { NATIVE_HASH, nativePasswordHash, sqlAccount, sqlString } from '../../engine/facts/mysql-sql.js'
import { applyChanges, grantChanges, grantLines, grantStatements, parsePrivSpec, parseShowGrants, type GrantMap } from './mysql-grants.js'

export interface UserArgs {
  name: string
  host: string
  password?: string | undefined
  encrypted: boolean
  unix_socket?: boolean | undefined
  priv?: string | Record<string, unknown> | undefined
  append_privs: boolean
  update_password: 'always' | 'on_create'
  state: 'present' | 'absent'
}

export interface UserDecision {
  statements: string[]
  actions: string[]
  diff: FileDiff
  passwordChanged: boolean
  failed?: string
}

export const NO_ACCOUNT: MysqlAccount = { exists: false, auth: [], grants: [] }

/** The stored hash the password stands for (the argument itself when it is `encrypted`). */
export function wantedHash(a: Pick<UserArgs, 'password' | 'encrypted'>): string | undefined {
  if (a.password === undefined) return undefined
  return a.encrypted ? a.password : nativePasswordHash(a.password)
}

/** The authentication chain wanted, or undefined to leave it as it is. */
export function wantedAuth(current: readonly AuthMethod[], a: UserArgs): AuthMethod[] | undefined {
  const hash = wantedHash(a)
  if (hash === undefined && a.unix_socket === undefined) return undefined
  const socket = a.unix_socket ?? current.some((m) => m.plugin === 'unix_socket')
  const others = hash !== undefined ? [{ plugin: 'mysql_native_password', authString: hash }] : current.filter((m) => m.plugin !== 'unix_socket')
  return [...(socket ? [{ plugin: 'unix_socket', authString: '' }] : []), ...others]
}

const methodKey = (m: AuthMethod): string => (m.plugin === 'unix_socket' ? m.plugin : `${m.plugin}\0${m.authString}`)

export function sameAuth(a: readonly AuthMethod[], b: readonly AuthMethod[]): boolean {
  const keys = new Set(a.map(methodKey))
  return a.length === b.length && b.every((m) => keys.has(methodKey(m)))
}

export function identifiedBy(methods: readonly AuthMethod[]): string {
  return `IDENTIFIED VIA ${methods.map((m) => (m.authString !== '' && m.plugin !== 'unix_socket' ? `${m.plugin} USING ${sqlString(m.authString)}` : m.plugin)).join(' OR ')}`
}

function authLine(methods: readonly AuthMethod[], changed: boolean): string {
  const plugins = methods.map((m) => m.plugin).join(' OR ') || 'none'
  return `authentication: ${plugins}${changed ? ' (new password)' : ''}\n`
}

export function decideUser(current: MysqlAccount, a: UserArgs): UserDecision {
  const account = sqlAccount(a.name, a.host)
  const who = account
  const header = `mysql_user ${who}`
  const before = current.exists ? `state: present\n${authLine(current.auth, false)}${grantLines(parseShowGrants(current.grants))}` : 'state: absent\n'
  const none = (failed?: string): UserDecision => ({ statements: [], actions: [], diff: { header, before, after: before }, passwordChanged: false, ...(failed ? { failed } : {}) })

  if (a.encrypted && a.password !== undefined && !NATIVE_HASH.test(a.password)) return none('encrypted: the password must be a mysql_native_password hash (* and 40 hex digits)')
  if (a.state === 'absent') {
    if (!current.exists) return none()
    return { statements: [`DROP USER ${account}`], actions: [`drop user ${who}`], diff: { header, before, after: 'state: absent\n' }, passwordChanged: false }
  }

  let wanted: GrantMap | undefined
  try {
    wanted = a.priv !== undefined ? parsePrivSpec(a.priv) : undefined
  } catch (err) {
    return none(`priv: ${(err as Error).message}`)
  }
  const grants = parseShowGrants(current.grants)
  const changes = wanted ? grantChanges(grants, wanted, a.append_privs) : []
  const statements: string[] = []
  const actions: string[] = []
  let auth = current.auth
  let passwordChanged = false
  if (!current.exists) {
    auth = wantedAuth([], a) ?? []
    statements.push(`CREATE USER ${account}${auth.length ? ` ${identifiedBy(auth)}` : ''}`)
    actions.push(`create user ${who}`)
    passwordChanged = a.password !== undefined
  } else if (a.update_password === 'always') {
    const want = wantedAuth(current.auth, a)
    if (want && !sameAuth(current.auth, want)) {
      statements.push(`ALTER USER ${account} ${identifiedBy(want)}`)
      actions.push(`set the authentication of ${who}`)
      passwordChanged = wantedHash(a) !== undefined && !current.auth.some((m) => m.plugin === 'mysql_native_password' && m.authString === wantedHash(a))
      auth = want
    }
  }
  const grantSql = grantStatements(changes, account)
  statements.push(...grantSql)
  actions.push(...grantSql)
  const after = `state: present\n${authLine(auth, passwordChanged && current.exists)}${grantLines(applyChanges(grants, changes))}`
  return { statements, actions, diff: { header, before, after }, passwordChanged }
}
