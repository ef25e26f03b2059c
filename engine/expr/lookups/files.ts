/** Lookups that read the controller's files: file. */
import { readFileSync } from 'node:fs'
import { truthy } from '../python.js'
import { needString } from '../types.js'
import { ExprFailure } from '../values.js'
import { findFile } from './search-path.js'
import { eachTerm, type LookupFn } from './types.js'

export const file: LookupFn = eachTerm((term, options, ctx) => {
  const path = findFile(needString(term, 'the file name'), ctx)
  let text: string
  try {
    text = readFileSync(path, 'utf8')
  } catch (err) {
    throw new ExprFailure(`lookup('file') could not read '${path}': ${(err as NodeJS.ErrnoException).code ?? String(err)}`, undefined, { cause: err })
  }
  // Ansible strips the trailing newline unless rstrip=False.
  return truthy(options['rstrip'] ?? true) ? text.replace(/\s+$/, '') : text
})
