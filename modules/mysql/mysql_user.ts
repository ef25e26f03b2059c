/**
 * mysql_user: a MariaDB account, its password and its privileges (Ansible's
 * community.mysql.mysql_user), through the `mysql` client on the target host. The password is
 * hashed on the controller (mysql_native_password) and compared as a hash: the clear text never
 * leaves the controller, and the hash travels only inside the SQL on standard input.
 */
import { defineModule } from '../../engine/module.js'
import { accountScript, parseAccount } from '../../engine/facts/mysql.js'
import { registerSecret } from '../../engine/secrets.js'
import { LOGIN_ARGS, loginOf, planRead, applyStatements } from './mysql-login.js'
import { decideUser, NO_ACCOUNT, wantedHash } from './mysql-user-decide.js'

const args = {
  name: { type: 'str', required: true, aliases: ['user'], description: 'The account’s user name (any text: quotes, backslashes, % and unicode are stored as written).' },
  host: { type: 'str', default: 'localhost', description: "The host part of the account ('%' for any host)." },
  password: { type: 'str', secret: true, description: 'The password (mysql_native_password); never shown in output, diffs or on a command line.' },
  encrypted: { type: 'bool', default: false, description: "The password is already a mysql_native_password hash ('*' and 40 hex digits)." },
  unix_socket: { type: 'bool', description: 'Also (true) or no longer (false) let the OS user of the same name log in through the unix socket, as root@localhost does on Debian; unset: keep as it is.' },
  priv: { type: 'raw', description: "Privileges in Ansible's form, 'db.table:PRIV1,PRIV2/db2.*:ALL,GRANT' (or a mapping {'db.*': 'ALL'}); without it privileges are left alone." },
  append_privs: { type: 'bool', default: false, description: 'Add the privileges in priv to those the account has instead of making them exactly these.' },
  update_password: { type: 'str', choices: ['always', 'on_create'], default: 'always', description: 'always: set the password when it differs; on_create: only for a new account.' },
  state: { type: 'str', choices: ['present', 'absent'], default: 'present', description: 'Whether the account should exist.' },
  ...LOGIN_ARGS,
} as const

export default defineModule({
  name: 'mysql_user',
  description: "Creates, changes or removes a MariaDB (10.4+) account, its password and its privileges (Ansible's mysql_user), through the mysql client on the host.",
  args,
  checkArgs: ({ priv }) => {
    const mapping = typeof priv === 'object' && priv !== null && !Array.isArray(priv)
    return priv === undefined || typeof priv === 'string' || mapping ? undefined : 'priv must be a string (db.table:PRIVS/...) or a mapping'
  },
  async plan(ctx, a) {
    // The stored hash lets a client log in to a server that takes it: as secret as the password.
    const hash = wantedHash(a)
    if (hash !== undefined) registerSecret(hash)
    const login = loginOf(a)
    const read = await planRead(ctx, login, accountScript(a.name, a.host), parseAccount, NO_ACCOUNT)
    const result = { user: a.name, host: a.host, state: a.state }
    if ('failed' in read) return { changed: false, failed: read.failed, result }
    const decision = decideUser(read.value, { ...a, priv: a.priv as string | Record<string, unknown> | undefined })
    if (decision.failed !== undefined) return { changed: false, failed: decision.failed, result }
    const changed = decision.statements.length > 0
    return {
      changed,
      actions: decision.actions,
      diff: changed ? [decision.diff] : [],
      result: { ...result, password_changed: decision.passwordChanged, msg: changed ? decision.actions.join('; ') : `account '${a.name}'@'${a.host}' is as wanted`, ...(read.assumed ? { assumed: read.assumed } : {}) },
      data: decision,
    }
  },
  apply: applyStatements,
})
