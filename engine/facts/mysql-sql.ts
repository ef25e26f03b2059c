/**
 * SQL text for the mysql modules: the one place identifiers and literals are quoted, and the
 * one way a statement reaches the `mysql` client.
 *
 * The client parses its input before the server does (delimiters, `\` commands, its own idea of
 * where a quoted string ends), and that parser and the server's disagree on some texts (a
 * backslash before a backtick inside an identifier). So no user-given text is ever put on the
 * client's input as it is: each statement is quoted for the *server*, then sent as
 * `EXECUTE IMMEDIATE CONVERT(X'<hex>' USING utf8mb4)`, which the client sees as plain ASCII.
 */
import { createHash } from 'node:crypto'

/** A backtick-quoted identifier (`a``b` for a`b): nothing inside is special to the server. */
export function sqlIdent(name: string): string {
  return '`' + name.replaceAll('`', '``') + '`'
}

const LITERAL_ESCAPES: Record<string, string> = { '\\': '\\\\', "'": "\\'", '\0': '\\0', '\n': '\\n', '\r': '\\r', '\x1a': '\\Z' }

/**
 * A single-quoted string literal with MariaDB's backslash escapes. The session the client opens
 * always has NO_BACKSLASH_ESCAPES turned off first (see `sessionPrelude`), so this reading holds.
 */
export function sqlString(value: string): string {
  return `'${value.replace(/[\\'\0\n\r\x1a]/g, (c) => LITERAL_ESCAPES[c] ?? c)}'`
}

/** A user account as `'name'@'host'`. */
export function sqlAccount(user: string, host: string): string {
  return `${sqlString(user)}@${sqlString(host)}`
}

/** One statement, quoted for the server, wrapped so the client sees only hex digits. */
export function sqlStatement(text: string): string {
  return `EXECUTE IMMEDIATE CONVERT(X'${Buffer.from(text, 'utf8').toString('hex').toUpperCase()}' USING utf8mb4);\n`
}

/** What every script starts with: UTF-8 throughout, backslash escapes in literals as sqlString writes them. */
export function sessionPrelude(): string {
  return "SET NAMES utf8mb4;\nSET SESSION sql_mode = REPLACE(@@SESSION.sql_mode, 'NO_BACKSLASH_ESCAPES', '');\n"
}

/**
 * Runs `statement` only when `condition` (an SQL boolean expression) holds, in one round trip:
 * SHOW GRANTS for an account that does not exist is an error that would end the script.
 * The compound statement is ASCII of our own; the parts that hold names travel as hex.
 */
export function sqlWhen(condition: string, statement: string): string {
  const hex = (text: string): string => `CONVERT(X'${Buffer.from(text, 'utf8').toString('hex').toUpperCase()}' USING utf8mb4)`
  return `DELIMITER //\nBEGIN NOT ATOMIC IF (SELECT ${condition}) THEN EXECUTE IMMEDIATE ${hex(statement)}; END IF; END//\nDELIMITER ;\n`
}

/** A hex literal of a text, for conditions inside sqlWhen (no quotes the client could misread). */
export function sqlHexText(value: string): string {
  return `CONVERT(X'${Buffer.from(value, 'utf8').toString('hex').toUpperCase()}' USING utf8mb4)`
}

/**
 * mysql_native_password's stored form of a password: `*` and the upper-case hex of
 * SHA1(SHA1(password)), over the password's UTF-8 bytes (what PASSWORD() computes). Computed on
 * the controller, so the clear password never travels to the host at all.
 */
export function nativePasswordHash(password: string): string {
  // An empty password is stored empty (PASSWORD('') is ''), not as the hash of nothing.
  if (password === '') return ''
  const inner = createHash('sha1').update(Buffer.from(password, 'utf8')).digest()
  return '*' + createHash('sha1').update(inner).digest('hex').toUpperCase()
}

export const NATIVE_HASH = /^\*[0-9A-F]{40}$/

/**
 * Undoes the escaping `mysql --batch` applies to each value it prints (`\t`, `\n`, `\\`, `\0`),
 * so a line splits on real tabs and each field reads as the server sent it.
 */
export function unescapeBatch(field: string): string {
  return field.replace(/\\([tn0\\])/g, (_m, c: string) => ({ t: '\t', n: '\n', '0': '\0', '\\': '\\' })[c] ?? c)
}

/** Rows of `mysql --batch --skip-column-names` output, fields unescaped. */
export function batchRows(stdout: string): string[][] {
  return stdout
    .split('\n')
    .filter((line) => line !== '')
    .map((line) => line.split('\t').map(unescapeBatch))
}

export function fromHex(hex: string): string {
  return Buffer.from(hex, 'hex').toString('utf8')
}
