/**
 * Which values of a file encrypted whole become secrets. A vars file or an inventory is data:
 * every value in it is registered, except the few connection settings that say how a host is
 * reached rather than with what credentials (`ansible_connection: local`, `ansible_user: root`:
 * hiding those would blank out "local" and "root" in every line of output). A playbook or task
 * file (a list at the top) is code: encrypting it keeps it private at rest, and its task names
 * and arguments are shown as usual, as Ansible shows them.
 */
import { registerSecret } from '../secrets.js'

const HOW_TO_CONNECT = new Set([
  'ansible_connection',
  'ansible_host',
  'ansible_port',
  'ansible_user',
  'ansible_become_user',
  'ansible_become_method',
  'ansible_python_interpreter',
  'ansible_shell_type',
])

/** Registers the values of a decrypted document. */
export function registerVaultedDocument(data: unknown): void {
  if (Array.isArray(data)) return
  walk(data)
}

/** Registers one `key: value` of a decrypted file (INI inventories are read pair by pair). */
export function registerVaultedPair(key: string, value: unknown): void {
  if (!HOW_TO_CONNECT.has(key)) walk(value)
}

function walk(value: unknown): void {
  if (Array.isArray(value)) for (const item of value) walk(item)
  else if (value && typeof value === 'object') for (const [k, v] of Object.entries(value)) registerVaultedPair(k, v)
  else registerSecret(value)
}
