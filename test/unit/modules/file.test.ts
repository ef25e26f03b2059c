/**
 * lineinfile's algorithm on tables of (file content, arguments) -> new content. The
 * expected values were produced by Ansible's own present()/absent() logic run in Python.
 *
 * stat and file's recursion: the path fact's output parsed into stat fields, and a tree of
 * entries compared with the attributes asked for.
 */
import { createHash } from 'node:crypto'
import { describe, expect, it } from 'vitest'
import { editLines, type LineEditArgs } from '../../../modules/file/lineinfile-edit.js'
import { expandTemplate, pythonRegex, toBinary } from '../../../modules/_shared/python-regex.js'
import { parsePathOutput } from '../../../engine/files/stat.js'
import { parseTree, treeDifferences } from '../../../modules/file/file-recurse.js'

type Case = [content: string, args: Partial<LineEditArgs>, expected: string, changed: boolean, msg: string]

const edit = (content: string, args: Partial<LineEditArgs>) =>
  editLines(Buffer.from(content), { state: 'present', backrefs: false, firstmatch: false, ...args })

describe('lineinfile edits files exactly as Ansible does', () => {
  const cases: Case[] = [
    ['a\nb\nc\n', { line: 'line' }, 'a\nb\nc\nline\n', true, 'line added'],
    ['a\nb\nc', { line: 'line' }, 'a\nb\nc\nline\n', true, 'line added'],
    ['a\nb\nc\n', { line: 'b' }, 'a\nb\nc\n', false, ''],
    ['a\nline\r\nb\n', { line: 'line' }, 'a\nline\nb\n', true, 'line replaced'],
    ['x=1\ny=2\nx=3\n', { line: 'x=9', regexp: '^x=' }, 'x=1\ny=2\nx=9\n', true, 'line replaced'],
    ['x=1\ny=2\nx=3\n', { line: 'x=9', regexp: '^x=', firstmatch: true }, 'x=9\ny=2\nx=3\n', true, 'line replaced'],
    ['x=1\ny=2\n', { line: 'z=9', regexp: '^z=', insertafter: '^x' }, 'x=1\nz=9\ny=2\n', true, 'line added'],
    ['x=1\ny=2\n', { line: 'z=9', regexp: '^z=', insertbefore: '^y' }, 'x=1\nz=9\ny=2\n', true, 'line added'],
    ['x=1\ny=2\nx=3\n', { line: 'line', insertafter: '^x' }, 'x=1\ny=2\nx=3\nline\n', true, 'line added'],
    ['x=1\ny=2\nx=3\n', { line: 'line', insertafter: '^x', firstmatch: true }, 'x=1\nline\ny=2\nx=3\n', true, 'line added'],
    ['a\nb\n', { line: 'line', insertafter: '^nomatch' }, 'a\nb\nline\n', true, 'line added'],
    ['a\nb\n', { line: 'line', insertbefore: 'BOF' }, 'line\na\nb\n', true, 'line added'],
    ['a\nline\n', { line: 'line', insertbefore: 'BOF' }, 'a\nline\n', false, ''],
    ['top\nline\nbottom\n', { line: 'line', insertafter: '^top' }, 'top\nline\nbottom\n', false, ''],
    ['# c\nPort 22\n#Port 2222\n', { line: 'Port 2200', regexp: '^#?Port ' }, '# c\nPort 22\nPort 2200\n', true, 'line replaced'],
    ['# c\nPort 22\n', { line: 'Port \\1\\1', regexp: '^#?Port (\\d+)', backrefs: true }, '# c\nPort 2222\n', true, 'line replaced'],
    ['Port 22\n', { line: 'Port \\g<p>0', regexp: '^Port (?P<p>\\d+)$', backrefs: true }, 'Port 220\n', true, 'line replaced'],
    ['a\n', { line: 'z=\\1', regexp: '^nomatch(.*)', backrefs: true }, 'a\n', false, ''],
    ['x=1\nx=2\n', { line: 'x=7', search_string: 'x=' }, 'x=1\nx=7\n', true, 'line replaced'],
    // Ansible matches bytes: 'ü' is two of them, so '.' does not match it but '..' does.
    ['ä=1\nb=ü\n', { line: 'b=ö', regexp: '^b=..$' }, 'ä=1\nb=ö\n', true, 'line replaced'],
    ['ä=1\nb=ü\n', { line: 'b=ö', regexp: '^b=.$' }, 'ä=1\nb=ü\nb=ö\n', true, 'line added'],
    ['a\nb\na\n', { state: 'absent', line: 'a' }, 'b\n', true, '2 line(s) removed'],
    ['x=1\ny\nx=2\n', { state: 'absent', regexp: '^x' }, 'y\n', true, '2 line(s) removed'],
    ['a\n\nb\n', { state: 'absent', regexp: '^$' }, 'a\nb\n', true, '1 line(s) removed'],
    ['a\nb\n', { state: 'absent', search_string: 'zz' }, 'a\nb\n', false, ''],
  ]
  it.each(cases)('%j with %j', (content, args, expected, changed, msg) => {
    const result = edit(content, args)
    expect(result.content.toString('utf8')).toBe(expected)
    expect(result.changed).toBe(changed)
    expect(result.msg).toBe(msg)
  })

  it('ends an unterminated last line before appending after it (where Ansible would glue the two)', () => {
    expect(edit('a\nb', { line: 'line', insertafter: '^b' }).content.toString()).toBe('a\nb\nline\n')
  })

  it('is idempotent: applying its own output again changes nothing', () => {
    for (const [content, args] of cases) {
      if (args.backrefs) continue
      const once = edit(content, args).content.toString('utf8')
      expect(edit(once, args).changed).toBe(false)
    }
  })

  it('counts removed lines', () => {
    expect(edit('a\nb\na\n', { state: 'absent', line: 'a' }).found).toBe(2)
  })
})

describe('Python regular expressions', () => {
  it('translates named groups, backreferences and inline flags', () => {
    const re = pythonRegex('(?i)^(?P<key>\\w+)=(?P=key)$')
    expect(re.flags).toContain('i')
    expect(re.test('AB=AB')).toBe(true)
    expect(re.test('ab=cd')).toBe(false)
  })
  it('keeps \\s to ASCII whitespace, so a UTF-8 letter is never "space"', () => {
    expect(pythonRegex('\\s').test(toBinary('à'))).toBe(false)
    expect(pythonRegex('[\\s]').test(toBinary('à'))).toBe(false)
    expect(pythonRegex('a\\sb').test('a\tb')).toBe(true)
  })
  it('expands \\1, \\g<1> and \\g<name> like match.expand, unmatched groups empty', () => {
    const m = pythonRegex('(?P<a>x)(y)?').exec('x')
    if (!m) throw new Error('no match')
    expect(expandTemplate('[\\1|\\g<1>|\\g<a>|\\2]\\t', m)).toBe('[x|x|x|]\t')
  })
})

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
