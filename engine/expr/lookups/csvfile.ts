/**
 * csvfile: the column of the first row whose first field is the key, in a CSV (by default a
 * TSV: the default delimiter is TAB) file on the controller, as Ansible 2.14's lookup. Rows are
 * read with Python's csv module rules (the excel dialect: `"` quotes, `""` inside quotes).
 */
import { readFileSync } from 'node:fs'
import { parseKv } from '../../playbook/kv.js'
import { toStr } from '../python.js'
import { needString } from '../types.js'
import { fail, type Dict } from '../values.js'
import { decodeText, textOption } from './options.js'
import { findInSearchPath, searchCandidates } from './search-path.js'
import type { LookupFn } from './types.js'

const OPTIONS = ['col', 'default', 'delimiter', 'file', 'encoding']

/** csv.reader with the excel dialect: rows of fields; an empty line is an empty row. */
export function parseCsv(text: string, delimiter: string): string[][] {
  if ([...delimiter].length !== 1) fail('"delimiter" must be a 1-character string')
  const rows: string[][] = []
  let row: string[] = []
  let field = ''
  let state: 'start' | 'plain' | 'quoted' | 'quote-in-quoted' = 'start'
  const endField = (): void => {
    row.push(field)
    field = ''
    state = 'start'
  }
  const endRow = (): void => {
    if (state !== 'start' || row.length) endField()
    rows.push(row)
    row = []
  }
  for (let i = 0; i < text.length; i++) {
    const c = text[i] as string
    if (state === 'quoted') {
      if (c === '"') state = 'quote-in-quoted'
      else field += c
      continue
    }
    if (state === 'quote-in-quoted' && c === '"') {
      field += '"'
      state = 'quoted'
      continue
    }
    if (c === delimiter) endField()
    else if (c === '\r' || c === '\n') {
      if (c === '\r' && text[i + 1] === '\n') i++
      endRow()
    } else if (c === '"' && state === 'start') state = 'quoted'
    else {
      // After a closing quote, or inside an unquoted field, characters are kept as they are.
      field += c
      state = 'plain'
    }
  }
  if (state === 'quoted') fail('unexpected end of data')
  if (state !== 'start' || row.length) endRow()
  return rows
}

function readRows(path: string, delimiter: string, encoding: string): string[][] {
  let data: Buffer
  try {
    data = readFileSync(path)
  } catch (err) {
    return fail(`csvfile: cannot read ${path}: ${(err as NodeJS.ErrnoException).code ?? String(err)}`)
  }
  try {
    return parseCsv(decodeText(data, encoding, path), delimiter)
  } catch (err) {
    return fail(`csvfile: ${(err as Error).message}`)
  }
}

export const csvfile: LookupFn = (terms, options, ctx) => {
  const out: unknown[] = []
  const settings: Dict = { ...options }
  for (const term of terms) {
    const { args, freeForm: key } = parseKv(needString(term, 'the csvfile key'))
    if (key === '') fail('Search key is required but was not found')
    for (const [name, value] of Object.entries(args)) {
      if (!OPTIONS.includes(name)) fail(`${name} is not a valid option`)
      // As Ansible: a term's inline options stay for the terms after it.
      settings[name] = value
    }
    const given = textOption(settings, 'delimiter', 'TAB', 'csvfile')
    const delimiter = given === 'TAB' ? '\t' : given
    const file = textOption(settings, 'file', 'ansible.csv', 'csvfile')
    const path = findInSearchPath(file, ctx) ?? fail(`csvfile: [Errno 2] No such file or directory: '${file}' (looked in: ${searchCandidates(file, ctx).join(', ')})`)
    const row = readRows(path, delimiter, textOption(settings, 'encoding', 'utf-8', 'csvfile')).find((r) => r.length > 0 && r[0] === key)
    if (row) {
      // As Ansible, col is read only for a row found: a bad col with a missing key gives the default.
      const colText = toStr(settings['col'] ?? '1')
      // Python's int(): digits (underscores between them), a sign, spaces around.
      if (!/^\s*[+-]?\d+(_\d+)*\s*$/.test(colText)) fail(`csvfile: invalid literal for int() with base 10: '${colText}'`)
      const col = Number(colText.replaceAll('_', ''))
      const value = row.at(col)
      if (value === undefined || col < -row.length) fail('csvfile: list index out of range')
      out.push(value)
    } else if (settings['default'] !== undefined && settings['default'] !== null) out.push(settings['default'])
  }
  return out
}
