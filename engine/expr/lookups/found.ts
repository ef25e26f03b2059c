/** fileglob and first_found: paths on the controller, searched as Ansible 2.14 searches them. */
import { readdirSync, statSync } from 'node:fs'
import { basename, dirname, join } from 'node:path'
import { fnmatch } from '../../fnmatch.js'
import { describe, truthy } from '../python.js'
import { needString } from '../types.js'
import { fail, isDict, type Dict } from '../values.js'
import { baseDir, findInSearchPath } from './search-path.js'
import type { LookupCtx, LookupFn } from './types.js'

function isFile(path: string): boolean {
  try {
    return statSync(path).isFile()
  } catch {
    return false
  }
}

function glob(dir: string, pattern: string): string[] {
  let names: string[]
  try {
    names = readdirSync(dir)
  } catch {
    return []
  }
  // Sorted: Python's glob gives directory order, which differs between machines.
  return names.filter((n) => fnmatch(n, pattern) && (pattern.startsWith('.') || !n.startsWith('.'))).sort().map((n) => join(dir, n)).filter(isFile)
}

/** The task's search path, or the playbook's folder alone (LookupBase.get_basedir). */
function searchFolders(ctx: LookupCtx): string[] {
  const listed = ctx.scope.lookup('ansible_search_path')
  return Array.isArray(listed) ? listed.filter((p): p is string => typeof p === 'string') : [baseDir(ctx)]
}

/**
 * fileglob: a pattern with a folder globs in that folder (found as a file would be); a bare
 * pattern in each search folder's files/ and then the folder itself, the first that matches.
 */
export const fileglob: LookupFn = (terms, _options, ctx) =>
  terms.flatMap((term) => {
    const pattern = needString(term, 'the fileglob pattern')
    const name = basename(pattern)
    const dirs = name !== pattern ? [findInSearchPath(dirname(pattern), ctx)] : searchFolders(ctx).flatMap((p) => [join(p, 'files'), p])
    for (const dir of dirs) {
      const found = dir === undefined ? [] : glob(dir, name)
      if (found.length) return found
    }
    return []
  })

/** first_found's "magic extra splitting": every string of the option split on any of `chars`. */
function splitOn(value: unknown, chars: string): string[] {
  if (value === undefined || value === null) return []
  if (Array.isArray(value)) return value.flatMap((v) => splitOn(v, chars))
  const text = needString(value, 'a first_found file or path')
  return text.split(new RegExp(`[${chars}]`))
}

interface Search {
  candidates: string[]
  skip: boolean
}

/**
 * The candidates, as Ansible's _process_terms builds them: a dict term carries its own files,
 * paths and skip; a text term uses the lookup's options. Paths make paths x files; files alone
 * replace what was gathered so far (Ansible's own quirk, kept so that the same file is found).
 */
function processTerms(terms: unknown[], options: Dict): Search {
  let candidates: string[] = []
  let skip = false
  for (const term of terms) {
    let settings: Dict
    if (isDict(term)) settings = term
    else if (typeof term === 'string') settings = options
    else if (Array.isArray(term)) {
      const inner = processTerms(term, options)
      candidates.push(...inner.candidates)
      skip = inner.skip
      continue
    } else return fail(`Invalid term supplied, can handle string, mapping or list of strings but got: ${describe(term)}`)
    skip = truthy(settings['skip'] ?? false)
    const files = splitOn(settings['files'], ',;')
    const paths = splitOn(settings['paths'], ',:;')
    if (paths.length) for (const path of paths) for (const name of files) candidates.push(join(path, name))
    else if (files.length) candidates = files
    else if (typeof term === 'string') candidates.push(term)
  }
  return { candidates, skip }
}

/** first_found: the first candidate found in the search path (files/, or templates/ and vars/ in a loop of template and include_vars). */
export const first_found: LookupFn = (terms, options, ctx) => {
  const { candidates, skip } = processTerms(terms, options)
  for (const candidate of candidates) {
    const path = findInSearchPath(candidate, ctx, ctx.subdir ?? 'files')
    if (path !== undefined) return [path]
  }
  return skip ? [] : fail('No file was found when using first_found.')
}
