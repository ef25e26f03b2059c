import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { describe, expect, it } from 'vitest'
import { loopItems } from '../../engine/exec/loop.js'
import { MISSING, type Scope } from '../../engine/expr/index.js'

const dir = mkdtempSync(join(tmpdir(), 'tsplay-loops-'))
mkdirSync(join(dir, 'files'))
writeFileSync(join(dir, 'files', 'a.txt'), 'A\n')
writeFileSync(join(dir, 'files', 'b.txt'), 'B\n')
const scope: Scope = { lookup: (name) => (name === 'playbook_dir' ? dir : MISSING) }
const items = (kind: string, value: unknown): unknown[] => loopItems(kind, value, scope)

describe('with_* loops give the items Ansible gives (checked with ansible-playbook 2.14)', () => {
  it('with_nested: every combination', () => {
    expect(items('with_nested', [[1, 2], ['a', 'b']])).toEqual([[1, 'a'], [1, 'b'], [2, 'a'], [2, 'b']])
  })
  it('with_together: zips, filling with None', () => {
    expect(items('with_together', [[1, 2, 3], ['a', 'b']])).toEqual([[1, 'a'], [2, 'b'], [3, null]])
  })
  it('with_subelements: the sublist is taken out of item.0; skip_missing skips elements without it', () => {
    const users = [{ name: 'alice', keys: ['k1', 'k2'] }, { name: 'bob', keys: ['k3'] }, { name: 'carol' }]
    expect(items('with_subelements', [users, 'keys', { skip_missing: true }])).toEqual([
      [{ name: 'alice' }, 'k1'],
      [{ name: 'alice' }, 'k2'],
      [{ name: 'bob' }, 'k3'],
    ])
    expect(users[0]).toEqual({ name: 'alice', keys: ['k1', 'k2'] })
    expect(() => items('with_subelements', [users, 'keys'])).toThrow(/could not find 'keys' key in iterated item/)
    expect(() => items('with_subelements', [9001, 'groups'])).toThrow("subelements lookup expects a dictionary, got '9001'")
    expect(() => items('with_subelements', [users, 7])).toThrow('first a dict or a list, second a string pointing to the subkey')
  })
  it('with_indexed_items flattens one level, and refuses a mapping', () => {
    expect(items('with_indexed_items', ['a', ['b', 'c']])).toEqual([[0, 'a'], [1, 'b'], [2, 'c']])
    expect(() => items('with_indexed_items', { a: 1 })).toThrow('with_indexed_items expects a list')
    expect(() => items('with_together', [])).toThrow('with_together requires at least one element in each list')
  })
  it('with_dict: key/value items', () => {
    expect(items('with_dict', { x: 1 })).toEqual([{ key: 'x', value: 1 }])
    expect(() => items('with_dict', [1])).toThrow(/with_dict expects a dict/)
  })
  it('with_fileglob and with_first_found search the playbook files/ dir', () => {
    expect(items('with_fileglob', ['*.txt'])).toEqual([join(dir, 'files', 'a.txt'), join(dir, 'files', 'b.txt')])
    expect(items('with_first_found', ['nope.txt', 'b.txt', 'a.txt'])).toEqual([join(dir, 'files', 'b.txt')])
    expect(() => items('with_first_found', ['nope.txt'])).toThrow(/No file was found when using first_found/)
    expect(items('with_first_found', [{ files: ['nope.txt'], skip: true }])).toEqual([])
  })
  it('with_lines, with_pipe, with_file, with_flattened', () => {
    expect(items('with_lines', "printf 'x\\ny\\n'")).toEqual(['x', 'y'])
    expect(items('with_pipe', 'echo hi')).toEqual(['hi'])
    expect(() => items('with_pipe', 'exit 3')).toThrow(/lookup_plugin.pipe\(exit 3\) returned 3/)
    expect(items('with_file', 'a.txt')).toEqual(['A'])
    expect(items('with_flattened', [[1, [2, 3]], 4])).toEqual([1, 2, 3, 4])
  })
})
