/**
 * config: the value of an Ansible setting (`DEFAULT_ROLES_PATH`, `DEFAULT_FORKS`...), as
 * Ansible's own constants hold it: the ANSIBLE_* environment, else the ansible.cfg Ansible would
 * read (from the current folder, ANSIBLE_CONFIG, ~/.ansible.cfg, /etc/ansible), else Ansible's
 * default. Command-line flags do not change these values, in Ansible either. The settings are
 * those tsplay reads from ansible.cfg, and a few whose value tsplay has as Ansible's default.
 * With plugin_type and plugin_name, a plugin's own option, where the task's variables
 * (`ansible_port`...) come first (config-plugins.ts).
 */
import { homedir } from 'node:os'
import { repr, toStr, typeName } from '../python.js'
import { fail } from '../values.js'
import { PLUGIN_SETTINGS, SHIPPED } from './config-plugins.js'
import { opt, resolveSetting, type Setting } from './config-settings.js'
import type { LookupCtx, LookupFn } from './types.js'
import { lookupWarning } from './warnings.js'

const roles = (home: string): string[] => [`${home}/.ansible/roles`, '/usr/share/ansible/roles', '/etc/ansible/roles']
const COWS = 'bud-frogs bunny cheese daemon default dragon elephant-in-snake elephant eyes hellokitty kitty luke-koala meow milk moofasa moose ren sheep small stegosaurus stimpy supermilker three-eyes turkey turtle tux udder vader-koala vader www'

/** Ansible's constant name -> where it is set, its type, its default (ansible/config/base.yml, 2.14). */
const SETTINGS: Record<string, Setting> = {
  DEFAULT_HOST_LIST: opt('pathlist', ['/etc/ansible/hosts'], { ini: 'defaults.inventory', env: 'ANSIBLE_INVENTORY' }),
  DEFAULT_ROLES_PATH: opt('pathspec', roles, { ini: 'defaults.roles_path', env: 'ANSIBLE_ROLES_PATH' }),
  DEFAULT_FORKS: opt('int', 5, { ini: 'defaults.forks', env: 'ANSIBLE_FORKS' }),
  DEFAULT_REMOTE_USER: opt('text', null, { ini: 'defaults.remote_user', env: 'ANSIBLE_REMOTE_USER' }),
  DEFAULT_PRIVATE_KEY_FILE: opt('path', null, { ini: 'defaults.private_key_file', env: 'ANSIBLE_PRIVATE_KEY_FILE' }),
  HOST_KEY_CHECKING: opt('bool', true, { ini: 'defaults.host_key_checking', env: 'ANSIBLE_HOST_KEY_CHECKING' }),
  DEFAULT_TIMEOUT: opt('int', 10, { ini: 'defaults.timeout', env: 'ANSIBLE_TIMEOUT' }),
  DEFAULT_TRANSPORT: opt('text', 'smart', { ini: 'defaults.transport', env: 'ANSIBLE_TRANSPORT' }),
  DEFAULT_VERBOSITY: opt('int', 0, { ini: 'defaults.verbosity', env: 'ANSIBLE_VERBOSITY' }),
  DEFAULT_STRATEGY: opt('text', 'linear', { ini: 'defaults.strategy', env: 'ANSIBLE_STRATEGY' }),
  DEFAULT_GATHERING: opt('text', 'implicit', { ini: 'defaults.gathering', env: 'ANSIBLE_GATHERING' }),
  DEFAULT_PRIVATE_ROLE_VARS: opt('bool', false, { ini: 'defaults.private_role_vars', env: 'ANSIBLE_PRIVATE_ROLE_VARS' }),
  DEFAULT_STDOUT_CALLBACK: opt('text', 'default', { ini: 'defaults.stdout_callback', env: 'ANSIBLE_STDOUT_CALLBACK' }),
  DEFAULT_VAULT_PASSWORD_FILE: opt('path', null, { ini: 'defaults.vault_password_file', env: 'ANSIBLE_VAULT_PASSWORD_FILE' }),
  DEFAULT_VAULT_IDENTITY_LIST: opt('list', [], { ini: 'defaults.vault_identity_list', env: 'ANSIBLE_VAULT_IDENTITY_LIST' }),
  DEFAULT_ASK_VAULT_PASS: opt('bool', false, { ini: 'defaults.ask_vault_pass', env: 'ANSIBLE_ASK_VAULT_PASS' }),
  DEFAULT_BECOME: opt('bool', false, { ini: 'privilege_escalation.become', env: 'ANSIBLE_BECOME' }),
  DEFAULT_BECOME_USER: opt('text', 'root', { ini: 'privilege_escalation.become_user', env: 'ANSIBLE_BECOME_USER' }),
  DEFAULT_BECOME_METHOD: opt('text', 'sudo', { ini: 'privilege_escalation.become_method', env: 'ANSIBLE_BECOME_METHOD' }),
  DEFAULT_BECOME_ASK_PASS: opt('bool', false, { ini: 'privilege_escalation.become_ask_pass', env: 'ANSIBLE_BECOME_ASK_PASS' }),
  DIFF_ALWAYS: opt('bool', false, { ini: 'diff.always', env: 'ANSIBLE_DIFF_ALWAYS' }),
  TAGS_RUN: opt('list', [], { ini: 'tags.run', env: 'ANSIBLE_RUN_TAGS' }),
  TAGS_SKIP: opt('list', [], { ini: 'tags.skip', env: 'ANSIBLE_SKIP_TAGS' }),
  RETRY_FILES_ENABLED: opt('bool', false, { ini: 'defaults.retry_files_enabled', env: 'ANSIBLE_RETRY_FILES_ENABLED' }),
  INTERPRETER_PYTHON: opt('text', 'auto', { ini: 'defaults.interpreter_python', env: 'ANSIBLE_PYTHON_INTERPRETER' }),
  ANSIBLE_NOCOWS: opt('bool', false, { ini: 'defaults.nocows', env: 'ANSIBLE_NOCOWS' }),
  ANSIBLE_COW_ACCEPTLIST: opt('list', COWS.split(' '), { ini: 'defaults.cow_whitelist defaults.cowsay_enabled_stencils', env: 'ANSIBLE_COW_WHITELIST ANSIBLE_COW_ACCEPTLIST' }),
  ANSIBLE_PIPELINING: opt('bool', false, { ini: 'connection.pipelining', env: 'ANSIBLE_PIPELINING' }),
  DEFAULT_HASH_BEHAVIOUR: opt('text', 'replace', { ini: 'defaults.hash_behaviour', env: 'ANSIBLE_HASH_BEHAVIOUR' }),
  DEFAULT_JINJA2_NATIVE: opt('bool', false, { ini: 'defaults.jinja2_native', env: 'ANSIBLE_JINJA2_NATIVE' }),
  DEFAULT_ALLOW_UNSAFE_LOOKUPS: opt('bool', false, { ini: 'defaults.allow_unsafe_lookups', env: 'ANSIBLE_ALLOW_UNSAFE_LOOKUPS' }),
}

/** Names in ansible.constants that are functions or classes, not settings: Ansible refuses them whatever on_missing says. */
const NOT_SETTINGS = new Set(['ConfigManager', 'Sequence', 'add_internal_fqcns', 'set_constant', 'to_text'])

/** The setting's value, or undefined when Ansible has no such setting. */
export function settingValue(name: string, env: NodeJS.ProcessEnv = process.env, cwd = process.cwd(), home = homedir()): unknown {
  const s = Object.hasOwn(SETTINGS, name) ? SETTINGS[name] : undefined
  return s ? resolveSetting(s, { env, cwd, home }) : undefined
}

/** Ansible's message for an option value outside its choices (set_options). */
function choice(option: string, value: unknown, choices: string[]): void {
  if (typeof value === 'string' && choices.includes(value)) return
  fail(`Invalid value "${toStr(value)}" for configuration option "plugin_type: lookup plugin: config setting: ${option} ", valid values are: ${choices.join(', ')}`)
}

/** The plugin's settings, failing as Ansible's loader does for a plugin it does not have. */
function pluginSettings(type: string, name: string): Record<string, Setting> {
  const short = name.replace(/^ansible\.(builtin|legacy)\./, '')
  if (!SHIPPED[type]?.includes(short)) fail(`Unable to load ${type} plugin "${name}"`)
  const key = `${type}/${short}`
  return Object.hasOwn(PLUGIN_SETTINGS, key) ? (PLUGIN_SETTINGS[key] as Record<string, Setting>) : fail(`lookup('config'): tsplay does not know the settings of the ${type} plugin "${name}" (it knows: ${Object.keys(PLUGIN_SETTINGS).join(', ')})`)
}

/** One term's value, or undefined when Ansible would call it a missing setting. */
function lookupSetting(term: string, plugin: { type: string; name: string } | undefined, ctx: LookupCtx): unknown {
  if (!plugin) {
    if (NOT_SETTINGS.has(term)) fail(`Invalid setting "${term}" attempted`)
    return settingValue(term)
  }
  const options = pluginSettings(plugin.type, plugin.name)
  const s = Object.hasOwn(options, term) ? options[term] : undefined
  return s ? resolveSetting(s, { env: process.env, cwd: process.cwd(), home: homedir(), lookup: (n) => ctx.scope.lookup(n) }) : undefined
}

export const config: LookupFn = (terms, options, ctx) => {
  const { on_missing: missing = 'error', plugin_type: type, plugin_name: name } = options
  // As Ansible's set_options, the choices are checked first, then the pair, per call.
  choice('on_missing', missing, ['error', 'skip', 'warn'])
  if (type !== undefined && type !== null) choice('plugin_type', type, Object.keys(SHIPPED))
  const given = [type, name].filter((v) => v !== undefined && v !== null && v !== '')
  if (given.length === 1) fail('Both plugin_type and plugin_name are required, cannot use one without the other')
  const plugin = given.length === 2 ? { type: toStr(type), name: toStr(name) } : undefined
  return terms.flatMap((term) => {
    if (typeof term !== 'string') fail(`Invalid setting identifier, "${toStr(term)}" is not a string, its a <class ${repr(typeName(term))}>`)
    const value = lookupSetting(term, plugin, ctx)
    if (value !== undefined) return [value]
    const known = plugin ? `the ${plugin.type} plugin "${plugin.name}" has: ${Object.keys(pluginSettings(plugin.type, plugin.name)).join(', ')}` : `tsplay knows: ${Object.keys(SETTINGS).join(', ')}`
    if (missing === 'error') fail(`Unable to find setting ${term} (${known})`)
    if (missing === 'warn') lookupWarning(`Skipping, did not find setting ${term}`)
    return []
  })
}
