/** Finds modules by name, accepting Ansible's fully-qualified names for the modules tsplay has. */
import type { AnyModule } from './module.js'
import { allModules } from '../modules/index.js'

/** Collections whose modules tsplay implements under the same short names. */
const COLLECTIONS = ['ansible.builtin.', 'ansible.legacy.', 'ansible.posix.', 'community.general.', 'community.mysql.', 'community.docker.', 'tsplay.']

const byName = new Map<string, AnyModule>(allModules.map((m) => [m.name, m]))

export function findModule(name: string): AnyModule | undefined {
  const direct = byName.get(name)
  if (direct) return direct
  const prefix = COLLECTIONS.find((c) => name.startsWith(c))
  return prefix ? byName.get(name.slice(prefix.length)) : undefined
}

export function moduleNames(): string[] {
  return [...byName.keys()].sort()
}
