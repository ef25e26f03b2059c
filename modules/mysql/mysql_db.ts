/**
 * mysql_db: a MariaDB database, its character set and collation (Ansible's
 * community.mysql.mysql_db, without dump/import), through the `mysql` client on the target host.
 */
import { databaseScript, parseDatabase } from '../../engine/facts/mysql.js'
import { defineModule } from '../../engine/module.js'
import { NO_DATABASE, decideDatabase } from './mysql-db-decide.js'
import { LOGIN_ARGS, loginOf, planRead, applyStatements } from './mysql-login.js'

const args = {
  name: { type: 'str', required: true, aliases: ['db'], description: 'The database’s name (any text; stored as written).' },
  state: { type: 'str', choices: ['present', 'absent'], default: 'present', description: 'Whether the database should exist (absent drops it, with its tables).' },
  encoding: { type: 'str', description: "Its default character set, e.g. 'utf8' or 'utf8mb4' (unset: the server's default, and an existing database's is left alone)." },
  collation: { type: 'str', description: "Its default collation, e.g. 'utf8_general_ci' (unset: the character set's default)." },
  ...LOGIN_ARGS,
} as const

export default defineModule({
  name: 'mysql_db',
  description: "Creates or drops a MariaDB (10.4+) database and sets its character set and collation (Ansible's mysql_db), through the mysql client on the host.",
  args,
  async plan(ctx, a) {
    const login = loginOf(a)
    const read = await planRead(ctx, login, databaseScript(a.name), parseDatabase, NO_DATABASE)
    const result = { db: a.name, state: a.state }
    if ('failed' in read) return { changed: false, failed: read.failed, result }
    const decision = decideDatabase(read.value, a)
    const changed = decision.statements.length > 0
    const verb = a.state === 'absent' ? 'drop' : read.value.exists ? 'alter' : 'create'
    return {
      changed,
      actions: changed ? [`${verb} database ${a.name}`] : [],
      diff: changed ? [decision.diff] : [],
      result: { ...result, ...(read.assumed ? { assumed: read.assumed } : {}) },
      data: decision,
    }
  },
  apply: applyStatements,
})
