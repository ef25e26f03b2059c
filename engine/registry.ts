/**
 * Finds modules by name, accepting Ansible's fully-qualified names for the modules tsplay has.
 * The engine never imports modules/: the CLI (engine/cli/main.ts) builds the registry from
 * modules/index.ts's list and hands it to the loader, the runner and `tsplay doc`.
 */
import type { AnyModule } from './module.js'

/** Collections whose modules tsplay implements under the same short names. */
const COLLECTIONS = ['ansible.builtin.', 'ansible.legacy.', 'ansible.posix.', 'community.general.', 'community.mysql.', 'community.docker.', 'tsplay.']

export class ModuleRegistry {
  private readonly byName: ReadonlyMap<string, AnyModule>

  constructor(modules: readonly AnyModule[]) {
    this.byName = new Map(modules.map((m) => [m.name, m]))
  }

  find(name: string): AnyModule | undefined {
    const direct = this.byName.get(name)
    if (direct) return direct
    const prefix = COLLECTIONS.find((c) => name.startsWith(c))
    return prefix ? this.byName.get(name.slice(prefix.length)) : undefined
  }

  /** Every module's short name, sorted. */
  names(): string[] {
    return [...this.byName.keys()].sort()
  }
}
