/** password, ini, csvfile and unvault: what Ansible 2.14's lookups give for the same files (checked with ansible-playbook). */
import { mkdtempSync, readFileSync, statSync, writeFileSync, mkdirSync, readdirSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterEach, describe, expect, test } from 'vitest'
import { MISSING, renderString, type Scope } from '../../engine/expr/index.js'
import { candidateChars, parseTerm, randomPassword } from '../../engine/expr/lookups/password.js'
import { formatPasswordFile, parsePasswordFile } from '../../engine/expr/lookups/password-file.js'
import { parseCsv } from '../../engine/expr/lookups/csvfile.js'
import { parseInline } from '../../engine/expr/lookups/ini.js'
import { encryptVault, setVaultSecrets } from '../../engine/vault/keyring.js'
import { resetSecretsForTests, scrub } from '../../engine/secrets.js'

const dir = mkdtempSync(join(tmpdir(), 'tsplay-lookups-'))
mkdirSync(join(dir, 'files'))
const scope: Scope = { lookup: (name) => (name === 'playbook_dir' ? dir : MISSING) }
const at = (expr: string): unknown => renderString(`{{ ${expr} }}`, scope)

afterEach(() => {
  setVaultSecrets([])
  resetSecretsForTests()
})

describe("lookup('password')", () => {
  test('a seed gives the password Ansible gives (Python random.Random(seed).choice)', () => {
    expect(at("lookup('password', '/dev/null', seed='abc')")).toBe('6TTuIhBjbajOIpXYV3o6')
    expect(at("lookup('password', '/dev/null', seed='host1', length=12, chars=['ascii_lowercase', 'digits'])")).toBe('5plo4vw30nh6')
    expect(at("lookup('password', '/dev/null seed=abc chars=ascii_lowercase length=8')")).toBe('yrowlylf')
    expect(at("lookup('password', '/dev/null', seed='abc', chars='digits,,', length=30)")).toBe('875524031001541686561705668905')
    expect(at("lookup('password', '/dev/null', seed='x', chars='hexdigits')")).toBe('EaDDf2cCeFec5cfCAA0b')
  })

  test('chars: string module sets, literals, and ",," for a comma when inline', () => {
    expect(candidateChars(['digits', '?|'])).toBe('0123456789?|')
    expect(candidateChars('digits,,', true)).toBe(',0123456789')
    expect(candidateChars('digits,,')).toBe('0123456789')
    expect(candidateChars(["'\"ab"])).toBe('ab')
    expect(randomPassword(5, 'a')).toBe('aaaaa')
  })

  test('inline parameters: spaces in the path, unknown parameters refused', () => {
    expect(parseTerm('creds/db length=12')).toEqual({ path: 'creds/db', inline: { length: '12' } })
    expect(parseTerm('my dir/pw length=3')).toEqual({ path: 'my dir/pw', inline: { length: '3' } })
    expect(() => parseTerm('pw lenght=3')).toThrow('Unrecognized parameter(s) given to password lookup: lenght')
  })

  test('the file format: password, then salt= and ident= when there are any', () => {
    expect(parsePasswordFile('p w salt=abc ident=2b')).toEqual({ password: 'p w', salt: 'abc', ident: '2b' })
    expect(parsePasswordFile('plain')).toEqual({ password: 'plain' })
    expect(formatPasswordFile({ password: 'x', salt: 's' })).toBe('x salt=s')
    expect(formatPasswordFile({ password: 'x' })).toBe('x')
  })

  test('the file is made 0600 in a 0700 folder under the playbook dir, then read back', () => {
    const first = at("lookup('password', 'creds/new/db.txt', length=8)")
    const file = join(dir, 'creds', 'new', 'db.txt')
    expect(readFileSync(file, 'utf8')).toBe(`${String(first)}\n`)
    expect(statSync(file).mode & 0o777).toBe(0o600)
    expect(statSync(join(dir, 'creds', 'new')).mode & 0o777).toBe(0o700)
    expect(statSync(join(dir, 'creds')).mode & 0o777).not.toBe(0o700)
    expect(at("lookup('password', 'creds/new/db.txt', length=30)")).toBe(first)
    expect(readdirSync(join(dir, 'creds', 'new'))).toEqual(['db.txt'])
  })

  test('encrypt= keeps a salt in the file, so the hash is the same on every call', () => {
    writeFileSync(join(dir, 'kept.txt'), 'secret\n')
    const hash = at("lookup('password', 'kept.txt', encrypt='sha512_crypt')") as string
    expect(hash).toMatch(/^\$6\$[./0-9A-Za-z]{16}\$/)
    expect(readFileSync(join(dir, 'kept.txt'), 'utf8')).toMatch(/^secret salt=[./0-9A-Za-z]{16}\n$/)
    expect(at("lookup('password', 'kept.txt', encrypt='sha512_crypt')")).toBe(hash)
    expect(at("lookup('password', 'kept.txt')")).toBe('secret')
    // As Ansible: the stored 16-character salt is too long for md5_crypt; a new file gets an 8-character one.
    expect(() => at("lookup('password', 'kept.txt', encrypt='md5_crypt')")).toThrow('invalid salt size')
    expect(at("lookup('password', 'md5.txt', encrypt='md5_crypt')")).toMatch(/^\$1\$[./0-9A-Za-z]{8}\$/)
    expect(() => at("lookup('password', 'kept.txt', encrypt='sha1')")).toThrow("crypt.crypt does not support 'sha1' algorithm")
  })

  test('/dev/null: a new password each time, nothing written', () => {
    expect(at("lookup('password', '/dev/null')")).not.toBe(at("lookup('password', '/dev/null')"))
  })
})

describe("lookup('ini')", () => {
  writeFileSync(join(dir, 'files', 't.ini'), '[s]\nk=v\nK2 = %(k)s-x\nmulti = a\n  b\n[DEFAULT]\nd=1\n')
  writeFileSync(join(dir, 'n.ini'), '[s]\nk=v\nnov\n')
  writeFileSync(join(dir, 'u.properties'), 'user.name=ann\nuser.home : /h\n')

  test('keys are case-insensitive, DEFAULT is in every section, %(x)s interpolates, a missing key is the default', () => {
    expect(at("query('ini', 'k2', 'd', 'K', 'zz', section='s', file='t.ini')")).toEqual(['v-x', '1', 'v', ''])
    expect(at("lookup('ini', 'multi', section='s', file='t.ini')")).toBe('a\nb')
    expect(at("lookup('ini', 'zz', section='s', file='t.ini', default='dflt')")).toBe('dflt')
    expect(at("lookup('ini', 'k2 section=s file=t.ini')")).toBe('v-x')
  })

  test('re=True: every matching key (re.match), defaults first', () => {
    expect(at("query('ini', '.*', section='s', file='t.ini', re=True)")).toEqual(['1', 'v', 'v-x', 'a\nb'])
    expect(at("query('ini', 'k', section='s', file='t.ini', re=True)")).toEqual(['v', 'v-x'])
  })

  test('allow_no_value: a key without a value gives nothing; without it, such a line is a parse error', () => {
    expect(at("query('ini', 'nov', section='s', file='n.ini', allow_no_value=True)")).toEqual([])
    expect(() => at("query('ini', 'k', section='s', file='n.ini')")).toThrow("Source contains parsing errors: '<???>'\n\t[line  3]: 'nov\\n'")
  })

  test('properties files, case_sensitive, missing sections and files', () => {
    expect(at("query('ini', 'user.name', 'user.home', type='properties', file='u.properties')")).toEqual(['ann', '/h'])
    expect(at("lookup('ini', 'K2', section='s', file='t.ini', case_sensitive=True)")).toBe('v-x')
    expect(at("query('ini', 'k2', section='s', file='t.ini', case_sensitive=True)")).toEqual([''])
    expect(() => at("lookup('ini', 'k', section='zz', file='t.ini')")).toThrow("No section 'zz' in t.ini")
    expect(() => at("lookup('ini', 'k', file='none.ini')")).toThrow(/could not read 'none.ini': ENOENT/)
  })

  test('the inline form takes the first word as the key', () => {
    expect(parseInline('user section=my section file=a.ini')).toEqual({ key: 'user', params: { section: 'my section', file: 'a.ini' } })
    expect(() => parseInline('section=x')).toThrow('No key to lookup')
    expect(() => parseInline('k bogus=1')).toThrow('bogus is not a valid option.')
  })
})

describe("lookup('csvfile')", () => {
  writeFileSync(join(dir, 'files', 'people.csv'), 'name,age,city\nann,30,"Paris, FR"\n"bob ""b""",40,Rome\n')
  writeFileSync(join(dir, 'people.tsv'), 'ann\t31\nbob\t41\n')

  test('the column of the row whose first field is the key; TAB by default', () => {
    expect(at("lookup('csvfile', 'ann', file='people.csv', delimiter=',', col=2)")).toBe('Paris, FR')
    expect(at("lookup('csvfile', 'bob \"b\"', file='people.csv', delimiter=',')")).toBe('40')
    expect(at("lookup('csvfile', 'bob file=people.tsv')")).toBe('41')
    expect(at("lookup('csvfile', 'bob file=people.tsv delimiter=TAB col=0')")).toBe('bob')
    expect(at("query('csvfile', 'carl', file='people.tsv')")).toEqual([])
    expect(at("lookup('csvfile', 'carl', file='people.tsv', default='none')")).toBe('none')
    expect(() => at("lookup('csvfile', 'ann', file='people.tsv', col=5)")).toThrow('csvfile: list index out of range')
  })

  test('col is read only for a row found; a missing file says No such file or directory', () => {
    expect(at("lookup('csvfile', 'carl file=people.tsv col=2, default=what?')")).toBe('what?')
    expect(() => at("lookup('csvfile', 'ann file=people.tsv col=2,')")).toThrow("csvfile: invalid literal for int() with base 10: '2,'")
    expect(() => at("lookup('csvfile', 'ann file=people.tsv col=0x1')")).toThrow("invalid literal for int() with base 10: '0x1'")
    expect(() => at("lookup('csvfile', 'ann', file='nope.csv')")).toThrow("csvfile: [Errno 2] No such file or directory: 'nope.csv'")
  })

  test("rows are read as Python's csv module reads them", () => {
    expect(parseCsv('a,"b,c"x,d\n\n"e\nf"\r\n', ',')).toEqual([['a', 'b,cx', 'd'], [], ['e\nf']])
    expect(parseCsv('a,\n', ',')).toEqual([['a', '']])
    expect(() => parseCsv('a', '::')).toThrow('"delimiter" must be a 1-character string')
  })
})

describe("lookup('unvault')", () => {
  const secret = { label: 'default', password: Buffer.from('pw1'), source: 'test' }
  writeFileSync(join(dir, 'files', 'vaulted.txt'), encryptVault('top secret\n', secret))
  writeFileSync(join(dir, 'plain.txt'), 'not vaulted\n')

  test('gives the plaintext whole, and registers it as a secret', () => {
    setVaultSecrets([secret])
    expect(at("lookup('unvault', 'vaulted.txt')")).toBe('top secret\n')
    expect(scrub('shown: top secret')).not.toContain('top secret')
    expect(at("lookup('unvault', 'plain.txt')")).toBe('not vaulted\n')
    expect(at("lookup('file', 'vaulted.txt')")).toBe('top secret')
  })

  test('no matching password: a clear error naming the file, never the plaintext', () => {
    setVaultSecrets([])
    expect(() => at("lookup('unvault', 'vaulted.txt')")).toThrow(/cannot decrypt .*vaulted.txt: it is encrypted with ansible-vault and no vault password was given/)
    setVaultSecrets([{ ...secret, password: Buffer.from('wrong') }])
    let message = ''
    try {
      at("lookup('unvault', 'vaulted.txt')")
    } catch (err) {
      message = (err as Error).message
    }
    expect(message).toMatch(/the vault password is wrong/)
    expect(message).not.toContain('top secret')
  })
})
