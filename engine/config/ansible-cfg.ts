/**
 * ansible.cfg and the ANSIBLE_* environment, read as Ansible reads them for the settings tsplay
 * has: the environment beats the file, and command-line flags (applied by the CLI) beat both.
 * Every other setting found is named in one warning, so nothing the user configured is dropped
 * without a word.
 */
import { homedir } from 'node:os'
import { dirname } from 'node:path'
import type { BecomeMethod } from '../connection/become.js'
import { OptionsError } from '../errors.js'
import { readTextFileSync } from '../text-file.js'
import { findConfigFile, type ConfigPlaces } from './find.js'
import { parseIni, type IniSections } from './ini-file.js'
import { toBoolean, toInteger, toList, toPath, toPathList, toPathSpec, toText, type Origin } from './values.js'

/** The settings tsplay applies; a missing one keeps tsplay's default. */
export interface ConfigSettings {
  inventory?: string[]
  rolesPath?: string[]
  forks?: number
  remoteUser?: string
  privateKeyFile?: string
  hostKeyChecking?: boolean
  /** Seconds. */
  timeout?: number
  connection?: 'local'
  become?: boolean
  becomeUser?: string
  becomeMethod?: BecomeMethod
  becomeAskPass?: boolean
  vaultPasswordFile?: string
  vaultIdentityList?: string[]
  askVaultPass?: boolean
  /** For plays that name no strategy. */
  strategy?: 'linear' | 'free'
  /** `explicit`: plays gather facts only when they say `gather_facts: true`. */
  gatherExplicitly?: boolean
  /** `force_handlers`: as --force-handlers (a play's own force_handlers keyword still wins). */
  forceHandlers?: boolean
  /** `error_on_missing_handler = False`: a notify naming no handler is a warning, not an error. */
  errorOnMissingHandler?: boolean
  /** `fact_caching = jsonfile` and its connection (a folder), prefix and timeout; `memory` (the default) keeps facts for the run. */
  factCaching?: 'jsonfile'
  factCachingConnection?: string
  factCachingPrefix?: string
  factCachingTimeout?: number
  /** Role vars seen only inside their role (Ansible's default is to share them with the play). */
  privateRoleVars?: boolean
  /** `jinja2_native = True`: a lone `{{ expr }}` keeps its type (engine/expr/result.ts), set_fact keeps "yes"/"no" text. */
  jinja2Native?: boolean
  /** `stdout_callback = json`: as --json. */
  json?: boolean
  verbosity?: number
  /** `[diff] always`: as --diff. */
  diff?: boolean
  /** `[tags] run` / `skip`: added to --tags / --skip-tags, as Ansible's argparse defaults are. */
  runTags?: string[]
  skipTags?: string[]
}

export interface AnsibleConfig {
  /** The ansible.cfg read, if one was found. */
  file?: string
  settings: ConfigSettings
  /** To print once: settings not applied, a world-writable folder's ansible.cfg skipped. */
  warnings: string[]
}

/** A value tsplay cannot honour: the setting is named in the warning, with its value. */
const UNSUPPORTED = Symbol('unsupported')
type Reading = ConfigSettings | typeof UNSUPPORTED

interface Spec {
  section: string
  key: string
  /** Environment variables, first found wins (TSPLAY_* names before Ansible's). */
  env: string[]
  read(raw: string, at: Origin): Reading
}

const spec = (section: string, key: string, env: string | string[], read: Spec['read']): Spec => ({ section, key, env: [env].flat(), read })
/** A setting whose every value is already what tsplay does, so applying it changes nothing. */
const asTsplayDoes = (section: string, key: string, env: string): Spec => spec(section, key, env, () => ({}))
const oneOf = (raw: string, fits: Record<string, ConfigSettings>): Reading => fits[toText(raw).toLowerCase()] ?? UNSUPPORTED

const SPECS: Spec[] = [
  spec('defaults', 'inventory', ['TSPLAY_INVENTORY', 'ANSIBLE_INVENTORY'], (raw, at) => ({ inventory: toPathList(raw, at) })),
  spec('defaults', 'roles_path', ['TSPLAY_ROLES_PATH', 'ANSIBLE_ROLES_PATH'], (raw, at) => ({ rolesPath: toPathSpec(raw, at) })),
  spec('defaults', 'forks', 'ANSIBLE_FORKS', (raw, at) => ({ forks: toInteger(raw, at) })),
  spec('defaults', 'remote_user', 'ANSIBLE_REMOTE_USER', (raw) => ({ remoteUser: toText(raw) })),
  spec('defaults', 'private_key_file', 'ANSIBLE_PRIVATE_KEY_FILE', (raw, at) => ({ privateKeyFile: toPath(raw, at) })),
  spec('defaults', 'host_key_checking', ['TSPLAY_HOST_KEY_CHECKING', 'ANSIBLE_HOST_KEY_CHECKING'], (raw, at) => ({ hostKeyChecking: toBoolean(raw, at) })),
  spec('defaults', 'timeout', 'ANSIBLE_TIMEOUT', (raw, at) => ({ timeout: toInteger(raw, at) })),
  spec('defaults', 'transport', 'ANSIBLE_TRANSPORT', (raw) => oneOf(raw, { smart: {}, ssh: {}, paramiko: {}, local: { connection: 'local' } })),
  spec('defaults', 'verbosity', 'ANSIBLE_VERBOSITY', (raw, at) => ({ verbosity: toInteger(raw, at) })),
  spec('defaults', 'strategy', 'ANSIBLE_STRATEGY', (raw) => oneOf(raw, { linear: { strategy: 'linear' }, free: { strategy: 'free' } })),
  spec('defaults', 'gathering', 'ANSIBLE_GATHERING', (raw) => oneOf(raw, { implicit: {}, smart: {}, explicit: { gatherExplicitly: true } })),
  spec('defaults', 'force_handlers', 'ANSIBLE_FORCE_HANDLERS', (raw, at) => ({ forceHandlers: toBoolean(raw, at) })),
  spec('defaults', 'error_on_missing_handler', 'ANSIBLE_ERROR_ON_MISSING_HANDLER', (raw, at) => ({ errorOnMissingHandler: toBoolean(raw, at) })),
  spec('defaults', 'fact_caching', 'ANSIBLE_CACHE_PLUGIN', (raw) => oneOf(raw, { memory: {}, jsonfile: { factCaching: 'jsonfile' }, 'ansible.builtin.jsonfile': { factCaching: 'jsonfile' } })),
  spec('defaults', 'fact_caching_connection', 'ANSIBLE_CACHE_PLUGIN_CONNECTION', (raw, at) => ({ factCachingConnection: toPath(raw, at) })),
  spec('defaults', 'fact_caching_prefix', 'ANSIBLE_CACHE_PLUGIN_PREFIX', (raw) => ({ factCachingPrefix: toText(raw) })),
  spec('defaults', 'fact_caching_timeout', 'ANSIBLE_CACHE_PLUGIN_TIMEOUT', (raw, at) => ({ factCachingTimeout: toInteger(raw, at) })),
  spec('defaults', 'jinja2_native', 'ANSIBLE_JINJA2_NATIVE', (raw, at) => ({ jinja2Native: toBoolean(raw, at) })),
  spec('defaults', 'private_role_vars', 'ANSIBLE_PRIVATE_ROLE_VARS', (raw, at) => ({ privateRoleVars: toBoolean(raw, at) })),
  spec('defaults', 'stdout_callback', 'ANSIBLE_STDOUT_CALLBACK', (raw) => oneOf(raw, { default: {}, json: { json: true } })),
  spec('defaults', 'vault_password_file', ['TSPLAY_VAULT_PASSWORD_FILE', 'ANSIBLE_VAULT_PASSWORD_FILE'], (raw, at) => ({ vaultPasswordFile: toPath(raw, at) })),
  // As Ansible: vault ids are not paths of the config file; their sources are found from the current folder.
  spec('defaults', 'vault_identity_list', 'ANSIBLE_VAULT_IDENTITY_LIST', (raw) => ({ vaultIdentityList: toList(raw) })),
  spec('defaults', 'ask_vault_pass', 'ANSIBLE_ASK_VAULT_PASS', (raw, at) => ({ askVaultPass: toBoolean(raw, at) })),
  spec('privilege_escalation', 'become', 'ANSIBLE_BECOME', (raw, at) => ({ become: toBoolean(raw, at) })),
  spec('privilege_escalation', 'become_user', 'ANSIBLE_BECOME_USER', (raw) => ({ becomeUser: toText(raw) })),
  spec('privilege_escalation', 'become_method', 'ANSIBLE_BECOME_METHOD', (raw) => oneOf(raw, { sudo: { becomeMethod: 'sudo' }, su: { becomeMethod: 'su' } })),
  spec('privilege_escalation', 'become_ask_pass', 'ANSIBLE_BECOME_ASK_PASS', (raw, at) => ({ becomeAskPass: toBoolean(raw, at) })),
  spec('diff', 'always', 'ANSIBLE_DIFF_ALWAYS', (raw, at) => ({ diff: toBoolean(raw, at) })),
  spec('tags', 'run', 'ANSIBLE_RUN_TAGS', (raw) => ({ runTags: toList(raw) })),
  spec('tags', 'skip', 'ANSIBLE_SKIP_TAGS', (raw) => ({ skipTags: toList(raw) })),
  spec('defaults', 'retry_files_enabled', 'ANSIBLE_RETRY_FILES_ENABLED', (raw, at) => (toBoolean(raw, at) ? UNSUPPORTED : {})),
  // tsplay runs no Python, draws no cows, and sends no module files (what pipelining saves).
  asTsplayDoes('defaults', 'interpreter_python', 'ANSIBLE_PYTHON_INTERPRETER'),
  asTsplayDoes('defaults', 'nocows', 'ANSIBLE_NOCOWS'),
  asTsplayDoes('ssh_connection', 'pipelining', 'ANSIBLE_PIPELINING'),
]

/** Ansible's names for the settings (lib/ansible/config/base.yml), as `ansible-config dump` prints them. */
const ANSIBLE_NAMES: Record<string, string> = {
  'defaults/nocows': 'ANSIBLE_NOCOWS',
  'defaults/fact_caching': 'CACHE_PLUGIN',
  'defaults/fact_caching_connection': 'CACHE_PLUGIN_CONNECTION',
  'defaults/fact_caching_prefix': 'CACHE_PLUGIN_PREFIX',
  'defaults/fact_caching_timeout': 'CACHE_PLUGIN_TIMEOUT',
  'defaults/ask_vault_pass': 'DEFAULT_ASK_VAULT_PASS',
  'privilege_escalation/become': 'DEFAULT_BECOME',
  'privilege_escalation/become_ask_pass': 'DEFAULT_BECOME_ASK_PASS',
  'privilege_escalation/become_method': 'DEFAULT_BECOME_METHOD',
  'privilege_escalation/become_user': 'DEFAULT_BECOME_USER',
  'defaults/force_handlers': 'DEFAULT_FORCE_HANDLERS',
  'defaults/forks': 'DEFAULT_FORKS',
  'defaults/gathering': 'DEFAULT_GATHERING',
  'defaults/inventory': 'DEFAULT_HOST_LIST',
  'defaults/jinja2_native': 'DEFAULT_JINJA2_NATIVE',
  'defaults/private_key_file': 'DEFAULT_PRIVATE_KEY_FILE',
  'defaults/private_role_vars': 'DEFAULT_PRIVATE_ROLE_VARS',
  'defaults/remote_user': 'DEFAULT_REMOTE_USER',
  'defaults/roles_path': 'DEFAULT_ROLES_PATH',
  'defaults/stdout_callback': 'DEFAULT_STDOUT_CALLBACK',
  'defaults/strategy': 'DEFAULT_STRATEGY',
  'defaults/timeout': 'DEFAULT_TIMEOUT',
  'defaults/transport': 'DEFAULT_TRANSPORT',
  'defaults/vault_identity_list': 'DEFAULT_VAULT_IDENTITY_LIST',
  'defaults/vault_password_file': 'DEFAULT_VAULT_PASSWORD_FILE',
  'defaults/verbosity': 'DEFAULT_VERBOSITY',
  'diff/always': 'DIFF_ALWAYS',
  'defaults/error_on_missing_handler': 'ERROR_ON_MISSING_HANDLER',
  'defaults/host_key_checking': 'HOST_KEY_CHECKING',
  'defaults/interpreter_python': 'INTERPRETER_PYTHON',
  'defaults/retry_files_enabled': 'RETRY_FILES_ENABLED',
  'tags/run': 'TAGS_RUN',
  'tags/skip': 'TAGS_SKIP',
  'ssh_connection/pipelining': 'ANSIBLE_PIPELINING',
}

/** Read by Ansible's own tools, or only tell it how to colour and warn: nothing for tsplay to apply. */
const IGNORED_ENV = new Set(['ANSIBLE_CONFIG', 'ANSIBLE_NOCOLOR', 'ANSIBLE_FORCE_COLOR', 'ANSIBLE_LOCALHOST_WARNING', 'ANSIBLE_INVENTORY_UNPARSED_WARNING'])

/** Settings from the environment are listed after the file's, which are in file order. */
const ENV_LINE = Number.MAX_SAFE_INTEGER

export function readAnsibleConfig(places: Partial<ConfigPlaces> = {}): AnsibleConfig {
  const where: ConfigPlaces = { env: places.env ?? process.env, cwd: places.cwd ?? process.cwd(), home: places.home ?? homedir() }
  const found = findConfigFile(where)
  const sections = found.file ? readIni(found.file) : new Map()
  const settings: ConfigSettings = {}
  const notApplied: { text: string; line: number }[] = []
  for (const s of SPECS) {
    const reading = readSpec(s, sections, found.file, where)
    if (!reading) continue
    if (reading.value === UNSUPPORTED) notApplied.push({ text: `${reading.label} = ${reading.raw} (${reading.from})`, line: reading.line })
    else Object.assign(settings, reading.value)
  }
  notApplied.push(...unknownSettings(sections, found.file), ...unknownEnv(where.env).map((name) => ({ text: `${name} (environment)`, line: ENV_LINE })))
  notApplied.sort((a, b) => a.line - b.line)
  const warnings = [...found.warnings]
  if (notApplied.length) warnings.push(`tsplay does not apply these Ansible settings: ${notApplied.map((n) => n.text).join(', ')}`)
  return { ...(found.file ? { file: found.file } : {}), settings, warnings }
}

function readIni(file: string): IniSections {
  let text: string
  try {
    text = readTextFileSync(file)
  } catch (err) {
    throw new OptionsError(`cannot read the config file ${file}: ${(err as NodeJS.ErrnoException).code ?? String(err)}`, { cause: err })
  }
  return parseIni(text, file)
}

/** One setting from the environment, else from the file; undefined when neither sets it. */
function readSpec(s: Spec, sections: IniSections, file: string | undefined, places: ConfigPlaces): { value: Reading; raw: string; label: string; from: string; line: number } | undefined {
  const label = `[${s.section}] ${s.key}`
  const envName = s.env.find((name) => places.env[name])
  if (envName !== undefined) {
    const raw = places.env[envName] as string
    return { value: s.read(raw, { where: envName, base: places.cwd, env: places.env, home: places.home }), raw, label: envName, from: 'environment', line: ENV_LINE }
  }
  const entry = sections.get(s.section)?.get(s.key)
  if (!entry || !file) return undefined
  const at = `${file}:${entry.line}`
  return { value: s.read(entry.value, { where: `${at} (${label})`, base: dirname(file), env: places.env, home: places.home }), raw: entry.value, label, from: at, line: entry.line }
}

function unknownSettings(sections: IniSections, file: string | undefined): { text: string; line: number }[] {
  const known = new Set(SPECS.map((s) => `${s.section}/${s.key}`))
  const out: { text: string; line: number }[] = []
  for (const [section, entries] of sections) {
    for (const [key, { line }] of entries) if (!known.has(`${section}/${key}`)) out.push({ text: `[${section}] ${key} (${file}:${line})`, line })
  }
  return out
}

/** The ANSIBLE_* variables set that tsplay neither applies nor ignores on purpose. */
function unknownEnv(env: NodeJS.ProcessEnv): string[] {
  const known = new Set([...IGNORED_ENV, ...SPECS.flatMap((s) => s.env)])
  return Object.keys(env)
    .filter((name) => name.startsWith('ANSIBLE_') && env[name] && !known.has(name))
    .sort()
}

/**
 * `tsplay config dump`: every setting the config file or the environment sets, one per line as
 * `ansible-config dump --only-changed` writes it (`DEFAULT_FORKS(/etc/ansible/ansible.cfg) = 10`,
 * `NAME(env: ANSIBLE_X) = ...`), sorted by name, the file first. A setting tsplay does not apply
 * says so on its line; one tsplay does not know keeps its `[section] key` name.
 */
export function configDump(places: Partial<ConfigPlaces> = {}): string[] {
  const where: ConfigPlaces = { env: places.env ?? process.env, cwd: places.cwd ?? process.cwd(), home: places.home ?? homedir() }
  const found = findConfigFile(where)
  const sections = found.file ? readIni(found.file) : new Map()
  const NOT_APPLIED = '  (not applied by tsplay)'
  const lines: string[] = []
  for (const s of SPECS) {
    const reading = readSpec(s, sections, found.file, where)
    if (!reading) continue
    const name = ANSIBLE_NAMES[`${s.section}/${s.key}`] ?? `[${s.section}] ${s.key}`
    const origin = reading.from === 'environment' ? `env: ${reading.label}` : found.file
    lines.push(`${name}(${origin}) = ${reading.raw}${reading.value === UNSUPPORTED ? NOT_APPLIED : ''}`)
  }
  const known = new Set(SPECS.map((s) => `${s.section}/${s.key}`))
  for (const [section, entries] of sections as IniSections) {
    for (const [key, entry] of entries) if (!known.has(`${section}/${key}`)) lines.push(`[${section}] ${key}(${found.file}) = ${entry.value}${NOT_APPLIED}`)
  }
  // A variable tsplay does not know may hold a password (ANSIBLE_BECOME_PASS): its value is not shown.
  for (const name of unknownEnv(where.env)) lines.push(`${name}(env) = ${/PASS|SECRET|TOKEN/.test(name) ? '********' : (where.env[name] ?? '')}${NOT_APPLIED}`)
  return [`CONFIG_FILE() = ${found.file ?? 'None'}`, ...lines.sort()]
}
