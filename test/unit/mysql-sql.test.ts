/**
 * The mysql modules' text handling: names and values quoted for the server, statements hidden
 * from the client's parser as hex, the login password escaped for an option file, passwords
 * hashed as MariaDB's PASSWORD() does, and the client's batch output read back exactly.
 */
import { describe, expect, it } from 'vitest'
import { clientCommand, clientInput, loginWords, optionLine, unreachableReason } from '../../engine/facts/mysql-client.js'
import { authChain, parseAccount, parseDatabase } from '../../engine/facts/mysql.js'
import { batchRows, fromHex, nativePasswordHash, sqlAccount, sqlIdent, sqlStatement, sqlString, unescapeBatch } from '../../engine/facts/mysql-sql.js'

const hexOf = (statement: string): string => /X'([0-9A-F]+)'/.exec(statement)?.[1] ?? ''

describe('SQL quoting', () => {
  it('doubles backticks in identifiers and escapes literals for the server', () => {
    expect(sqlIdent('we`ird\\db%')).toBe('`we``ird\\db%`')
    expect(sqlString("it's a \\ back\nslash\0")).toBe("'it\\'s a \\\\ back\\nslash\\0'")
    expect(sqlAccount("o'neil", '%')).toBe("'o\\'neil'@'%'")
  })

  it('sends a statement as hex, so the client sees nothing it could interpret', () => {
    const text = "CREATE USER 'a`\\b'@'%' -- ; \\G DELIMITER"
    const sent = sqlStatement(text)
    expect(sent).toMatch(/^EXECUTE IMMEDIATE CONVERT\(X'[0-9A-F]+' USING utf8mb4\);\n$/)
    expect(fromHex(hexOf(sent))).toBe(text)
    expect(fromHex(hexOf(sqlStatement('ü €')))).toBe('ü €')
  })

  it('hashes a password as mysql_native_password (PASSWORD() of MariaDB)', () => {
    // SELECT PASSWORD('secret'), PASSWORD('') on MariaDB 10.11.
    expect(nativePasswordHash('secret')).toBe('*14E65567ABDB5135D0CFD9A70B3032C179A49EE7')
    expect(nativePasswordHash('')).toBe('')
  })

  it('reads batch output back as the server sent it', () => {
    expect(unescapeBatch('a\\tb\\nc\\\\d\\0')).toBe('a\tb\nc\\d\0')
    expect(batchRows('x\ty\\tz\n\nq\n')).toEqual([['x', 'y\tz'], ['q']])
  })
})

describe('the client on the host', () => {
  it('takes the password on its first line of standard input, never on the command line', () => {
    const login = { user: 'admin', password: 'p"a\'s\\s#w\n', host: 'db1', port: 5306 }
    const command = clientCommand(login).text
    expect(command).not.toContain('p"a')
    expect(command).toContain("'--user=admin' '--host=db1' '--protocol=TCP' '--port=5306'")
    expect(command).toContain('--defaults-extra-file="$f"')
    const input = clientInput(login, 'SELECT 1;\n')
    expect(input).toBe('password="p\\"a\\\'s\\\\s#w\\n"\nSELECT 1;\n')
  })

  it('logs in through the socket by default, and localhost means the socket', () => {
    expect(loginWords({})).toEqual([])
    expect(loginWords({ host: 'localhost', unixSocket: '/run/mysqld/mysqld.sock' })).toEqual(['--socket=/run/mysqld/mysqld.sock'])
    expect(clientInput({}, 'SELECT 1;\n').split('\n')[0]).toMatch(/^#/)
  })

  it('escapes option values the way the client reads them', () => {
    expect(optionLine('password', ' a b ')).toBe('password=" a b "')
    expect(optionLine('password', 'tab\there')).toBe('password="tab\\there"')
    expect(() => optionLine('password', 'nul\0')).toThrow(/NUL/)
  })

  it('tells a server that cannot be reached from other errors', () => {
    const r = (code: number, stderr: string) => ({ code, stderr, stdout: '', stdoutBytes: Buffer.alloc(0) })
    expect(unreachableReason(r(127, ''))).toMatch(/not installed/)
    expect(unreachableReason(r(1, "ERROR 2002 (HY000): Can't connect to local server through socket '/run/mysqld/mysqld.sock' (2)"))).toMatch(/not reachable/)
    expect(unreachableReason(r(1, "ERROR 1045 (28000): Access denied for user 'x'@'localhost'"))).toBeUndefined()
  })
})

describe('what the server says about accounts and databases', () => {
  const priv = (json: unknown): string => Buffer.from(JSON.stringify(json)).toString('hex').toUpperCase()

  it("reads root's chain as Debian sets it up (native 'invalid' OR unix_socket)", () => {
    const json = { plugin: 'mysql_native_password', authentication_string: 'invalid', auth_or: [{}, { plugin: 'unix_socket' }] }
    expect(authChain(json)).toEqual([
      { plugin: 'mysql_native_password', authString: 'invalid' },
      { plugin: 'unix_socket', authString: '' },
    ])
  })

  it('reads an account and its SHOW GRANTS lines, unescaping names', () => {
    const out = `account\t${priv({ plugin: 'mysql_native_password', authentication_string: '*ABC' })}\nGRANT USAGE ON *.* TO \`a\\\\b\`@\`%\`\n`
    expect(parseAccount(out)).toEqual({ exists: true, auth: [{ plugin: 'mysql_native_password', authString: '*ABC' }], grants: ['GRANT USAGE ON *.* TO `a\\b`@`%`'] })
    expect(parseAccount('')).toEqual({ exists: false, auth: [], grants: [] })
  })

  it('reads a database', () => {
    expect(parseDatabase('database\tutf8mb3\tutf8mb3_general_ci\n')).toEqual({ exists: true, charset: 'utf8mb3', collation: 'utf8mb3_general_ci' })
    expect(parseDatabase('')).toMatchObject({ exists: false })
  })
})
