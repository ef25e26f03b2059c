/**
 * lineinfile's algorithm on tables of (file content, arguments) -> new content. The
 * expected values were produced by Ansible's own present()/absent() logic run in Python.
 */
import { describe, expect, it } from 'vitest'
import { editLines, type LineEditArgs } from '../../modules/_shared/lineinfile-edit.js'
import { expandTemplate, pythonRegex, toBinary } from '../../modules/_shared/python-regex.js'

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
