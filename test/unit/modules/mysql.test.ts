/**
 * mysql_user and mysql_db decide from what the server says: Ansible's priv text and SHOW GRANTS
 * compare as one map, the difference becomes REVOKE and GRANT statements (and a diff of grant
 * lines), a password is compared as its hash, and neither the password nor its hash ever shows
 * in a command line, an action, a diff or a result. Scripted hosts answer as MariaDB 10.11 does.
 */
import { describe, expect, it } from 'vitest'
import { nativePasswordHash } from '../../../engine/facts/mysql-sql.js'
import { decideDatabase, sameCharsetName } from '../../../modules/mysql/mysql-db-decide.js'
import { grantChanges, grantStatements, objectKey, parsePrivSpec, parseShowGrants } from '../../../modules/mysql/mysql-grants.js'
import { decideUser, type UserArgs } from '../../../modules/mysql/mysql-user-decide.js'
import { FakeHost, runTask } from '../../helpers/fake-host.js'

const PASSWORD = `s3cr"et'\\ü%`
const HASH = nativePasswordHash(PASSWORD)
const user = (a: Partial<UserArgs>): UserArgs => ({ name: 'cattle', host: '%', encrypted: false, append_privs: false, update_password: 'always', state: 'present', ...a })
const account = (grants: string[], hash = HASH) => ({ exists: true, auth: [{ plugin: 'mysql_native_password', authString: hash }], grants })

describe('privileges as data', () => {
  it("reads Ansible's priv text: objects, ALL, GRANT, column lists, quoted names", () => {
    const map = parsePrivSpec('cattle.*:ALL/mysql.user:SELECT,GRANT/`we.ird`.t:SELECT (b, a),insert')
    expect([...map.keys()]).toEqual(['`cattle`.*', '`mysql`.`user`', '`we.ird`.`t`'])
    expect([...(map.get('`cattle`.*')?.privs.keys() ?? [])]).toEqual(['ALL PRIVILEGES'])
    expect(map.get('`mysql`.`user`')?.grantOption).toBe(true)
    expect([...(map.get('`we.ird`.`t`')?.privs.keys() ?? [])]).toEqual(['SELECT (a, b)', 'INSERT'])
    expect(objectKey('FUNCTION db.f')).toBe('FUNCTION `db`.`f`')
    expect(() => parsePrivSpec('cattle:ALL')).toThrow(/db\.table/)
  })

  it('reads SHOW GRANTS the same way, leaving out USAGE, PROXY and the password', () => {
    const map = parseShowGrants([
      "GRANT USAGE ON *.* TO `cattle`@`%` IDENTIFIED BY PASSWORD '*0123'",
      'GRANT ALL PRIVILEGES ON `cattle`.* TO `cattle`@`%` WITH GRANT OPTION',
      'GRANT SELECT (`Host`), INSERT ON `mysql`.`user` TO `cattle`@`%`',
      'GRANT PROXY ON ``@`%` TO `root`@`localhost` WITH GRANT OPTION',
    ])
    expect([...map.keys()]).toEqual(['`cattle`.*', '`mysql`.`user`'])
    expect(map.get('`cattle`.*')?.grantOption).toBe(true)
    expect([...(map.get('`mysql`.`user`')?.privs.keys() ?? [])]).toEqual(['SELECT (Host)', 'INSERT'])
  })

  it('revokes what is not wanted before granting what is missing; append only grants', () => {
    const current = parseShowGrants(['GRANT ALL PRIVILEGES ON `cattle`.* TO `c`@`%`', 'GRANT SELECT ON `old`.* TO `c`@`%` WITH GRANT OPTION'])
    const wanted = parsePrivSpec('cattle.*:SELECT,INSERT')
    expect(grantStatements(grantChanges(current, wanted, false), "'c'@'%'")).toEqual([
      "REVOKE ALL PRIVILEGES ON `cattle`.* FROM 'c'@'%'",
      "REVOKE SELECT ON `old`.* FROM 'c'@'%'",
      "REVOKE GRANT OPTION ON `old`.* FROM 'c'@'%'",
      "GRANT SELECT, INSERT ON `cattle`.* TO 'c'@'%'",
    ])
    expect(grantStatements(grantChanges(current, parsePrivSpec('new.*:SELECT'), true), "'c'@'%'")).toEqual(["GRANT SELECT ON `new`.* TO 'c'@'%'"])
    expect(grantChanges(current, parsePrivSpec('cattle.*:ALL/old.*:SELECT,GRANT'), false)).toEqual([])
  })
})

describe('mysql_user decides', () => {
  it('creates an account with its hash and grants, showing neither password nor hash', () => {
    const d = decideUser({ exists: false, auth: [], grants: [] }, user({ password: PASSWORD, priv: 'cattle.*:ALL' }))
    expect(d.statements).toEqual([`CREATE USER 'cattle'@'%' IDENTIFIED VIA mysql_native_password USING '${HASH}'`, "GRANT ALL PRIVILEGES ON `cattle`.* TO 'cattle'@'%'"])
    expect(d.diff.after).toBe('state: present\nauthentication: mysql_native_password\ngrant `cattle`.*: ALL PRIVILEGES\n')
    expect(JSON.stringify([d.actions, d.diff])).not.toContain(HASH)
    expect(JSON.stringify(d)).not.toContain(PASSWORD)
  })

  it('changes nothing when the hash and grants match', () => {
    const d = decideUser(account(["GRANT USAGE ON *.* TO `cattle`@`%` IDENTIFIED BY PASSWORD '*X'", 'GRANT ALL PRIVILEGES ON `cattle`.* TO `cattle`@`%`']), user({ password: PASSWORD, priv: 'cattle.*:ALL' }))
    expect(d.statements).toEqual([])
  })

  it('sets a new password when the hash differs (not with update_password: on_create)', () => {
    const old = account([], nativePasswordHash('old'))
    expect(decideUser(old, user({ password: PASSWORD })).statements).toEqual([`ALTER USER 'cattle'@'%' IDENTIFIED VIA mysql_native_password USING '${HASH}'`])
    expect(decideUser(old, user({ password: PASSWORD })).diff.after).toContain('(new password)')
    expect(decideUser(old, user({ password: PASSWORD, update_password: 'on_create' })).statements).toEqual([])
  })

  it("keeps root's unix_socket login when it gets a password", () => {
    const root = { exists: true, auth: [{ plugin: 'mysql_native_password', authString: 'invalid' }, { plugin: 'unix_socket', authString: '' }], grants: [] }
    const d = decideUser(root, user({ name: 'root', host: 'localhost', password: PASSWORD, unix_socket: true }))
    expect(d.statements).toEqual([`ALTER USER 'root'@'localhost' IDENTIFIED VIA unix_socket OR mysql_native_password USING '${HASH}'`])
    const after = { ...root, auth: [{ plugin: 'unix_socket', authString: '' }, { plugin: 'mysql_native_password', authString: HASH }] }
    expect(decideUser(after, user({ name: 'root', host: 'localhost', password: PASSWORD, unix_socket: true })).statements).toEqual([])
  })

  it('takes an encrypted password as the hash itself, and refuses one that is not a hash', () => {
    expect(decideUser(account([]), user({ password: HASH, encrypted: true })).statements).toEqual([])
    expect(decideUser(account([]), user({ password: 'plain', encrypted: true })).failed).toMatch(/hash/)
  })

  it('drops an account that exists, and only then', () => {
    expect(decideUser(account([]), user({ state: 'absent' })).statements).toEqual(["DROP USER 'cattle'@'%'"])
    expect(decideUser({ exists: false, auth: [], grants: [] }, user({ state: 'absent' })).statements).toEqual([])
  })
})

describe('mysql_db decides', () => {
  it('takes utf8 and utf8mb3 as one character set (MariaDB 10.6+ reports utf8mb3)', () => {
    expect(sameCharsetName('utf8', 'utf8mb3')).toBe(true)
    expect(sameCharsetName('utf8_general_ci', 'utf8mb3_general_ci')).toBe(true)
    expect(sameCharsetName('utf8mb4', 'utf8mb3')).toBe(false)
    const cattle = { exists: true, charset: 'utf8mb3', collation: 'utf8mb3_general_ci' }
    expect(decideDatabase(cattle, { name: 'cattle', state: 'present', encoding: 'utf8', collation: 'utf8_general_ci' }).statements).toEqual([])
    expect(decideDatabase(cattle, { name: 'cattle', state: 'present', encoding: 'utf8mb4' }).statements).toEqual(["ALTER DATABASE `cattle` CHARACTER SET 'utf8mb4'"])
    expect(decideDatabase({ exists: false, charset: '', collation: '' }, { name: 'a`b', state: 'present', encoding: 'utf8' }).statements).toEqual(["CREATE DATABASE `a``b` CHARACTER SET 'utf8'"])
  })
})

/** A server with one account, answering the account read as the client prints it. */
function server(grants: string[], hash: string | null): FakeHost {
  const priv = hash === null ? null : Buffer.from(JSON.stringify({ plugin: 'mysql_native_password', authentication_string: hash })).toString('hex').toUpperCase()
  return new FakeHost([[/--defaults-extra-file/, (): { stdout: string } => ({ stdout: priv === null ? '' : [`account\t${priv}`, ...grants].join('\n') + '\n' })]])
}

describe('mysql_user on a scripted host', () => {
  it('sends the login password and the SQL on standard input only; the clear password never leaves the controller', async () => {
    const host = server([], null)
    const r = await runTask(host, 'mysql_user', { name: 'cattle', host: '%', password: PASSWORD, priv: 'cattle.*:ALL', login_user: 'admin', login_password: 'L0gin"pw' })
    expect(r.status).toBe('changed')
    expect(host.sent.some((s) => s.text.includes('L0gin') || s.text.includes(HASH))).toBe(false)
    expect(host.sent.every((s) => !s.stdin?.includes(PASSWORD))).toBe(true)
    const write = host.sent[1]
    expect(write?.stdin?.split('\n')[0]).toBe('password="L0gin\\"pw"')
    // The statements reach the client as hex: the hash is inside, not readable as text.
    expect(write?.stdin).toContain(Buffer.from(HASH).toString('hex').toUpperCase())
    expect(JSON.stringify(r)).not.toContain(HASH)
  })

  it('in check mode reads once, writes nothing, and shows the grants it would add and revoke', async () => {
    const host = server(["GRANT USAGE ON *.* TO `cattle`@`%` IDENTIFIED BY PASSWORD '" + HASH + "'", 'GRANT ALL PRIVILEGES ON `cattle`.* TO `cattle`@`%`'], HASH)
    const r = await runTask(host, 'mysql_user', { name: 'cattle', host: '%', password: PASSWORD, priv: 'cattle.*:SELECT/mysql.user:SELECT' }, { check: true })
    expect(r.status).toBe('changed')
    expect(host.sent).toHaveLength(1)
    expect(r.diff[0]?.before).toBe('state: present\nauthentication: mysql_native_password\ngrant `cattle`.*: ALL PRIVILEGES\n')
    expect(r.diff[0]?.after).toBe('state: present\nauthentication: mysql_native_password\ngrant `cattle`.*: SELECT\ngrant `mysql`.`user`: SELECT\n')
  })

  it('in check mode plans a server that is not installed yet as an empty one; a real run fails saying why', async () => {
    const missing = new FakeHost([[/--defaults-extra-file/, { code: 127, stderr: 'neither mariadb nor mysql (the client) is installed on this host\n' }]])
    const check = await runTask(missing, 'mysql_db', { name: 'cattle' }, { check: true })
    expect(check.status).toBe('changed')
    expect(check.result['assumed']).toMatch(/not installed/)
    const real = await runTask(missing, 'mysql_db', { name: 'cattle' })
    expect(real.status).toBe('failed')
    expect(real.msg).toMatch(/cannot connect to the database server: the mysql client is not installed/)
  })
})
