/** What copy of a controller directory puts on the host, as Ansible's _walk_dirs finds it. */
import { mkdirSync, mkdtempSync, symlinkSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { describe, expect, it } from 'vitest'
import { walkTree } from '../../../modules/file/copy-tree.js'

function fixture(): string {
  const root = mkdtempSync(join(tmpdir(), 'tsplay-tree-'))
  mkdirSync(join(root, 'top', 'sub', 'deeper'), { recursive: true })
  writeFileSync(join(root, 'top', 'a.txt'), 'a')
  writeFileSync(join(root, 'top', 'sub', 'b.txt'), 'b')
  symlinkSync('../a.txt', join(root, 'top', 'sub', 'to-a'))
  symlinkSync('missing', join(root, 'top', 'sub', 'broken'))
  symlinkSync('..', join(root, 'top', 'sub', 'deeper', 'circle'))
  return root
}

describe('walkTree', () => {
  it('names paths from the directory itself without a trailing slash, from inside it with one', () => {
    const root = fixture()
    expect(walkTree(join(root, 'top'), true).directories.map(([, rel]) => rel)).toEqual(['top/sub', 'top/sub/deeper'])
    expect(walkTree(`${join(root, 'top')}/`, true).files.map(([, rel]) => rel)).toEqual(['a.txt', 'sub/b.txt', 'sub/to-a'])
  })

  it('with local_follow brings a linked file, keeps a broken link and a link back into the tree as links', () => {
    const root = fixture()
    const tree = walkTree(`${join(root, 'top')}/`, true)
    expect(tree.files).toContainEqual([join(root, 'top', 'a.txt'), 'sub/to-a'])
    expect(tree.symlinks).toEqual([['missing', 'sub/broken'], ['..', 'sub/deeper/circle']])
  })

  it('without local_follow copies every link as a link', () => {
    const root = fixture()
    const tree = walkTree(`${join(root, 'top')}/`, false)
    expect(tree.symlinks.map(([, rel]) => rel).sort()).toEqual(['sub/broken', 'sub/deeper/circle', 'sub/to-a'])
    expect(tree.files.map(([, rel]) => rel)).toEqual(['a.txt', 'sub/b.txt'])
  })
})
