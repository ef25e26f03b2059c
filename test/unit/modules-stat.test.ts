import { createHash } from 'node:crypto'
import { describe, expect, it } from 'vitest'
import { parsePathOutput } from '../../engine/files/stat.js'
import { parseTree, treeDifferences } from '../../modules/_shared/file-recurse.js'

const out = (text: string | Buffer, code = 0) => ({ stdoutBytes: Buffer.isBuffer(text) ? text : Buffer.from(text), stderr: code ? 'boom' : '', code })
const field = (name: string, value: string) => `field ${name} ${Buffer.byteLength(value)}\n${value}\n`

describe('the path fact parses one command’s output into Ansible’s stat fields', () => {
  it('reads a regular file', () => {
    const info = parsePathOutput(
      out(`${field('umask', '0027')}stat 81a4 1000 100 12 1700000001 1700000002 1700000003 42 1 2049 alice users\naccess rw-\n${field('checksum', 'abc')}`),
      { path: '/etc/x', checksum: 'sha1' },
    )
    expect(info.state).toBe('file')
    expect(info.umask).toBe(0o027)
    expect(info.perm).toBe(0o644)
    expect(info.stat).toMatchObject({
      exists: true,
      path: '/etc/x',
      isreg: true,
      isdir: false,
      islnk: false,
      mode: '0644',
      uid: 1000,
      gid: 100,
      pw_name: 'alice',
      gr_name: 'users',
      size: 12,
      mtime: 1700000002,
      inode: 42,
      readable: true,
      writeable: true,
      executable: false,
      checksum: 'abc',
      roth: true,
      woth: false,
    })
  })

  it('reads a symlink whose target holds spaces and a newline, byte-exact', () => {
    const target = 'a b\nc $(x) ü'
    const info = parsePathOutput(
      out(`${field('umask', '0022')}stat a1ff 0 0 ${Buffer.byteLength(target)} 1 2 3 4 1 5 root root\naccess rwx\n${field('lnk_target', target)}${field('lnk_source', '/real/' + target)}`),
      { path: '/l' },
    )
    expect(info.state).toBe('link')
    expect(info.stat.islnk).toBe(true)
    expect(info.stat.lnk_target).toBe(target)
    expect(info.stat.lnk_source).toBe('/real/' + target)
    expect(info.realPath).toBe('/real/' + target)
  })

  it('keeps a followed link’s real path out of the stat fields, as Ansible', () => {
    const info = parsePathOutput(out(`stat 81a4 0 0 1 1 2 3 4 1 5 root root\n${field('lnk_source', '/t')}`), { path: '/l', follow: true })
    expect(info.realPath).toBe('/t')
    expect(info.stat.lnk_source).toBeUndefined()
  })

  it('returns binary content untouched, and knows its sha1 without asking the host', () => {
    const bytes = Buffer.from([0, 255, 10, 13, 10])
    const info = parsePathOutput(out(Buffer.concat([Buffer.from('stat 81a4 0 0 5 1 2 3 4 1 5 root root\ncontent\n'), bytes])), { path: '/b', contentMax: 100 })
    expect(info.content?.equals(bytes)).toBe(true)
    expect(info.stat.checksum).toBe(createHash('sha1').update(bytes).digest('hex'))
  })

  it('reports absent paths, hard links and directories', () => {
    expect(parsePathOutput(out('absent\n'), { path: '/nope' }).stat).toEqual({ exists: false, path: '/nope' })
    expect(parsePathOutput(out('stat 81a4 0 0 1 1 2 3 4 2 5 root root\n'), { path: '/h' }).state).toBe('hard')
    expect(parsePathOutput(out('stat 41ed 0 0 1 1 2 3 4 2 5 root root\n'), { path: '/d' }).state).toBe('directory')
  })

  it('turns a failed read into a module error with stderr', () => {
    expect(() => parsePathOutput(out('', 127), { path: '/x' })).toThrow(/cannot read \/x: boom/)
  })
})

describe('recursive attributes compare every entry below a directory', () => {
  const top = parsePathOutput(out(`${field('umask', '0022')}stat 41ed 0 0 1 1 2 3 4 2 5 root root\n`), { path: '/d' })
  const tree = parseTree('41ed 0 0 root root\n81a4 1000 1000 bob bob\n')
  it('finds the owner and mode that differ', () => {
    const args = { path: '/d', recurse: true, force: false, follow: true }
    expect([...treeDifferences(tree, { ...args, owner: 'root' }, top, {})]).toEqual(['owner'])
    expect([...treeDifferences(tree, { ...args, owner: 'bobby' }, top, { ownerId: 1000 })]).toEqual(['owner'])
    expect([...treeDifferences(tree, { ...args, mode: 'u=rwX,go=rX' }, top, {})]).toEqual([])
    expect([...treeDifferences(tree, { ...args, mode: '0755' }, top, {})]).toEqual(['mode'])
    expect([...treeDifferences(tree, { ...args, group: '0' }, top, {})]).toEqual(['group'])
  })
})
