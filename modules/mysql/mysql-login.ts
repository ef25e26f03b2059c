/**
 * What mysql_db and mysql_user share: the login arguments (Ansible's names), the read a plan
 * makes (where check mode takes a server that is not there yet as an empty one: the role that
 * installs it has not run), and running the statements a plan decided on.
 */
import { firstLine, runSql, type MysqlLogin } from '../../engine/facts/mysql-client.js'
import { readMysql } from '../../engine/facts/mysql.js'
import { sessionPrelude, sqlStatement } from '../../engine/facts/mysql-sql.js'
import type { ApplyContext, ArgSpec, PlanContext } from '../../engine/module.js'

export const LOGIN_ARGS = {
  login_user: { type: 'str', description: "The account to log in as (default: the client's, i.e. the task's OS user through the unix socket: root on Debian)." },
  login_password: { type: 'str', secret: true, description: 'Its password; handed to the client in a private option file, never on a command line.' },
  login_host: { type: 'str', description: "The server to connect to over TCP, from the target host (default: the local server through its unix socket; 'localhost' means the socket too)." },
  login_port: { type: 'int', description: 'The TCP port (with login_host; default 3306).' },
  login_unix_socket: { type: 'path', description: 'The unix socket to connect through (default: the client’s, e.g. /run/mysqld/mysqld.sock).' },
} as const satisfies Record<string, ArgSpec>

export interface LoginValues {
  login_user?: string | undefined
  login_password?: string | undefined
  login_host?: string | undefined
  login_port?: number | undefined
  login_unix_socket?: string | undefined
}

export function loginOf(a: LoginValues): MysqlLogin {
  return { user: a.login_user, password: a.login_password, host: a.login_host, port: a.login_port, unixSocket: a.login_unix_socket }
}

export type PlanRead<T> = { value: T; assumed?: string } | { failed: string }

/**
 * Reads for a plan. When the server cannot be reached, a real run fails (with why); check mode
 * goes on with `empty` (everything would be created) and says so, because on a fresh host the
 * tasks that install and start the server come first and have not run.
 */
export async function planRead<T>(ctx: PlanContext, login: MysqlLogin, script: string, parse: (stdout: string) => T, empty: T): Promise<PlanRead<T>> {
  const read = await readMysql(ctx, login, script, parse)
  if ('value' in read) return read
  if (!ctx.check) return { failed: `cannot connect to the database server: ${read.unreachable}` }
  const assumed = `${read.unreachable}: planned as if the server were empty`
  ctx.log(assumed)
  return { value: empty, assumed }
}

/** The apply of a module whose plan decided SQL statements: run them, as the task's login. */
export async function applyStatements(ctx: ApplyContext, a: LoginValues, decision: { statements: readonly string[] }): Promise<Record<string, never>> {
  await runStatements(ctx, loginOf(a), decision.statements)
  return {}
}

/** Runs the statements in one client call; the first error stops the rest and fails the task. */
export async function runStatements(ctx: ApplyContext, login: MysqlLogin, statements: readonly string[]): Promise<void> {
  if (!statements.length) return
  const failure = (out: { stderr: string }): string => `the database server refused a change: ${firstLine(out.stderr)}`
  await runSql((command, options) => ctx.run(command, { ...options, failure }), login, sessionPrelude() + statements.map(sqlStatement).join(''))
}
