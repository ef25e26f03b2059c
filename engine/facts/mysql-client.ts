/**
 * The `mysql` client on the target host, fed SQL on standard input: the controller needs no
 * database driver and no port forwarding. How the modules log in:
 *
 * - by default as the task's OS user through the local unix socket (root on Debian logs in by
 *   `unix_socket` authentication, no password);
 * - with login_user/login_password/login_host/login_port/login_unix_socket as given.
 *
 * A login password never appears on a command line: the first line of standard input carries it
 * to a shell `read` (a builtin), which writes it to a private temporary option file (umask 077,
 * removed on exit) that the client reads with --defaults-extra-file; the rest of standard input
 * is the SQL.
 */
import type { ExecOptions, ExecResult } from '../connection/types.js'
import type { PlanContext } from '../module.js'
import { sh, type ShellCommand } from '../quote.js'

export interface MysqlLogin {
  user?: string | undefined
  password?: string | undefined
  /** `localhost` (or nothing) means the unix socket, as the client reads it. */
  host?: string | undefined
  port?: number | undefined
  unixSocket?: string | undefined
}

/** Exit code of the script when the host has neither `mariadb` nor `mysql`. */
export const NO_CLIENT = 127

const OPTION_ESCAPES: Record<string, string> = { '\\': '\\\\', '"': '\\"', "'": "\\'", '\n': '\\n', '\r': '\\r', '\t': '\\t', '\b': '\\b' }

/**
 * `password="..."` as an option file line: double quotes keep `#`, `;` and edge spaces as they
 * are, and the escapes the client's option reader knows (\\ \" \' \n \r \t \b) carry the rest.
 */
export function optionLine(key: string, value: string): string {
  if (value.includes('\0')) throw new Error(`${key} cannot contain a NUL character`)
  return `${key}="${value.replace(/[\\"'\n\r\t\b]/g, (c) => OPTION_ESCAPES[c] ?? c)}"`
}

/** The client's words for a login, without the password (that goes through the option file). */
export function loginWords(login: MysqlLogin): string[] {
  const words: string[] = []
  if (login.user !== undefined) words.push(`--user=${login.user}`)
  if (login.host !== undefined && login.host !== 'localhost') words.push(`--host=${login.host}`, '--protocol=TCP')
  if (login.port !== undefined) words.push(`--port=${login.port}`)
  if (login.unixSocket !== undefined) words.push(`--socket=${login.unixSocket}`)
  return words
}

export function clientCommand(login: MysqlLogin): ShellCommand {
  return sh`umask 077
m=$(command -v mariadb || command -v mysql) || { echo 'neither mariadb nor mysql (the client) is installed on this host' >&2; exit ${NO_CLIENT}; }
f=$(mktemp) || exit 1
trap 'rm -f "$f"' EXIT
IFS= read -r line
printf '[client]\\n%s\\n' "$line" > "$f"
"$m" --defaults-extra-file="$f" --batch --skip-column-names --default-character-set=utf8mb4 ${loginWords(login)}`
}

/** Standard input for clientCommand: the option line (or a comment), then the script. */
export function clientInput(login: MysqlLogin, sql: string): string {
  const first = login.password !== undefined ? optionLine('password', login.password) : '# no password: socket or option files'
  return `${first}\n${sql}`
}

type Runner = (command: ShellCommand, options?: Omit<ExecOptions, 'become'>) => Promise<ExecResult>

/** Runs a script with `run` (ctx.probe for reads, ctx.exec for writes). */
export function runSql(run: Runner, login: MysqlLogin, sql: string): Promise<ExecResult> {
  return run(clientCommand(login), { stdin: clientInput(login, sql) })
}

/** Why a script could not reach the server at all, or undefined when it could. */
export function unreachableReason(result: ExecResult): string | undefined {
  if (result.code === NO_CLIENT) return 'the mysql client is not installed'
  // 2002: no socket; 2003: nothing listens on the TCP port; 2005/2006: unknown host, gone away.
  if (result.code !== 0 && /^ERROR 200[2356]\b/m.test(result.stderr)) return `the server is not reachable (${firstLine(result.stderr)})`
  return undefined
}

export function firstLine(text: string): string {
  return text.trim().split('\n')[0] ?? ''
}

export type ReadContext = Pick<PlanContext, 'probe'>
