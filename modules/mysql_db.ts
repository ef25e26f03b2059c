/**
 * mysql_db: a MariaDB database, its character set and collation (Ansible's
 * community.mysql.mysql_db, without dump/import), through the `mysql` client on the target host.
 */
import type { FileDiff } from '../engine/diff.js'
import { databaseScript, parseDatabase, type MysqlDatabase } from '../engine/facts/mysql.js'
import { sqlIdent, sqlString } from '../engine/facts/mysql-sql.js'
import { defineModule } from '../engine/module.js'
import { LOGIN_ARGS, loginOf, planRead, runStatements } from './_shared/mysql-login.js'

const args = {
  name: { type: 'str', required: true, aliases: ['db'], description: 'The database’s name (any text; stored as written).' },
  state: { type: 'str', choices: ['present', 'absent'], default: 'present', description: 'Whether the database should exist (absent drops it, with its tables).' },
  encoding: { type: 'str', description: "Its default character set, e.g. 'utf8' or 'utf8mb4' (unset: the server's default, and an existing database's is left alone)." },
  collation: { type: 'str', description: "Its default collation, e.g. 'utf8_general_ci' (unset: the character set's default)." },
  ...LOGIN_ARGS,
} as const

const ABSENT: MysqlDatabase = { exists: false, charset: '', collation: '' }

/** MariaDB 10.6+ reports `utf8` as `utf8mb3` (and its collations as `utf8mb3_*`): both names are the same set. */
export function sameCharsetName(wanted: string, actual: string): boolean {
  const norm = (s: string): string => s.toLowerCase().replace(/^utf8(?=_|$)/, 'utf8mb3')
  return norm(wanted) === norm(actual)
}

export interface DbDecision {
  statements: string[]
  diff: FileDiff
}

export function decideDatabase(current: MysqlDatabase, a: { name: string; state: 'present' | 'absent'; encoding?: string | undefined; collation?: string | undefined }): DbDecision {
  const show = (d: MysqlDatabase): string => (d.exists ? `state: present\ncharacter set: ${d.charset}\ncollation: ${d.collation}\n` : 'state: absent\n')
  const header = `mysql_db ${a.name}`
  const before = show(current)
  const spec = `${a.encoding !== undefined ? ` CHARACTER SET ${sqlString(a.encoding)}` : ''}${a.collation !== undefined ? ` COLLATE ${sqlString(a.collation)}` : ''}`
  const after = (d: MysqlDatabase): DbDecision['diff'] => ({ header, before, after: show(d) })
  const wanted: MysqlDatabase = { exists: true, charset: a.encoding ?? (current.charset || '(server default)'), collation: a.collation ?? (a.encoding !== undefined || !current.exists ? '(its default)' : current.collation) }
  if (a.state === 'absent') return current.exists ? { statements: [`DROP DATABASE ${sqlIdent(a.name)}`], diff: after(ABSENT) } : { statements: [], diff: after(current) }
  if (!current.exists) return { statements: [`CREATE DATABASE ${sqlIdent(a.name)}${spec}`], diff: after(wanted) }
  const differs = (a.encoding !== undefined && !sameCharsetName(a.encoding, current.charset)) || (a.collation !== undefined && !sameCharsetName(a.collation, current.collation))
  if (!differs) return { statements: [], diff: after(current) }
  return { statements: [`ALTER DATABASE ${sqlIdent(a.name)}${spec}`], diff: after(wanted) }
}

export default defineModule({
  name: 'mysql_db',
  description: "Creates or drops a MariaDB (10.4+) database and sets its character set and collation (Ansible's mysql_db), through the mysql client on the host.",
  args,
  async plan(ctx, a) {
    const login = loginOf(a)
    const read = await planRead(ctx, login, databaseScript(a.name), parseDatabase, ABSENT)
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
  async apply(ctx, a, plan) {
    await runStatements(ctx, loginOf(a), (plan.data as DbDecision).statements)
    return {}
  },
})
