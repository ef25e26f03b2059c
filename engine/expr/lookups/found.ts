/** fileglob and first_found: paths on the controller, searched as Ansible searches them. */
import { readdirSync, statSync } from 'node:fs'
import { basename, dirname, isAbsolute, join } from 'node:path'
import { fnmatch } from '../../fnmatch.js'
import { truthy } from '../python.js'
import { needString } from '../types.js'
import { fail, isDict } from '../values.js'
import { findFile, searchDirs } from './search-path.js'
import type { LookupFn } from './types.js'

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

/** fileglob: the files matching each pattern in the first search directory that has any. */
export const fileglob: LookupFn = (terms, _options, ctx) =>
  terms.flatMap((term) => {
    const pattern = needString(term, 'the fileglob pattern')
    const name = basename(pattern)
    const base = ctx.scope.lookup('playbook_dir')
    const dirs = name !== pattern ? [isAbsolute(pattern) || typeof base !== 'string' ? dirname(pattern) : join(base, 'files', dirname(pattern))] : searchDirs(ctx, 'files')
    if (name !== pattern && !isAbsolute(pattern) && typeof base === 'string') dirs.push(join(base, dirname(pattern)))
    for (const dir of dirs) {
      const found = glob(dir, name)
      if (found.length) return found
    }
    return []
  })

function splitNames(value: unknown): string[] {
  if (Array.isArray(value)) return value.flatMap(splitNames)
  return needString(value, 'a first_found name').split(/[,;]/).map((s) => s.trim()).filter(Boolean)
}

/** first_found: the first existing file of the candidates (names, or dicts of files/paths/skip). */
export const first_found: LookupFn = (terms, options, ctx) => {
  const candidates: string[] = []
  let skip = truthy(options['skip'] ?? false)
  const add = (files: string[], paths: string[]): void => {
    if (paths.length === 0) candidates.push(...files)
    else for (const p of paths) for (const f of files) candidates.push(join(p, f))
  }
  const globalFiles = options['files'] !== undefined ? splitNames(options['files']) : []
  const globalPaths = options['paths'] !== undefined ? splitNames(options['paths']).flatMap((p) => p.split(':')) : []
  for (const term of terms.flat()) {
    if (isDict(term)) {
      if (term['skip'] !== undefined) skip = truthy(term['skip'])
      add(term['files'] !== undefined ? splitNames(term['files']) : [], term['paths'] !== undefined ? splitNames(term['paths']).flatMap((p) => p.split(':')) : [])
    } else add(splitNames(term), globalPaths)
  }
  if (terms.length === 0 || globalFiles.length) add(globalFiles, globalPaths)
  for (const candidate of candidates) {
    const path = findFile(candidate, ctx)
    if (isFile(path)) return [path]
  }
  return skip ? [] : fail('No file was found when using first_found.')
}
