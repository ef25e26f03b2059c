/**
 * What `copy` of a controller directory puts on the host, found as Ansible's action plugin's
 * _walk_dirs does: a src with a trailing slash copies what is inside it, one without copies
 * the directory itself (its name leads every relative path). With local_follow (the
 * default) a link to a file brings that file and a link to a directory is walked, unless it
 * leads back into the tree (then, as a broken link, it stays a link); without, every link is
 * copied as a link.
 */
import { lstatSync, readdirSync, readlinkSync, realpathSync, statSync } from 'node:fs'
import { basename, dirname, join } from 'node:path'

export interface Tree {
  /** [full path on the controller, path relative to dest]. */
  files: [string, string][]
  directories: [string, string][]
  /** [link target as written, path relative to dest]. */
  symlinks: [string, string][]
}

const idOf = (path: string): string => {
  const s = statSync(path)
  return `${s.dev}:${s.ino}`
}

export function walkTree(topdir: string, localFollow: boolean): Tree {
  const tree: Tree = { files: [], directories: [], symlinks: [] }
  const top = topdir.endsWith('/') ? topdir.slice(0, -1) : topdir
  const base = topdir.endsWith('/') ? '' : basename(top)
  if (!topdir.endsWith('/') && !localFollow && lstatSync(top).isSymbolicLink()) {
    tree.symlinks.push([readlinkSync(top), base])
    return tree
  }
  const recurse = (dir: string, rel: string, parents: Set<string>): void => {
    const entries = readdirSync(dir, { withFileTypes: true }).sort((x, y) => (x.name < y.name ? -1 : x.name > y.name ? 1 : 0))
    const isDir = (full: string): boolean => {
      try {
        return statSync(full).isDirectory()
      } catch {
        return false
      }
    }
    for (const e of entries) {
      const full = join(dir, e.name)
      const to = rel === '' ? e.name : `${rel}/${e.name}`
      if (isDir(full)) continue
      if (!e.isSymbolicLink()) tree.files.push([full, to])
      else if (localFollow && statOrUndefined(full)?.isFile()) tree.files.push([realpathSync(full), to])
      else tree.symlinks.push([readlinkSync(full), to])
    }
    for (const e of entries) {
      const full = join(dir, e.name)
      const to = rel === '' ? e.name : `${rel}/${e.name}`
      if (!isDir(full)) continue
      if (!e.isSymbolicLink()) {
        tree.directories.push([full, to])
        recurse(full, to, new Set([...parents, idOf(full)]))
      } else if (!localFollow || parents.has(idOf(full)) || ancestorIds(full, parents).has(idOf(full))) {
        tree.symlinks.push([readlinkSync(full), to])
      } else {
        const real = realpathSync(full)
        tree.directories.push([real, to])
        recurse(real, to, new Set([...parents, ...ancestorIds(full, parents), idOf(real)]))
      }
    }
  }
  recurse(top, base, new Set([idOf(top)]))
  return tree
}

function statOrUndefined(path: string): ReturnType<typeof statSync> | undefined {
  try {
    return statSync(path)
  } catch {
    return undefined
  }
}

/** The directories above a link up to the part of the tree already known (Ansible's new_parents): a link to one of them is a circle. */
function ancestorIds(link: string, known: Set<string>): Set<string> {
  const out = new Set<string>()
  for (let dir = dirname(link); ; dir = dirname(dir)) {
    const id = idOf(dir)
    if (known.has(id)) break
    out.add(id)
    if (dir === '/' || dir === '.') break
  }
  return out
}
