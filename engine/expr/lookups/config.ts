/**
 * config: the value of an Ansible setting (`DEFAULT_ROLES_PATH`, `DEFAULT_FORKS`...), as
 * Ansible's own constants hold it: the ANSIBLE_* environment, else the ansible.cfg Ansible would
 * read (from the current folder, ANSIBLE_CONFIG, ~/.ansible.cfg, /etc/ansible), else Ansible's
 * default. Command-line flags do not change these values, in Ansible either. The settings are
 * those tsplay reads from ansible.cfg, and a few whose value tsplay has as Ansible's default.
 */
import { homedir } from 'node:os'
import { dirname } from 'node:path'
import { findConfigFile } from '../../config/find.js'
import { parseIni } from '../../config/ini-file.js'
import { toBoolean, toInteger, toList, toPath, toPathList, toPathSpec, toText, type Origin } from '../../config/values.js'
import { readTextFileSync } from '../../text-file.js'
import { describe, toStr } from '../python.js'
import { fail } from '../values.js'
import type { LookupFn } from './types.js'
import { lookupWarning } from './warnings.js'

type Reader = (raw: string, at: Origin) => unknown
interface Setting {
  ini?: [section: string, key: string]
  env: string
  read: Reader
  fallback: (home: string) => unknown
}

const text: Reader = (raw) => toText(raw)
const constant = (value: unknown) => (): unknown => value
const setting = (ini: Setting['ini'], env: string, read: Reader, fallback: unknown): Setting => ({ ...(ini ? { ini } : {}), env, read, fallback: typeof fallback === 'function' ? (fallback as Setting['fallback']) : constant(fallback) })
const defaults = (key: string): [string, string] => ['defaults', key]
const become = (key: string): [string, string] => ['privilege_escalation', key]

/** Ansible's constant name -> where it is set, its type, its default (ansible/config/base.yml, 2.14). */
const SETTINGS: Record<string, Setting> = {
  DEFAULT_HOST_LIST: setting(defaults('inventory'), 'ANSIBLE_INVENTORY', toPathList, ['/etc/ansible/hosts']),
  DEFAULT_ROLES_PATH: setting(defaults('roles_path'), 'ANSIBLE_ROLES_PATH', toPathSpec, (home: string) => [`${home}/.ansible/roles`, '/usr/share/ansible/roles', '/etc/ansible/roles']),
  DEFAULT_FORKS: setting(defaults('forks'), 'ANSIBLE_FORKS', toInteger, 5),
  DEFAULT_REMOTE_USER: setting(defaults('remote_user'), 'ANSIBLE_REMOTE_USER', text, null),
  DEFAULT_PRIVATE_KEY_FILE: setting(defaults('private_key_file'), 'ANSIBLE_PRIVATE_KEY_FILE', toPath, null),
  HOST_KEY_CHECKING: setting(defaults('host_key_checking'), 'ANSIBLE_HOST_KEY_CHECKING', toBoolean, true),
  DEFAULT_TIMEOUT: setting(defaults('timeout'), 'ANSIBLE_TIMEOUT', toInteger, 10),
  DEFAULT_TRANSPORT: setting(defaults('transport'), 'ANSIBLE_TRANSPORT', text, 'smart'),
  DEFAULT_VERBOSITY: setting(defaults('verbosity'), 'ANSIBLE_VERBOSITY', toInteger, 0),
  DEFAULT_STRATEGY: setting(defaults('strategy'), 'ANSIBLE_STRATEGY', text, 'linear'),
  DEFAULT_GATHERING: setting(defaults('gathering'), 'ANSIBLE_GATHERING', text, 'implicit'),
  DEFAULT_PRIVATE_ROLE_VARS: setting(defaults('private_role_vars'), 'ANSIBLE_PRIVATE_ROLE_VARS', toBoolean, false),
  DEFAULT_STDOUT_CALLBACK: setting(defaults('stdout_callback'), 'ANSIBLE_STDOUT_CALLBACK', text, 'default'),
  DEFAULT_VAULT_PASSWORD_FILE: setting(defaults('vault_password_file'), 'ANSIBLE_VAULT_PASSWORD_FILE', toPath, null),
  DEFAULT_VAULT_IDENTITY_LIST: setting(defaults('vault_identity_list'), 'ANSIBLE_VAULT_IDENTITY_LIST', toList, []),
  DEFAULT_ASK_VAULT_PASS: setting(defaults('ask_vault_pass'), 'ANSIBLE_ASK_VAULT_PASS', toBoolean, false),
  DEFAULT_BECOME: setting(become('become'), 'ANSIBLE_BECOME', toBoolean, false),
  DEFAULT_BECOME_USER: setting(become('become_user'), 'ANSIBLE_BECOME_USER', text, 'root'),
  DEFAULT_BECOME_METHOD: setting(become('become_method'), 'ANSIBLE_BECOME_METHOD', text, 'sudo'),
  DEFAULT_BECOME_ASK_PASS: setting(become('become_ask_pass'), 'ANSIBLE_BECOME_ASK_PASS', toBoolean, false),
  DIFF_ALWAYS: setting(['diff', 'always'], 'ANSIBLE_DIFF_ALWAYS', toBoolean, false),
  TAGS_RUN: setting(['tags', 'run'], 'ANSIBLE_RUN_TAGS', toList, []),
  TAGS_SKIP: setting(['tags', 'skip'], 'ANSIBLE_SKIP_TAGS', toList, []),
  RETRY_FILES_ENABLED: setting(defaults('retry_files_enabled'), 'ANSIBLE_RETRY_FILES_ENABLED', toBoolean, false),
  INTERPRETER_PYTHON: setting(defaults('interpreter_python'), 'ANSIBLE_PYTHON_INTERPRETER', text, 'auto'),
  ANSIBLE_NOCOWS: setting(defaults('nocows'), 'ANSIBLE_NOCOWS', toBoolean, false),
  ANSIBLE_PIPELINING: setting(['connection', 'pipelining'], 'ANSIBLE_PIPELINING', toBoolean, false),
  DEFAULT_HASH_BEHAVIOUR: setting(defaults('hash_behaviour'), 'ANSIBLE_HASH_BEHAVIOUR', text, 'replace'),
  DEFAULT_JINJA2_NATIVE: setting(defaults('jinja2_native'), 'ANSIBLE_JINJA2_NATIVE', toBoolean, false),
  DEFAULT_ALLOW_UNSAFE_LOOKUPS: setting(defaults('allow_unsafe_lookups'), 'ANSIBLE_ALLOW_UNSAFE_LOOKUPS', toBoolean, false),
}

/** The setting's value, or undefined when Ansible has no such setting. */
export function settingValue(name: string, env: NodeJS.ProcessEnv = process.env, cwd = process.cwd(), home = homedir()): unknown {
  const s = Object.hasOwn(SETTINGS, name) ? SETTINGS[name] : undefined
  if (!s) return undefined
  const raw = env[s.env]
  if (raw !== undefined && raw !== '') return s.read(raw, { where: s.env, base: cwd, env, home })
  const file = findConfigFile({ env, cwd, home }).file
  if (file && s.ini) {
    const entry = parseIni(readTextFileSync(file), file).get(s.ini[0])?.get(s.ini[1])
    if (entry) return s.read(entry.value, { where: `${file}:${entry.line} ([${s.ini[0]}] ${s.ini[1]})`, base: dirname(file), env, home })
  }
  return s.fallback(home)
}

export const config: LookupFn = (terms, options) => {
  const missing = options['on_missing'] ?? 'error'
  if (typeof missing !== 'string' || !['error', 'warn', 'skip'].includes(missing)) {
    fail(`"on_missing" must be a string and one of "error", "warn" or "skip", not ${toStr(missing)}`)
  }
  if (options['plugin_type'] !== undefined || options['plugin_name'] !== undefined) {
    fail("lookup('config'): plugin_type and plugin_name (a plugin's own settings) are not supported by tsplay")
  }
  return terms.flatMap((term) => {
    if (typeof term !== 'string') fail(`Invalid setting identifier, "${toStr(term)}" is not a string, it is ${describe(term)}`)
    const value = settingValue(term)
    if (value !== undefined) return [value]
    if (missing === 'error') fail(`Unable to find setting ${term} (tsplay knows: ${Object.keys(SETTINGS).join(', ')})`)
    if (missing === 'warn') lookupWarning(`Skipping, did not find setting ${term}`)
    return []
  })
}
