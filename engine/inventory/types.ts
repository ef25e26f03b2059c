/** The inventory's public shapes, kept apart so the parsers and the Inventory class can share them. */
import type { VarLayer } from '../vars.js'

export interface InventoryHost {
  name: string
  /** Host-level vars: the inventory file's, then host_vars/ (inventory's, then playbook's). */
  vars: Record<string, unknown>
  /** Every group the host is in, with ancestors and 'all', parents before children (Ansible's order). */
  groups: string[]
  /** The first inventory file that listed the host (for `inventory_file` / `inventory_dir`). */
  inventoryFile?: string
}

export interface InventoryGroup {
  name: string
  /** Direct members only; `Inventory.select(name)` gives the hosts of child groups as well. */
  hosts: string[]
  children: string[]
  parents: string[]
  /** The inventory file's vars, then group_vars/ (inventory's, then playbook's). */
  vars: Record<string, unknown>
  /** Longest distance from 'all' ('all' is 0): Ansible's group depth, which orders variable layers. */
  depth: number
}

/** A host's variable layers ('group web', 'host web1', a group_vars/host_vars path): the executor's own type. */
export type { VarLayer }

export interface Inventory {
  /** In file order. Holds 'localhost' only when an inventory lists it. */
  hosts: Map<string, InventoryHost>
  /** Always has 'all' and 'ungrouped'. */
  groups: Map<string, InventoryGroup>
  /** Things Ansible also only warns about (unexpected YAML keys, skipped files). */
  warnings: string[]
  /**
   * Variable layers of a host, lowest precedence first, as Ansible's defaults:
   * inventory-file group vars ('all', then the host's groups by depth, priority, name),
   * group_vars/all (inventory, then playbook), group_vars/<group> (inventory, then playbook),
   * inventory-file host vars, host_vars/<host> (inventory, then playbook). Empty layers are left out.
   */
  varLayers(host: string): VarLayer[]
  /**
   * Hosts matching an Ansible host pattern ('all', '*', 'web', 'a:b', 'a,b', 'a:&b', 'a:!b',
   * 'web*', '~re', 'web[0]', 'web[0:2]'), in inventory order. Parts that match nothing add nothing.
   * 'localhost' (also '127.0.0.1', '::1') matches the implicit localhost when no inventory lists it.
   */
  select(pattern: string): string[]
  /** The parts of a pattern that match no host or group (Ansible warns about each). */
  unmatched(pattern: string): string[]
  /** Adds group_vars/ and host_vars/ of a playbook's folder, above the inventory's own. */
  addVarsDir(dir: string): Promise<void>
  /**
   * Vars that rank above every inventory layer of one host: how to reach it when it is not where
   * the inventory says (a lab host standing in for it). Shown by `tsplay inventory` too.
   */
  overrideHost(host: string, layer: VarLayer): void
  /** Lines to tell the user once before a run (which hosts are lab hosts), not warnings. */
  notices: string[]
}
