/**
 * mysql_db and mysql_user against a real MariaDB 10.11 on a lab host, over SSH: create, change
 * the password, grant, revoke, remove; names and passwords with quotes, backslashes, %, a
 * backtick and unicode are stored exactly as given (read back as hex) and never executed as SQL;
 * the password is never in the output, even at -vvvv. Host dbmod of the db lab (test/fixtures/db/lab).
 */
import { execFileSync } from 'node:child_process'
import { mkdtempSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { beforeAll, describe, expect, it } from 'vitest'
import { optionLine } from '../../engine/facts/mysql-client.js'
import { nativePasswordHash } from '../../engine/facts/mysql-sql.js'
import { ROOT, statuses, tsplay, tsplayJson } from '../helpers/cli.js'
import { useLab } from './harness.js'

const INVENTORY = join(ROOT, 'test', 'fixtures', 'db', 'lab')
const CONTAINER = 'tsplay-lab-db-dbmod'
const USER = "o'ne\\il`%ü"
const DB = "we`ird'db%ä"
const PASSWORD = `p'a"ss\\w#rd; DROP DATABASE victim; -- ü`
const NEW_PASSWORD = "n3w'Pass\\word%"
const hex = (s: string): string => Buffer.from(s, 'utf8').toString('hex').toUpperCase()

useLab(INVENTORY)

function onHost(args: string[], input?: string): { code: number; out: string } {
  try {
    return { code: 0, out: execFileSync('docker', ['exec', '-i', CONTAINER, ...args], { stdio: 'pipe', ...(input !== undefined ? { input } : {}) }).toString() }
  } catch (err) {
    const e = err as { status?: number; stdout?: Buffer; stderr?: Buffer }
    return { code: e.status ?? 1, out: `${e.stdout?.toString() ?? ''}${e.stderr?.toString() ?? ''}` }
  }
}

const sql = (text: string): string => onHost(['mysql', '--default-character-set=utf8mb4', '-NB'], text).out

/** Logs in over TCP as USER with `password` (in UTF-8, as applications do): 0 when the server took it. */
function login(password: string): number {
  const cnf = `[client]\n${optionLine('user', USER)}\n${optionLine('password', password)}\n`
  return onHost(['sh', '-c', 'f=$(mktemp); cat > "$f"; mysql --defaults-extra-file="$f" --default-character-set=utf8mb4 --protocol=TCP -h 127.0.0.1 -NBe "SELECT 1"; r=$?; rm -f "$f"; exit $r'], cnf).code
}

let dir: string
/** A playbook of the given tasks (as JSON, which YAML reads as it is) on dbmod. */
function play(name: string, tasks: Record<string, unknown>[]): string {
  const file = join(dir, `${name}.yml`)
  writeFileSync(file, JSON.stringify([{ hosts: 'mysql_modules', gather_facts: false, tasks }]))
  return file
}
const run = (file: string, extra: string[] = []) => tsplayJson(['run', file, '-i', INVENTORY, ...extra], { timeoutMs: 300_000 })
const userTask = (a: Record<string, unknown>) => ({ name: 'the account', mysql_user: { name: USER, host: '%', ...a } })
const taskStatus = (json: Awaited<ReturnType<typeof run>>['json']): string[] => statuses(json).map(([, s]) => s['dbmod'] ?? '')

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'tsplay-mysql-modules-'))
  const install = await run(play('install', [{ name: 'MariaDB', apt: { name: ['mariadb-server', 'mariadb-client'], update_cache: true, cache_valid_time: 3600 } }, { name: 'running', systemd: { name: 'mariadb', state: 'started' } }]))
  expect(install.code, install.stdout + install.stderr).toBe(0)
  // The host may keep what an earlier run left: start from no account and no database.
  const name = (s: string): string => `CONVERT(X'${hex(s)}' USING utf8mb4)`
  sql(`EXECUTE IMMEDIATE CONCAT('DROP USER IF EXISTS ', QUOTE(${name(USER)}), '@''%''');
EXECUTE IMMEDIATE CONCAT('DROP DATABASE IF EXISTS \`', REPLACE(${name(DB)}, '\`', '\`\`'), '\`');
DROP DATABASE IF EXISTS tsp_login; DROP DATABASE IF EXISTS victim; CREATE DATABASE victim;`)
}, 600_000)

describe('mysql_db and mysql_user on a real MariaDB', () => {
  it('creates a database and an account with hostile names and password, stored exactly, never executed', async () => {
    const file = play('create', [
      { name: 'the database', mysql_db: { name: DB, encoding: 'utf8mb4', collation: 'utf8mb4_unicode_ci' } },
      userTask({ password: PASSWORD, priv: { [`\`${DB.replaceAll('`', '``')}\`.*`]: 'ALL' } }),
    ])
    const check = await run(file, ['--check', '--diff'])
    expect(taskStatus(check.json)).toEqual(['changed', 'changed'])
    expect(sql(`SELECT COUNT(*) FROM mysql.global_priv WHERE HEX(User) = '${hex(USER)}'`)).toBe('0\n')

    const r = await run(file)
    expect(r.code, r.stdout + r.stderr).toBe(0)
    expect(sql(`SELECT HEX(SCHEMA_NAME), DEFAULT_CHARACTER_SET_NAME FROM information_schema.SCHEMATA WHERE HEX(SCHEMA_NAME) = '${hex(DB)}'`)).toBe(`${hex(DB)}\tutf8mb4\n`)
    expect(sql(`SELECT HEX(User), HEX(Host) FROM mysql.global_priv WHERE HEX(User) = '${hex(USER)}'`)).toBe(`${hex(USER)}\t25\n`)
    expect(sql(`SELECT HEX(Db), Select_priv, Drop_priv FROM mysql.db WHERE HEX(User) = '${hex(USER)}'`)).toBe(`${hex(DB)}\tY\tY\n`)
    expect(sql("SHOW DATABASES LIKE 'victim'")).toBe('victim\n')
    expect(login(PASSWORD)).toBe(0)
    expect(login('wrong')).not.toBe(0)
  })

  it('a second run changes nothing, and says nothing of the password even at -vvvv', async () => {
    const file = play('again', [userTask({ password: PASSWORD, priv: { [`\`${DB.replaceAll('`', '``')}\`.*`]: 'ALL' } })])
    const r = await tsplay(['run', file, '-i', INVENTORY, '-vvvv', '--diff'], { timeoutMs: 120_000 })
    expect(r.code, r.stdout + r.stderr).toBe(0)
    expect(r.stdout).toMatch(/dbmod\s*: ok=1\s+changed=0/)
    for (const secret of [PASSWORD, nativePasswordHash(PASSWORD), 'DROP DATABASE victim']) expect(r.stdout + r.stderr).not.toContain(secret)
  })

  it('changes the password: the new one logs in, the old one no longer does', async () => {
    const r = await run(play('password', [userTask({ password: NEW_PASSWORD })]), ['--diff'])
    expect(taskStatus(r.json)).toEqual(['changed'])
    expect(JSON.stringify(r.json)).not.toContain(NEW_PASSWORD)
    expect(JSON.stringify(r.json)).not.toContain(nativePasswordHash(NEW_PASSWORD))
    expect(login(NEW_PASSWORD)).toBe(0)
    expect(login(PASSWORD)).not.toBe(0)
  })

  it('--check --diff shows the grants it would add and revoke; the run does exactly that', async () => {
    const file = play('grants', [userTask({ priv: 'victim.*:SELECT,INSERT/mysql.user:SELECT' })])
    const check = await run(file, ['--check', '--diff'])
    const diff = JSON.stringify(check.json.plays[0]?.tasks[0]?.hosts['dbmod']?.['diff'])
    expect(diff).toContain('grant `victim`.*: INSERT, SELECT')
    expect(diff).toContain('grant `mysql`.`user`: SELECT')
    expect(check.json.plays[0]?.tasks[0]?.hosts['dbmod']?.['diff']).toMatchObject([{ before: expect.stringContaining("grant `we``ird'db%ä`.*: ALL PRIVILEGES") }])
    const r = await run(file)
    expect(taskStatus(r.json)).toEqual(['changed'])
    const grants = sql(`SELECT Db, Select_priv, Insert_priv, Delete_priv FROM mysql.db WHERE HEX(User) = '${hex(USER)}'`)
    expect(grants).toBe('victim\tY\tY\tN\n')
    expect(sql(`SELECT Table_name, Table_priv FROM mysql.tables_priv WHERE HEX(User) = '${hex(USER)}'`)).toBe('user\tSelect\n')
    expect(taskStatus((await run(file)).json)).toEqual(['ok'])
  })

  it('logs in with login_user/login_password over TCP as well as through the socket', async () => {
    const admin = `adm'in"pw\\%`
    sql(`CREATE OR REPLACE USER 'tsp_admin'@'127.0.0.1' IDENTIFIED BY '${admin.replace(/\\/g, '\\\\').replace(/'/g, "\\'")}'; GRANT ALL ON *.* TO 'tsp_admin'@'127.0.0.1' WITH GRANT OPTION;`)
    const file = play('login', [{ name: 'through TCP', mysql_db: { name: 'tsp_login', login_user: 'tsp_admin', login_password: admin, login_host: '127.0.0.1', login_port: 3306 } }])
    const r = await run(file)
    expect(r.code, r.stdout + r.stderr).toBe(0)
    expect(sql("SHOW DATABASES LIKE 'tsp_login'")).toBe('tsp_login\n')
    const bad = await run(play('bad-login', [{ name: 'wrong password', mysql_db: { name: 'tsp_login', login_user: 'tsp_admin', login_password: 'nope', login_host: '127.0.0.1' } }]))
    expect(bad.code).toBe(2)
    expect(JSON.stringify(bad.json)).toMatch(/Access denied for user 'tsp_admin'/)
  })

  it('removes the account and the database', async () => {
    const r = await run(play('remove', [userTask({ state: 'absent' }), { name: 'the database', mysql_db: { name: DB, state: 'absent' } }]))
    expect(taskStatus(r.json)).toEqual(['changed', 'changed'])
    expect(sql(`SELECT COUNT(*) FROM mysql.global_priv WHERE HEX(User) = '${hex(USER)}'`)).toBe('0\n')
    expect(sql(`SELECT COUNT(*) FROM information_schema.SCHEMATA WHERE HEX(SCHEMA_NAME) = '${hex(DB)}'`)).toBe('0\n')
    expect(taskStatus((await run(play('remove-again', [userTask({ state: 'absent' })]))).json)).toEqual(['ok'])
  })
})
