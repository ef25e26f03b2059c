import { describe, expect, it } from 'vitest'
import { fnmatch } from '../../engine/fnmatch.js'

// Each row: name, pattern, what Python's fnmatch.fnmatchcase answers (checked with python3).
const PYTHON: [string, string, boolean][] = [
  ['ansible_eth0', 'ansible_[!e]*', false],
  ['ansible_hostname', 'ansible_[!e]*', true],
  ['ansible_eth0', 'ansible_eth*', true],
  ['db1', 'db?', true],
  ['db12', 'db?', false],
  ['b', '[a-c]', true],
  ['-', '[a-]', true],
  ['-', '[-a]', true],
  ['b', '[!a-c]', false],
  ['d', '[!a-c]', true],
  [']', '[]]', true],
  ['a', '[]a]', true],
  ['!', '[!]', false],
  ['[!]', '[!]', true],
  ['a', '[z-a]', false],
  ['a', '[!z-a]', true],
  ['^', '[^a]', true],
  ['b', '[^a]', false],
  ['a.b', 'a.b', true],
  ['axb', 'a.b', false],
  ['x\ny', 'x*y', true],
  ['[', '[', true],
  ['a[', 'a[', true],
  ['\\', '[\\]', true],
  ['1.2.3', '1.2.[0-3]', true],
  ['2.10.0-1', '2.1.*', false],
  ['c', '[a-c-e]', true],
  ['-', '[a-c-e]', true],
  ['d', '[a-c-e]', false],
  ['web1', 'WEB1', false],
  ['(x)', '(x)', true],
  ['a$', 'a$', true],
  ['b', '[--b]', true],
  ['+', '[--b]', false],
]

describe('fnmatch', () => {
  it.each(PYTHON)('%j against %j is %s, as in Python', (name, pattern, expected) => {
    expect(fnmatch(name, pattern)).toBe(expected)
  })
})

