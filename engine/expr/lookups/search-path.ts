/** Where a lookup finds a relative path on the controller. */
import { statSync } from 'node:fs'
import { isAbsolute, join } from 'node:path'
import type { LookupCtx } from './types.js'

/**
 * The role's `subdir`, the role, the playbook's `subdir`, the playbook's directory (as
 * Ansible's search path), then the path as given (the working directory).
 */
export function findFile(path: string, ctx: LookupCtx, subdir = 'files'): string {
  if (isAbsolute(path)) return path
  for (const dir of searchDirs(ctx, subdir)) {
    const candidate = join(dir, path)
    try {
      if (statSync(candidate).isFile()) return candidate
    } catch {
      // not there: try the next place
    }
  }
  return path
}

/** The role's and the playbook's `subdir`, each followed by its own directory. */
export function searchDirs(ctx: LookupCtx, subdir: string): string[] {
  const dirs: string[] = []
  for (const v of ['role_path', 'playbook_dir']) {
    const dir = ctx.scope.lookup(v)
    if (typeof dir === 'string') dirs.push(join(dir, subdir), dir)
  }
  return dirs
}
