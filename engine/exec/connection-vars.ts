/**
 * The connection variables every task sees (`ansible_host`, `ansible_connection`, `ansible_user`,
 * ...), as Ansible's PlayContext.update_vars adds them: each name of C.MAGIC_VARIABLE_MAPPING that
 * the task's variables lack gets the connection's value, which is the first of its names the
 * variables set, else what keywords and the command line give. `hostvars` does not show them.
 */
import { settingValue } from '../expr/lookups/config.js'
import { MISSING } from '../expr/index.js'
import type { RunOptions } from './options.js'

/** The task keywords that choose the connection, as written (templates allowed). */
export interface ConnectionKeywords {
  connection?: unknown
  remoteUser?: unknown
}

/** What the connection falls back to when no variable names it; undefined leaves the names unset, as Ansible's None. */
type Fallback = (options: RunOptions, keyword: (k: keyof ConnectionKeywords) => unknown, host: string) => unknown

// Ansible's order of names (the first one set decides) and its values; become's are left out, as update_vars does.
const MAPPING: [names: string[], fallback: Fallback][] = [
  [['ansible_connection'], (o, k) => o.connection ?? k('connection') ?? 'ssh'],
  [['ansible_module_compression'], () => 'ZIP_DEFLATED'],
  [['ansible_shell_executable'], () => '/bin/sh'],
  [['ansible_ssh_host', 'ansible_host'], (_o, _k, host) => host],
  [['ansible_ssh_user', 'ansible_user'], (o, k) => k('remoteUser') ?? o.user ?? settingValue('DEFAULT_REMOTE_USER')],
  [['ansible_ssh_pass', 'ansible_password'], () => undefined],
  [['ansible_ssh_port', 'ansible_port'], () => undefined],
  [['ansible_ssh_pipelining', 'ansible_pipelining'], () => settingValue('ANSIBLE_PIPELINING')],
  [['ansible_ssh_timeout', 'ansible_timeout'], (o) => Math.round(o.connectTimeoutMs / 1000)],
  [['ansible_ssh_private_key_file', 'ansible_private_key_file'], (o) => o.privateKey],
]

/**
 * The names the variables lack, with their values. `lookup` reads the task's other variables;
 * `render` renders a keyword written as a template.
 */
export function connectionVars(lookup: (name: string) => unknown, host: string, options: RunOptions, keywords: ConnectionKeywords, render: (v: unknown) => unknown): Record<string, unknown> {
  const out: Record<string, unknown> = {}
  const keyword = (k: keyof ConnectionKeywords): unknown => (keywords[k] === undefined ? undefined : render(keywords[k]))
  for (const [names, fallback] of MAPPING) {
    try {
      const given = names.map(lookup).find((v) => v !== MISSING)
      const value = given !== undefined ? given : fallback(options, keyword, host)
      if (value === undefined || value === null) continue
      for (const name of names) if (lookup(name) === MISSING) out[name] = value
    } catch {
      // A variable that does not render fails where it is read; its aliases are left unset rather than guessed.
    }
  }
  return out
}
