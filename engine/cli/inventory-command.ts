/** `tsplay inventory --list | --graph | --host`, as ansible-inventory prints them. */
import type { ConfigSettings } from '../config/ansible-cfg.js'
import { OptionsError } from '../errors.js'
import { prepareInventory } from '../exec/run.js'
import { formatInventoryGraph, formatInventoryList } from '../inventory/index.js'
import { VarScope } from '../vars.js'
import { inventorySources } from './config.js'
import { printNotices } from './run-command.js'

export async function inventoryCommand(flags: { inventory: string[]; list?: boolean; graph?: string | boolean; host?: string }, settings: ConfigSettings = {}): Promise<string> {
  const inventory = await prepareInventory(inventorySources(flags, settings))
  printNotices(inventory)
  if (flags.host) {
    if (!inventory.hosts.has(flags.host)) throw new OptionsError(`no host '${flags.host}' in the inventory`)
    const scope = new VarScope(inventory.varLayers(flags.host))
    const vars: Record<string, unknown> = {}
    for (const name of scope.names()) vars[name] = scope.raw(name)?.value
    return JSON.stringify(vars, null, 4) + '\n'
  }
  if (flags.graph !== undefined && flags.graph !== false) {
    return formatInventoryGraph(inventory, typeof flags.graph === 'string' ? flags.graph : undefined) + '\n'
  }
  if (flags.list) return formatInventoryList(inventory) + '\n'
  throw new OptionsError('tsplay inventory needs one of --list, --graph or --host NAME')
}
