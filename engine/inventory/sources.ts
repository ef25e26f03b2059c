/**
 * Reading one `-i` source, as Ansible decides what it is: an existing folder (every file in it,
 * recursively), an existing file (YAML or INI), or else a comma list of hosts (`web1,web2,`).
 */
import { constants } from 'node:fs'
import { access, readdir } from 'node:fs/promises'
import { dirname, extname, join } from 'node:path'
import { InventoryError } from '../errors.js'
import { isVaulted } from '../vault/envelope.js'
import { parseIniInventory } from './ini.js'
import type { InventoryData } from './model.js'
import { splitHostPort } from './ranges.js'
import { readInventoryScript } from './script.js'
import { openVaultedInventory } from './vaulted.js'
import { errCode, parseYamlAsInventory, readText, statOf } from './group-host-vars.js'
import { looksLikeYamlInventory, parseYamlInventory } from './yaml-inventory.js'

/** Ansible's default inventory_ignore_extensions (ansible-core 2.19, which reads `.ini` files in folders). */
const IGNORED_EXTENSIONS = ['.pyc', '.pyo', '.swp', '.bak', '~', '.rpm', '.md', '.txt', '.rst', '.orig', '.cfg', '.retry']
const IGNORED_NAMES = new Set(['group_vars', 'host_vars', 'vars_plugins'])
const YAML_EXTENSIONS = ['.yml', '.yaml', '.json']
const TEXT_EXTENSIONS = [...YAML_EXTENSIONS, '.ini']

async function isExecutable(file: string): Promise<boolean> {
  try {
    await access(file, constants.X_OK)
    return true
  } catch {
    return false
  }
}

/** Reads a source into `inv`; returns the folder whose group_vars/ and host_vars/ go with it. */
export async function readSource(source: string, inv: InventoryData): Promise<string | undefined> {
  let isDir: boolean
  try {
    isDir = (await statOf(source)).isDirectory()
  } catch (err) {
    const code = errCode((err as Error).cause)
    if (code !== 'ENOENT' && code !== 'ENOTDIR') throw err
    if (source.includes(',')) {
      readHostList(source, inv)
      return undefined
    }
    throw new InventoryError(`inventory '${source}' does not exist (a list of hosts needs a comma: '${source},')`, undefined, { cause: err })
  }
  if (isDir) {
    await readFolder(source, inv)
    return source
  }
  await readInventoryFile(source, inv)
  return dirname(source)
}

/** `-i web1,web2:2222,` — hosts only, all ungrouped, no ranges (Ansible's host_list plugin). */
function readHostList(list: string, inv: InventoryData): void {
  for (const item of list.split(',')) {
    const text = item.trim()
    if (text === '') continue
    const { host, port } = splitHostPort(text)
    if (!inv.hosts.has(host)) inv.addHost(host, 'ungrouped', port)
  }
}

async function readFolder(dir: string, inv: InventoryData): Promise<void> {
  let entries: string[]
  try {
    entries = (await readdir(dir)).sort()
  } catch (err) {
    throw new InventoryError(`cannot read ${dir}: ${errCode(err)}`, undefined, { cause: err })
  }
  for (const entry of entries) {
    if (entry.startsWith('.') || IGNORED_NAMES.has(entry) || IGNORED_EXTENSIONS.some((ext) => entry.endsWith(ext))) continue
    const path = join(dir, entry)
    if ((await statOf(path)).isDirectory()) await readFolder(path, inv)
    else await readInventoryFile(path, inv)
  }
}

export async function readInventoryFile(file: string, inv: InventoryData): Promise<void> {
  const stored = await readText(file)
  // As Ansible's script plugin: an executable is run. An inventory file that happens to be
  // executable (a checkout from a Windows share) is still read when it has a telling extension.
  const ext = extname(file).toLowerCase()
  if ((await isExecutable(file)) && (stored.startsWith('#!') || !TEXT_EXTENSIONS.includes(ext))) {
    await readInventoryScript(file, inv)
    return
  }
  if (stored.startsWith('#!')) {
    // Ansible, too, skips it with a warning (its script plugin cannot run it, its INI plugin cannot read it).
    inv.warnings.push(`${file}: skipped, an inventory script must be executable to be run (chmod +x ${file})`)
    return
  }
  const text = isVaulted(stored) ? openVaultedInventory(stored, file) : stored
  if (YAML_EXTENSIONS.includes(ext)) {
    parseYamlInventory(parseYamlAsInventory(text, file), file, inv)
    return
  }
  if (ext !== '.ini') {
    // No telling extension: YAML if it reads as a YAML inventory, INI otherwise (Ansible tries both).
    const data = tryYaml(text, file)
    if (looksLikeYamlInventory(data)) {
      parseYamlInventory(data, file, inv)
      return
    }
  }
  parseIniInventory(text, file, inv)
}

function tryYaml(text: string, file: string): unknown {
  try {
    return parseYamlAsInventory(text, file)
  } catch {
    return undefined
  }
}
