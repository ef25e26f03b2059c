/** The state shared by every play of one run. */
import type PQueue from 'p-queue'
import type { Inventory } from '../inventory/index.js'
import type { VarLayer } from '../vars.js'
import type { HostStats, RunEvent } from '../events.js'
import type { Loader } from '../playbook/loader.js'
import type { ModuleRegistry } from '../registry.js'
import type { HostRun } from './hosts.js'
import type { RunOptions } from './options.js'

export interface RunContext {
  options: RunOptions
  inventory: Inventory
  /** The loader that read the playbook: include_tasks and include_role load through it at run time. */
  loader: Loader
  /** The modules the loader checked the tasks against (fact gathering runs `setup` from here). */
  modules: ModuleRegistry
  playbookDir: string
  emit(event: RunEvent): void
  /** Limits how many tasks run at once across hosts (--forks). */
  queue: PQueue
  stats: Map<string, HostStats>
  /** Inventory variable layers of a host (the implicit localhost has its own). */
  inventoryLayers(host: string): VarLayer[]
  hostRun(name: string): HostRun
  allHostRuns(): HostRun[]
  /** Shows what the loader warned about since the last call (a file included at run time may add some). */
  emitLoadWarnings(): void
  /** A warning said once per run, as Ansible's display says each warning once (a module's result `warnings`). */
  warnOnce(message: string): void
  /** Set by Ctrl-C: hosts stop before their next task. */
  interrupted: boolean
}
