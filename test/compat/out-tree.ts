/** What a run left under `{{ out }}`: each path with its type, permission bits and content. */
import { lstatSync, readdirSync, readFileSync, readlinkSync } from 'node:fs'
import { join } from 'node:path'

export interface OutEntry {
  type: 'file' | 'directory' | 'link'
  /** Permission bits as Ansible writes them, e.g. '0644'. */
  mode: string
  /** A file's text (or `base64:...` when it is not UTF-8); a link's target. */
  content?: string
}

function fileContent(path: string): string {
  const bytes = readFileSync(path)
  const text = bytes.toString('utf8')
  return Buffer.from(text, 'utf8').equals(bytes) ? text : `base64:${bytes.toString('base64')}`
}

/** The tree under root as { 'relative/path': entry }, sorted by path. */
export function readOutTree(root: string, prefix = ''): Record<string, OutEntry> {
  const tree: Record<string, OutEntry> = {}
  for (const name of readdirSync(join(root, prefix)).sort()) {
    const relative = prefix ? `${prefix}/${name}` : name
    const full = join(root, relative)
    const stat = lstatSync(full)
    const mode = (stat.mode & 0o7777).toString(8).padStart(4, '0')
    if (stat.isSymbolicLink()) tree[relative] = { type: 'link', mode: '', content: readlinkSync(full) }
    else if (stat.isDirectory()) {
      tree[relative] = { type: 'directory', mode }
      Object.assign(tree, readOutTree(root, relative))
    } else tree[relative] = { type: 'file', mode, content: fileContent(full) }
  }
  return tree
}
