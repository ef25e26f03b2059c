/** What lookup() and query() return, errors=, varnames, config and first_found's search: as Ansible 2.14's _lookup and plugins. */
import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterEach, describe, expect, test } from 'vitest'
import { loopItems } from '../../engine/exec/loop.js'
import { evaluate, MISSING, renderString, type Scope } from '../../engine/expr/index.js'
import { settingValue } from '../../engine/expr/lookups/config.js'
import { setLookupWarningSink } from '../../engine/expr/lookups/index.js'

const dir = mkdtempSync(join(tmpdir(), 'tsplay-lookup-run-'))
const role = join(dir, 'roles', 'web')
for (const d of ['files', 'templates', 'vars', 'tasks']) mkdirSync(join(role, d), { recursive: true })
mkdirSync(join(dir, 'files'))
writeFileSync(join(role, 'templates', 'x.j2'), '')
writeFileSync(join(role, 'vars', 'Debian.yml'), '')
writeFileSync(join(role, 'files', 'x.j2'), '')
writeFileSync(join(dir, 'files', 'top.txt'), '')
writeFileSync(join(dir, 'files', 'a.txt'), 'A\n')

const vars: Record<string, unknown> = {
  playbook_dir: dir,
  ansible_search_path: [role, join(role, 'tasks'), dir],
  zeta: 1,
  alpha: 2,
  mid: 3,
}
const scope: Scope = { lookup: (name) => (Object.hasOwn(vars, name) ? vars[name] : MISSING), names: () => Object.keys(vars) }
const at = (expr: string): unknown => renderString(`{{ ${expr} }}`, scope)
const warnings: string[] = []
setLookupWarningSink((m) => warnings.push(m))
afterEach(() => {
  warnings.length = 0
})

describe('lookup() and query() shape the plugin list as Ansible does', () => {
  test('texts are joined with commas; one value is itself; non-texts stay a list', () => {
    expect(at("lookup('items', 'a', 'b')")).toBe('a,b')
    expect(at("lookup('list', 1, 2)")).toEqual([1, 2])
    expect(at("lookup('list', [1, 2])")).toEqual([1, 2])
    expect(at("query('list', [1, 2])")).toEqual([[1, 2]])
    expect(at("lookup('items', [1, 2], [3])")).toEqual([1, 2, 3])
    expect(at("lookup('dict', {'a': 1})")).toEqual({ key: 'a', value: 1 })
    expect(at("lookup('items', 'a', 'b', wantlist=True)")).toEqual(['a', 'b'])
  })

  test('no results is an empty list, for lookup() too', () => {
    expect(at("lookup('items', [])")).toEqual([])
  })

  test("errors='warn' and 'ignore': None from lookup() (rendered as ''), [] from query(); warn says why", () => {
    expect(evaluate("lookup('file', 'nope', errors='ignore')", scope)).toBeNull()
    expect(at("lookup('file', 'nope', errors='ignore')")).toBe('')
    expect(warnings).toEqual([])
    expect(at("query('file', 'nope', errors='warn')")).toEqual([])
    expect(warnings[0]).toMatch(/^Lookup 'file' failed but the error is being ignored: lookup\('file'\) could not read 'nope'/)
    expect(() => at("lookup('file', 'nope', errors='strict')")).toThrow(/could not read 'nope'/)
  })

  test('an undefined term fails whatever errors= says', () => {
    expect(() => at("lookup('env', nothing_here, errors='ignore')")).toThrow(/nothing_here/)
  })
})

describe("lookup('varnames') and lookup('config')", () => {
  test('varnames: names matching each regex (re.search), in the order the variables are defined', () => {
    expect(at("query('varnames', '^(zeta|alpha|mid)$')")).toEqual(['zeta', 'alpha', 'mid'])
    expect(at("lookup('varnames', 'ta$', 'ph')")).toBe('zeta,alpha')
    expect(() => at("lookup('varnames', '(')")).toThrow(/Unable to use "\(" as a search parameter/)
  })

  test("config: Ansible's value from the environment, ansible.cfg or its default", () => {
    const cfg = join(dir, 'cfgdir')
    mkdirSync(cfg)
    writeFileSync(join(cfg, 'ansible.cfg'), '[defaults]\nroles_path = r1:/abs/r2\nforks = 7\n')
    expect(settingValue('DEFAULT_FORKS', {}, cfg, '/home/u')).toBe(7)
    expect(settingValue('DEFAULT_ROLES_PATH', {}, cfg, '/home/u')).toEqual([join(cfg, 'r1'), '/abs/r2'])
    expect(settingValue('DEFAULT_FORKS', { ANSIBLE_FORKS: '9' }, cfg, '/home/u')).toBe(9)
    expect(settingValue('DEFAULT_PRIVATE_ROLE_VARS', {}, dir, '/home/u')).toBe(false)
    expect(settingValue('DEFAULT_ROLES_PATH', {}, dir, '/home/u')).toEqual(['/home/u/.ansible/roles', '/usr/share/ansible/roles', '/etc/ansible/roles'])
    expect(settingValue('NOPE', {}, dir, '/home/u')).toBeUndefined()
  })

  test('config: an unknown setting fails, or is skipped (with a warning for warn)', () => {
    expect(() => at("lookup('config', 'NOPE_X')")).toThrow(/Unable to find setting NOPE_X/)
    expect(at("query('config', 'NOPE_X', on_missing='skip')")).toEqual([])
    expect(at("query('config', 'NOPE_X', on_missing='warn')")).toEqual([])
    expect(warnings).toEqual(['Skipping, did not find setting NOPE_X'])
    expect(() => at("lookup('config', 'NOPE_X', on_missing='loud')")).toThrow(/"on_missing" must be a string and one of/)
  })
})

describe('every new lookup works as a with_<name> loop', () => {
  test('with_varnames, with_config, with_password, with_csvfile, with_ini', () => {
    writeFileSync(join(dir, 'files', 'u.tsv'), 'ann\t1\n')
    writeFileSync(join(dir, 'files', 'u.ini'), '[s]\nk = v\n')
    expect(loopItems('with_varnames', ['^(zeta|mid)$'], scope)).toEqual(['zeta', 'mid'])
    expect(loopItems('with_config', ['DEFAULT_BECOME_USER'], scope)).toEqual(['root'])
    expect(loopItems('with_password', '/dev/null seed=abc', scope)).toEqual(['6TTuIhBjbajOIpXYV3o6'])
    expect(loopItems('with_csvfile', ['ann file=u.tsv'], scope)).toEqual(['1'])
    expect(loopItems('with_ini', ['k section=s file=u.ini'], scope)).toEqual(['v'])
    expect(() => loopItems('with_unvault', ['nope.vault'], scope)).toThrow(/could not read 'nope.vault'/)
    expect(() => loopItems('with_url', ['http://127.0.0.1:9/'], scope)).toThrow(/Failed lookup url for http:\/\/127.0.0.1:9\//)
  })
})

describe('first_found searches as Ansible does', () => {
  test('the role comes first: <role>/files, then the role, the task folder, the playbook', () => {
    expect(at("lookup('first_found', 'x.j2')")).toBe(join(role, 'files', 'x.j2'))
    expect(at("lookup('first_found', 'top.txt')")).toBe(join(dir, 'files', 'top.txt'))
  })

  test('with_first_found in a template task looks in templates/, in include_vars in vars/', () => {
    expect(loopItems('with_first_found', ['x.j2'], scope, 'template')).toEqual([join(role, 'templates', 'x.j2')])
    expect(loopItems('with_first_found', ['nope.yml', 'Debian.yml'], scope, 'ansible.builtin.include_vars')).toEqual([join(role, 'vars', 'Debian.yml')])
    expect(loopItems('with_first_found', ['x.j2'], scope, 'copy')).toEqual([join(role, 'files', 'x.j2')])
  })

  test('files/paths options and dict terms; skip gives nothing instead of failing', () => {
    expect(at("lookup('first_found', 'x', files=['nope', 'a.txt'], paths=[playbook_dir ~ '/files'])")).toBe(join(dir, 'files', 'a.txt'))
    // Ansible's quirks, kept: without a term nothing is searched; paths= without files= drops the term.
    expect(() => at("query('first_found', files=['a.txt'], skip=True)")).toThrow('No file was found')
    expect(at("query('first_found', 'a.txt', paths=['files'], skip=True)")).toEqual([])
    expect(at("lookup('first_found', {'files': 'nope,a.txt', 'paths': 'files'})")).toBe(join(dir, 'files', 'a.txt'))
    expect(at("query('first_found', 'nope', skip=True)")).toEqual([])
    expect(() => at("lookup('first_found', 'nope')")).toThrow('No file was found when using first_found.')
  })
})
