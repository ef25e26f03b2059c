/**
 * group_vars/ and host_vars/ of one folder, found as Ansible's host_group_vars plugin finds
 * them: for a name, the first of `NAME`, `NAME.yml`, `NAME.yaml`, `NAME.json` that exists; a
 * folder is read whole (sorted, recursively, skipping hidden and `~` backup files, and files
 * whose extension is not one of those), its files merged in order, later keys winning.
 */
import type { Stats } from 'node:fs'
import { readdir, stat } from 'node:fs/promises'
import { extname, join } from 'node:path'
import { InventoryError, PlaybookError } from '../errors.js'
import { VaultError } from '../vault/errors.js'
import { readTextFile } from '../text-file.js'
import { parseYaml, posOf } from '../yaml.js'
import { checkInventoryVar, setKey } from './model.js'
import type { VarLayer } from './types.js'
import { isMapping } from './yaml-inventory.js'

const EXTENSIONS = ['', '.yml', '.yaml', '.json']

export interface VarsFolder {
  dir: string
  groups: Map<string, VarLayer>
  hosts: Map<string, VarLayer>
}

export async function loadVarsFolder(dir: string, names: { groups: Iterable<string>; hosts: Iterable<string> }): Promise<VarsFolder> {
  return {
    dir,
    groups: await loadKind(join(dir, 'group_vars'), names.groups),
    hosts: await loadKind(join(dir, 'host_vars'), names.hosts),
  }
}

async function loadKind(base: string, names: Iterable<string>): Promise<Map<string, VarLayer>> {
  const found = new Map<string, VarLayer>()
  const entries = new Set(await listDir(base))
  if (entries.size === 0) return found
  for (const name of names) {
    // Looking names up in the listing (never building paths from them) keeps odd host names inside base.
    const entry = EXTENSIONS.map((ext) => name + ext).find((candidate) => entries.has(candidate))
    if (entry === undefined) continue
    const path = join(base, entry)
    const files = (await statOf(path)).isDirectory() ? await filesIn(path) : [path]
    const vars: Record<string, unknown> = {}
    for (const file of files) {
      for (const [k, v] of Object.entries(await loadVarsFile(file))) setKey(vars, k, v)
    }
    found.set(name, { source: path, vars })
  }
  return found
}

async function filesIn(dir: string): Promise<string[]> {
  const out: string[] = []
  for (const entry of (await listDir(dir)).sort()) {
    if (entry.startsWith('.') || entry.endsWith('~')) continue
    const path = join(dir, entry)
    const ext = extname(entry)
    const info = await statOf(path)
    if (info.isDirectory() && ext === '') out.push(...(await filesIn(path)))
    else if (info.isFile() && EXTENSIONS.includes(ext)) out.push(path)
  }
  return out
}

/** One vars file: YAML (JSON being YAML), a mapping or empty. */
export async function loadVarsFile(file: string): Promise<Record<string, unknown>> {
  // A vaulted file is decrypted (and its values registered as secrets) by parseYaml. Its syntax
  // errors stay playbook errors (exit 4), as Ansible's are for group_vars, unlike an inventory's.
  const data = parseYaml(await readText(file), file)
  if (data === null) return {}
  if (!isMapping(data)) {
    throw new InventoryError('a vars file must hold a mapping of variable names to values', posOf(data) ?? { file, line: 1, col: 1 })
  }
  for (const [key, value] of Object.entries(data)) checkInventoryVar(key, value, posOf(data, key) ?? { file, line: 1, col: 1 })
  return data
}

/** parseYaml, with its syntax errors reported as inventory errors (same position and text). */
export function parseYamlAsInventory(text: string, file: string): unknown {
  try {
    return parseYaml(text, file)
  } catch (err) {
    // Vault errors keep their kind: they exit 1, as Ansible's do, and name what to do.
    if (err instanceof PlaybookError && !(err instanceof InventoryError) && !(err instanceof VaultError)) {
      const prefix = err.pos ? `${err.pos.file}:${err.pos.line}:${err.pos.col}: ` : ''
      const message = err.message.startsWith(prefix) ? err.message.slice(prefix.length) : err.message
      throw new InventoryError(message, err.pos, { cause: err })
    }
    throw err
  }
}

export async function readText(file: string): Promise<string> {
  try {
    return await readTextFile(file)
  } catch (err) {
    throw new InventoryError(`cannot read ${file}: ${errCode(err)}`, undefined, { cause: err })
  }
}

export async function statOf(path: string): Promise<Stats> {
  try {
    return await stat(path)
  } catch (err) {
    throw new InventoryError(`cannot read ${path}: ${errCode(err)}`, undefined, { cause: err })
  }
}

/** A folder's entries; none when it does not exist (most inventories have no host_vars/). */
async function listDir(dir: string): Promise<string[]> {
  try {
    return await readdir(dir)
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code
    if (code === 'ENOENT' || code === 'ENOTDIR') return []
    throw new InventoryError(`cannot read ${dir}: ${errCode(err)}`, undefined, { cause: err })
  }
}

export function errCode(err: unknown): string {
  return (err as NodeJS.ErrnoException).code ?? String(err)
}
