/** Where a lookup finds a relative path on the controller: Ansible's find_file_in_search_path. */
import { existsSync } from 'node:fs'
import { homedir } from 'node:os'
import { isAbsolute, join, normalize } from 'node:path'
import { fail } from '../values.js'
import type { LookupCtx } from './types.js'

function stringVar(ctx: LookupCtx, name: string): string | undefined {
  const value = ctx.scope.lookup(name)
  return typeof value === 'string' ? value : undefined
}

/** `~/x` is the controller user's home, as Python's expanduser. */
export function expandUser(path: string): string {
  return path === '~' || path.startsWith('~/') ? join(homedir(), path.slice(1)) : path
}

/** The loader's base directory: the playbook's (path_dwim's base). */
export function baseDir(ctx: LookupCtx): string {
  return stringVar(ctx, 'playbook_dir') ?? process.cwd()
}

/** path_dwim: an absolute or `~` path as it is, anything else under the playbook's directory. */
export function pathDwim(path: string, ctx: LookupCtx): string {
  const expanded = expandUser(path)
  return normalize(isAbsolute(expanded) ? expanded : join(baseDir(ctx), expanded))
}

/**
 * The places a relative `needle` is looked for, in order (DataLoader.path_dwim_relative_stack):
 * for each folder of the task's `ansible_search_path` (its roles, the task file's folder, the
 * playbook's folder), `<folder>/<subdir>/needle` then `<folder>/needle`, and the same under the
 * playbook's folder last. `<subdir>` is left out when the needle already starts with it.
 */
export function searchCandidates(needle: string, ctx: LookupCtx, subdir = 'files'): string[] {
  const expanded = expandUser(needle)
  if (isAbsolute(expanded)) return [normalize(expanded)]
  const listed = ctx.scope.lookup('ansible_search_path')
  const folders = Array.isArray(listed) ? listed.filter((p): p is string => typeof p === 'string') : []
  const withSubdir = needle.split('/')[0] !== subdir
  const out: string[] = []
  for (const folder of [...folders, baseDir(ctx)]) {
    if (withSubdir) out.push(join(folder, subdir, needle))
    out.push(join(folder, needle))
  }
  return [...new Set(out)]
}

/** The first candidate that exists (a folder counts, as os.path.exists), or undefined. */
export function findInSearchPath(needle: string, ctx: LookupCtx, subdir = 'files'): string | undefined {
  return searchCandidates(needle, ctx, subdir).find((candidate) => existsSync(candidate))
}

/** As findInSearchPath, failing as Ansible's lookups do when nothing is found. */
export function needFile(needle: string, ctx: LookupCtx, lookup: string, subdir = 'files'): string {
  const found = findInSearchPath(needle, ctx, subdir)
  if (found !== undefined) return found
  const where = searchCandidates(needle, ctx, subdir).join(', ')
  return fail(`lookup('${lookup}') could not read '${needle}': ENOENT (could not locate file in lookup; looked in: ${where})`)
}
