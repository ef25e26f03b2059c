/** ansible.cfg and ANSIBLE_*: found, read and reported as Ansible does for the settings tsplay has. */
import { chmodSync, mkdirSync, mkdtempSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { beforeEach, describe, expect, test } from 'vitest'
import { readAnsibleConfig } from '../../engine/config/ansible-cfg.js'
import { runOptionsFrom, type RunFlags } from '../../engine/cli/run-command.js'
import { OptionsError } from '../../engine/errors.js'

let root: string
let cwd: string
let home: string

function write(path: string, text: string): string {
  mkdirSync(join(path, '..'), { recursive: true })
  writeFileSync(path, text)
  return path
}

const noFlags: RunFlags = { inventory: [], tags: [], skipTags: [], extraVars: [], hostKeyChecking: true, knownHosts: [], verbose: 0 }

const read = (env: NodeJS.ProcessEnv = {}): ReturnType<typeof readAnsibleConfig> => readAnsibleConfig({ env, cwd, home })

beforeEach(() => {
  root = mkdtempSync(join(tmpdir(), 'tsplay-cfg-'))
  cwd = join(root, 'project')
  home = join(root, 'home')
  mkdirSync(cwd, { recursive: true })
  mkdirSync(home, { recursive: true })
})

describe('which ansible.cfg is read', () => {
  test('the first found of $ANSIBLE_CONFIG, ./ansible.cfg, ~/.ansible.cfg', () => {
    write(join(home, '.ansible.cfg'), '[defaults]\nforks = 1\n')
    expect(read()).toMatchObject({ file: join(home, '.ansible.cfg'), settings: { forks: 1 } })
    write(join(cwd, 'ansible.cfg'), '[defaults]\nforks = 2\n')
    expect(read()).toMatchObject({ file: join(cwd, 'ansible.cfg'), settings: { forks: 2 } })
    const other = write(join(root, 'other', 'ansible.cfg'), '[defaults]\nforks = 3\n')
    expect(read({ ANSIBLE_CONFIG: other })).toMatchObject({ file: other, settings: { forks: 3 } })
    // A folder in ANSIBLE_CONFIG means its ansible.cfg; one that does not exist is passed over, as in Ansible.
    expect(read({ ANSIBLE_CONFIG: join(root, 'other') }).file).toBe(other)
    expect(read({ ANSIBLE_CONFIG: join(root, 'nowhere.cfg') }).file).toBe(join(cwd, 'ansible.cfg'))
  })

  test("a world-writable folder's ansible.cfg is not read, with Ansible's warning", () => {
    write(join(cwd, 'ansible.cfg'), '[defaults]\nforks = 2\n')
    chmodSync(cwd, 0o777)
    const config = read()
    expect(config.file).toBeUndefined()
    expect(config.settings).toEqual({})
    expect(config.warnings).toEqual([expect.stringContaining(`Ansible is being run in a world writable directory (${cwd}), ignoring it as an ansible.cfg source.`)])
  })

  test('no file at all: no settings, no warning', () => {
    expect(read()).toEqual({ settings: {}, warnings: [] })
  })
})

describe('settings', () => {
  test('every setting tsplay has is read, with relative paths from the file’s folder', () => {
    write(join(cwd, 'ansible.cfg'), [
      '[defaults]',
      'inventory = hosts.ini, ~/more.yml',
      'roles_path = roles:/opt/roles',
      'forks = 7',
      'remote_user = deploy',
      'private_key_file = keys/id_ed25519',
      'host_key_checking = False',
      'timeout = 30',
      'gathering = explicit',
      'private_role_vars = True',
      'strategy = free',
      'stdout_callback = json',
      'vault_password_file = .vault-pass',
      'vault_identity_list = dev@dev-pass, prod@prompt',
      '',
      '[privilege_escalation]',
      'become = yes',
      'become_user = postgres',
      'become_method = sudo',
      'become_ask_pass = true',
      '[diff]',
      'always = yes',
      '[tags]',
      'run = web, db',
      'skip = slow',
      '',
    ].join('\n'))
    expect(read()).toEqual({
      file: join(cwd, 'ansible.cfg'),
      warnings: [],
      settings: {
        inventory: [join(cwd, 'hosts.ini'), join(home, 'more.yml')],
        rolesPath: [join(cwd, 'roles'), '/opt/roles'],
        forks: 7,
        remoteUser: 'deploy',
        privateKeyFile: join(cwd, 'keys/id_ed25519'),
        hostKeyChecking: false,
        timeout: 30,
        gatherExplicitly: true,
        privateRoleVars: true,
        strategy: 'free',
        json: true,
        vaultPasswordFile: join(cwd, '.vault-pass'),
        vaultIdentityList: ['dev@dev-pass', 'prod@prompt'],
        become: true,
        becomeUser: 'postgres',
        becomeMethod: 'sudo',
        becomeAskPass: true,
        diff: true,
        runTags: ['web', 'db'],
        skipTags: ['slow'],
      },
    })
  })

  test('ANSIBLE_* variables win over the file; their relative paths start from the current folder', () => {
    const file = write(join(root, 'cfg', 'ansible.cfg'), '[defaults]\nforks = 3\ninventory = hosts.ini\n')
    const config = read({ ANSIBLE_CONFIG: file, ANSIBLE_FORKS: '9', ANSIBLE_INVENTORY: 'inv/prod' })
    expect(config.settings).toEqual({ forks: 9, inventory: [join(cwd, 'inv/prod')] })
    expect(read({ ANSIBLE_CONFIG: file }).settings.inventory).toEqual([join(root, 'cfg', 'hosts.ini')])
  })

  test('one warning names every setting not applied, with its section, key and file:line', () => {
    const file = write(join(cwd, 'ansible.cfg'), '[defaults]\nretry_files_enabled = False\ncallbacks_enabled = profile_tasks\nstdout_callback = yaml\n[ssh_connection]\npipelining = True\nssh_args = -o ControlMaster=auto\n')
    const { warnings } = read({ ANSIBLE_STRATEGY: 'host_pinned', ANSIBLE_NOCOLOR: '1' })
    expect(warnings).toEqual([
      `tsplay does not apply these Ansible settings: [defaults] callbacks_enabled (${file}:3), [defaults] stdout_callback = yaml (${file}:4), [ssh_connection] ssh_args (${file}:7), ANSIBLE_STRATEGY = host_pinned (environment)`,
    ])
  })

  test('the handler, fact cache and jinja2_native settings are read from the environment as from ansible.cfg', () => {
    const env = { ANSIBLE_FORCE_HANDLERS: 'true', ANSIBLE_ERROR_ON_MISSING_HANDLER: 'false', ANSIBLE_CACHE_PLUGIN: 'jsonfile', ANSIBLE_CACHE_PLUGIN_CONNECTION: '/tmp/facts', ANSIBLE_CACHE_PLUGIN_PREFIX: 'prefix_', ANSIBLE_JINJA2_NATIVE: '1' }
    const { settings, warnings } = read(env)
    expect(warnings).toEqual([])
    expect(settings).toMatchObject({ forceHandlers: true, errorOnMissingHandler: false, factCaching: 'jsonfile', factCachingConnection: '/tmp/facts', factCachingPrefix: 'prefix_', jinja2Native: true })
    expect(runOptionsFrom(noFlags, settings)).toMatchObject({ forceHandlers: true, errorOnMissingHandler: false, factCache: { dir: '/tmp/facts', prefix: 'prefix_', timeoutSec: 86400 }, jinja2Native: true })
    expect(() => runOptionsFrom(noFlags, { factCaching: 'jsonfile' })).toThrow(OptionsError)
  })

  test('become_method su is applied; one tsplay lacks is named as not applied', () => {
    write(join(cwd, 'ansible.cfg'), '[privilege_escalation]\nbecome_method = su\n')
    expect(read()).toMatchObject({ settings: { becomeMethod: 'su' }, warnings: [] })
    const file = write(join(cwd, 'ansible.cfg'), '[privilege_escalation]\nbecome_method = doas\n')
    expect(read().warnings).toEqual([`tsplay does not apply these Ansible settings: [privilege_escalation] become_method = doas (${file}:2)`])
  })
})

describe('errors name the file, the line and the setting', () => {
  test('a value of the wrong type', () => {
    const file = write(join(cwd, 'ansible.cfg'), '[defaults]\nforks = many\n')
    expect(() => read()).toThrow(new OptionsError(`${file}:2 ([defaults] forks): expected a whole number, got 'many'`))
  })

  test('a boolean that is neither true nor false (Ansible would take it as false)', () => {
    const file = write(join(cwd, 'ansible.cfg'), '[privilege_escalation]\nbecome = ture\n')
    expect(() => read()).toThrow(`${file}:2 ([privilege_escalation] become): expected a boolean`)
  })

  test('a line before any section, and a line that is not key = value', () => {
    const file = write(join(cwd, 'ansible.cfg'), 'forks = 5\n')
    expect(() => read()).toThrow(`${file}:1: error reading config file: 'forks = 5' comes before any [section] header`)
    write(file, '[defaults]\nforks 5\n')
    expect(() => read()).toThrow(`${file}:2: error reading config file: expected 'key = value', got 'forks 5'`)
  })

  test('an environment variable of the wrong type names the variable', () => {
    expect(() => read({ ANSIBLE_TIMEOUT: 'soon' })).toThrow("ANSIBLE_TIMEOUT: expected a whole number, got 'soon'")
  })
})

describe("the INI dialect (Python's configparser, as Ansible sets it up)", () => {
  test('comments, inline ; comments, key: value, upper-case keys, continuation lines and [DEFAULT]', () => {
    write(join(cwd, 'ansible.cfg'), [
      '# a comment',
      '; another',
      '[DEFAULT]',
      'remote_user = fromdefault',
      '[defaults]',
      'FORKS: 4 ; four at once',
      'inventory = a.ini,',
      '  b.ini',
      'private_key_file = key#1',
    ].join('\n'))
    expect(read().settings).toEqual({ forks: 4, remoteUser: 'fromdefault', inventory: [join(cwd, 'a.ini'), join(cwd, 'b.ini')], privateKeyFile: join(cwd, 'key#1') })
  })
})

describe('the command line beats ansible.cfg and ANSIBLE_*, which beat tsplay\'s defaults', () => {
  const configured = { strategy: 'free' as const, diff: true, runTags: ['web'], skipTags: ['slow'], forks: 7, timeout: 30, remoteUser: 'deploy', privateKeyFile: '/keys/id', hostKeyChecking: false, become: true, becomeUser: 'pg', connection: 'local' as const, verbosity: 2, rolesPath: ['/r'], gatherExplicitly: true }

  test('settings fill in what the flags leave out', () => {
    expect(runOptionsFrom(noFlags, configured)).toMatchObject({ strategy: 'free', diff: true, tags: ['web'], skipTags: ['slow'], forks: 7, connectTimeoutMs: 30_000, user: 'deploy', privateKey: '/keys/id', hostKeyChecking: false, become: true, becomeUser: 'pg', connection: 'local', verbosity: 2, rolesPath: ['/r'], gatherExplicitly: true })
  })

  test('--tags and --skip-tags add to the configured tags, as in Ansible', () => {
    expect(runOptionsFrom({ ...noFlags, tags: ['db'], skipTags: ['never'] }, configured)).toMatchObject({ tags: ['web', 'db'], skipTags: ['slow', 'never'] })
  })

  test('flags win', () => {
    const flags: RunFlags = { ...noFlags, forks: '3', timeout: '5', user: 'me', privateKey: '/mine', becomeUser: 'root', connection: 'ssh', verbose: 1 }
    expect(runOptionsFrom(flags, configured)).toMatchObject({ forks: 3, connectTimeoutMs: 5_000, user: 'me', privateKey: '/mine', becomeUser: 'root', connection: 'ssh', verbosity: 1 })
  })

  test("without either, tsplay's defaults", () => {
    expect(runOptionsFrom(noFlags, {})).toMatchObject({ forks: 50, connectTimeoutMs: 10_000, hostKeyChecking: true, become: false, gatherExplicitly: false })
  })
})
