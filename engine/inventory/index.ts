/**
 * Ansible-compatible inventories: INI and YAML files, folders of them, comma lists of hosts,
 * group_vars/ and host_vars/ beside them. Existing Ansible inventories load unchanged.
 */
import { resolve } from 'node:path'
import { LoadedInventory } from './inventory.js'
import { InventoryData } from './model.js'
import { readSource } from './sources.js'
import type { Inventory } from './types.js'

export type { Inventory, InventoryGroup, InventoryHost, VarLayer } from './types.js'
export { implicitLocalhost } from './inventory.js'
export { LOCALHOST_NAMES } from './model.js'
export { formatInventoryGraph, formatInventoryList, type ListOptions } from './format.js'

/**
 * Reads every source in order into one inventory (a host listed twice keeps both lists of vars,
 * later ones winning), then the group_vars/ and host_vars/ beside each file or inside each folder.
 */
export async function loadInventory(sources: string[]): Promise<Inventory> {
  const data = new InventoryData()
  const folders: string[] = []
  for (const source of sources) {
    const folder = await readSource(source, data)
    if (folder !== undefined && !folders.some((f) => resolve(f) === resolve(folder))) folders.push(folder)
  }
  data.reconcile()
  const inventory = new LoadedInventory(data)
  for (const folder of folders) await inventory.addFolder(folder, 'inventory')
  return inventory
}
