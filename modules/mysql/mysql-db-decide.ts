/**
 * mysql_db's decision as a pure function of the database the server has and the arguments:
 * the statements to run and a diff of the database's state, character set and collation.
 */
import type { FileDiff } from '../../engine/diff.js'
import type { MysqlDatabase } from '../../engine/facts/mysql.js'
import { sqlIdent, sqlString } from '../../engine/facts/mysql-sql.js'

/** What the server reports for a database that does not exist. */
export const NO_DATABASE: MysqlDatabase = { exists: false, charset: '', collation: '' }

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
  if (a.state === 'absent') return current.exists ? { statements: [`DROP DATABASE ${sqlIdent(a.name)}`], diff: after(NO_DATABASE) } : { statements: [], diff: after(current) }
  if (!current.exists) return { statements: [`CREATE DATABASE ${sqlIdent(a.name)}${spec}`], diff: after(wanted) }
  const differs = (a.encoding !== undefined && !sameCharsetName(a.encoding, current.charset)) || (a.collation !== undefined && !sameCharsetName(a.collation, current.collation))
  if (!differs) return { statements: [], diff: after(current) }
  return { statements: [`ALTER DATABASE ${sqlIdent(a.name)}${spec}`], diff: after(wanted) }
}
