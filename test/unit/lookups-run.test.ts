/** What lookup() and query() return, errors=, varnames, config and first_found's search: as Ansible 2.14's _lookup and plugins. */
import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterEach, describe, expect, test } from 'vitest'
import { loopItems } from '../../engine/exec/loop.js'
import { evaluate, MISSING, renderString, type Scope } from '../../engine/expr/index.js'
import { settingValue } from '../../engine/expr/lookups/config.js'
import { PLUGIN_SETTINGS } from '../../engine/expr/lookups/config-plugins.js'
import { resolveSetting, type Setting } from '../../engine/expr/lookups/config-settings.js'
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
    expect(() => at("lookup('config', 'NOPE_X', on_missing='loud')")).toThrow('Invalid value "loud" for configuration option "plugin_type: lookup plugin: config setting: on_missing ", valid values are: error, skip, warn')
    expect(() => at("lookup('config', 'ConfigManager', on_missing='skip')")).toThrow('Invalid setting "ConfigManager" attempted')
    expect(() => at("lookup('config', 1337)")).toThrow(`Invalid setting identifier, "1337" is not a string, its a <class 'int'>`)
    expect(at("lookup('config', 'ANSIBLE_COW_ACCEPTLIST')")).toContain('meow')
  })

  test("config with plugin_type and plugin_name: the plugin's option, the task's variables first (last name listed wins)", () => {
    const ssh = PLUGIN_SETTINGS['connection/ssh'] ?? {}
    const places = (v: Record<string, unknown>, env: NodeJS.ProcessEnv = {}) => ({ env, cwd: dir, home: '/home/u', lookup: (n: string) => (Object.hasOwn(v, n) ? v[n] : MISSING) })
    const value = (name: string, v: Record<string, unknown>, env?: NodeJS.ProcessEnv): unknown => resolveSetting(ssh[name] as Setting, places(v, env))
    expect(value('port', { ansible_ssh_port: 2022 })).toBe(2022)
    expect(value('port', { ansible_port: '2022' })).toBe(2022)
    expect(value('port', { ansible_port: 1, ansible_ssh_port: 2 })).toBe(2)
    expect(value('port', {})).toBeNull()
    expect(value('port', {}, { ANSIBLE_REMOTE_PORT: '2200' })).toBe(2200)
    expect(value('remote_user', { ansible_ssh_user: 'lola' }, { ANSIBLE_REMOTE_USER: 'env' })).toBe('lola')
    expect(value('host', { inventory_hostname: 'web1', ansible_host: '10.0.0.1' })).toBe('10.0.0.1')
    expect(value('sftp_batch_mode', {})).toBe(true)
    expect(value('timeout', {}, { ANSIBLE_TIMEOUT: '5', ANSIBLE_SSH_TIMEOUT: '7' })).toBe(7)
    expect(resolveSetting(PLUGIN_SETTINGS['shell/sh']?.['remote_tmp'] as Setting, places({ ansible_remote_tmp: 'yolo' }))).toBe('yolo')
    expect(at("q('config', 'nope', plugin_type='shell', plugin_name='sh', on_missing='skip')")).toEqual([])
    expect(() => at("q('config', 'nope', plugin_type='shell', plugin_name='sh')")).toThrow(/Unable to find setting nope/)
    expect(() => at("q('config', 'remote_tmp', plugin_type='shell', plugin_name='nosuch', on_missing='skip')")).toThrow('Unable to load shell plugin "nosuch"')
    expect(() => at("q('config', 'remote_tmp', plugin_type='shell')")).toThrow('Both plugin_type and plugin_name are required, cannot use one without the other')
    expect(() => at("q('config', 'x', plugin_type='bogus', plugin_name='sh')")).toThrow(/valid values are: become, cache, callback/)
    expect(() => at("q('config', 'x', plugin_type='connection', plugin_name='winrm')")).toThrow(/tsplay does not know the settings of the connection plugin "winrm"/)
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
