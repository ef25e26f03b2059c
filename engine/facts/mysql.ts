/**
 * What the mysql modules read from a MariaDB server, each a script plus a parser, in one round
 * trip: an account (its authentication chain and SHOW GRANTS), a database (its character set and
 * collation). Names travel as hex (mysql-sql.ts), values come back as hex or batch-escaped text.
 */
import { ModuleError } from '../errors.js'
import { firstLine, runSql, unreachableReason, type MysqlLogin, type ReadContext } from './mysql-client.js'
import { batchRows, fromHex, sessionPrelude, sqlAccount, sqlHexText, sqlWhen, unescapeBatch } from './mysql-sql.js'

/** One way an account may log in: a plugin and what it stores (a hash for mysql_native_password). */
export interface AuthMethod {
  plugin: string
  authString: string
}

export interface MysqlAccount {
  exists: boolean
  /** The methods of `IDENTIFIED VIA a OR b`, in order. */
  auth: AuthMethod[]
  /** SHOW GRANTS lines that grant privileges on an object (GRANT ... ON ... TO ...). */
  grants: string[]
}

export interface MysqlDatabase {
  exists: boolean
  charset: string
  collation: string
}

export type Read<T> = { value: T } | { unreachable: string }

export function accountScript(user: string, host: string): string {
  const match = `User = ${sqlHexText(user)} AND Host = ${sqlHexText(host)}`
  return (
    sessionPrelude() +
    `SELECT 'account', HEX(Priv) FROM mysql.global_priv WHERE ${match};\n` +
    sqlWhen(`EXISTS(SELECT 1 FROM mysql.global_priv WHERE ${match})`, `SHOW GRANTS FOR ${sqlAccount(user, host)}`)
  )
}

interface PrivJson {
  plugin?: string
  authentication_string?: string
  auth_or?: { plugin?: string; authentication_string?: string }[]
}

/** global_priv keeps the first method at the top and the chain in auth_or, where `{}` stands for that first one. */
export function authChain(json: PrivJson): AuthMethod[] {
  const first: AuthMethod = { plugin: json.plugin ?? 'mysql_native_password', authString: json.authentication_string ?? '' }
  if (!json.auth_or?.length) return [first]
  return json.auth_or.map((m) => (m.plugin === undefined ? first : { plugin: m.plugin, authString: m.authentication_string ?? '' }))
}

export function parseAccount(stdout: string): MysqlAccount {
  const account: MysqlAccount = { exists: false, auth: [], grants: [] }
  for (const line of stdout.split('\n')) {
    if (line.startsWith('account\t')) {
      account.exists = true
      account.auth = authChain(JSON.parse(fromHex(line.slice(8))) as PrivJson)
    } else if (line.startsWith('GRANT ')) {
      account.grants.push(unescapeBatch(line))
    }
  }
  return account
}

export function databaseScript(name: string): string {
  return (
    sessionPrelude() +
    `SELECT 'database', DEFAULT_CHARACTER_SET_NAME, DEFAULT_COLLATION_NAME FROM information_schema.SCHEMATA WHERE SCHEMA_NAME = ${sqlHexText(name)};\n`
  )
}

export function parseDatabase(stdout: string): MysqlDatabase {
  const row = batchRows(stdout).find((r) => r[0] === 'database')
  return row ? { exists: true, charset: row[1] ?? '', collation: row[2] ?? '' } : { exists: false, charset: '', collation: '' }
}

/** Runs a read; a server that cannot be reached is an answer (check mode may go on), any other error fails the task. */
export async function readMysql<T>(ctx: ReadContext, login: MysqlLogin, script: string, parse: (stdout: string) => T): Promise<Read<T>> {
  const result = await runSql(ctx.probe, login, script)
  const unreachable = unreachableReason(result)
  if (unreachable !== undefined) return { unreachable }
  if (result.code !== 0) throw new ModuleError(`reading from the database server failed: ${firstLine(result.stderr)}`, { rc: result.code, stderr: result.stderr })
  return { value: parse(result.stdout) }
}
