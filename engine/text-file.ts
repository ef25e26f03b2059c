/**
 * The one way tsplay reads the text of a file the user wrote (playbooks, task and vars files,
 * inventories): as UTF-8, without a leading byte-order mark. Windows editors put one first, and
 * YAML or INI would read it as part of the first key ("1:4: Unexpected scalar").
 */
import { readFileSync } from 'node:fs'
import { readFile } from 'node:fs/promises'

const BOM = /^\uFEFF/

export function readTextFileSync(file: string): string {
  return readFileSync(file, 'utf8').replace(BOM, '')
}

export async function readTextFile(file: string): Promise<string> {
  return (await readFile(file, 'utf8')).replace(BOM, '')
}
