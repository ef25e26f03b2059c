/**
 * Sequence reshaping and seeded randomness. Expected values were printed by ansible-playbook
 * (ansible-core 2.14, Jinja 3.1, Python 3.11) for the same expressions; strings show Python's
 * repr, where tuples print with parentheses.
 */
import { describe, expect, test } from 'vitest'
import { renderString } from '../../engine/expr/index.js'
import { evaluatorOver, scopeOver } from '../helpers/expr.js'

const vars = {
  users: [{ name: 'alice', groups: ['wheel', 'dev'], authorized: ['a.pub'] }, { name: 'bob', groups: ['dev'] }],
  things: [{ k: 'B', v: 1 }, { k: 'a', v: 2 }, { k: 'b', v: 3 }],
}
const { ev } = evaluatorOver(vars)
const text = (template: string): unknown => renderString(template, scopeOver(vars))

describe('itertools', () => {
  test.each([
    ["[1,2] | product(['a','b']) | list", [[1, 'a'], [1, 'b'], [2, 'a'], [2, 'b']]],
    ['[1,2] | product(repeat=2) | list', [[1, 1], [1, 2], [2, 1], [2, 2]]],
    ['[1,2,3] | permutations | list', [[1, 2, 3], [1, 3, 2], [2, 1, 3], [2, 3, 1], [3, 1, 2], [3, 2, 1]]],
    ['[1,2,3] | permutations(2) | list', [[1, 2], [1, 3], [2, 1], [2, 3], [3, 1], [3, 2]]],
    ['[1,2,3,4] | combinations(2) | list', [[1, 2], [1, 3], [1, 4], [2, 3], [2, 4], [3, 4]]],
    ["[1] | zip_longest([2,3]) | list", [[1, 2], [null, 3]]],
    ["[1,2] | zip_longest(['a','b','c'], fillvalue='-') | list", [[1, 'a'], [2, 'b'], ['-', 'c']]],
  ])('%s', (expr, expected) => {
    expect(ev(expr)).toEqual(expected)
  })

  test('tuples print as Python prints them', () => {
    expect(text("{{ [1,2] | zip(['a','b','c']) | list }} {{ [1,2] | zip_longest(['a','b','c'], fillvalue='-') | list }}")).toBe("[(1, 'a'), (2, 'b')] [(1, 'a'), (2, 'b'), ('-', 'c')]")
    expect(text("{{ {'a': 1, 'b': 2} | dictsort }} {{ {'a': 1} | items | list }} {{ [1,2] | product([3]) | list }} {{ [[1, 2]] | zip([3]) | list }}"))
      .toBe("[('a', 1), ('b', 2)] [('a', 1)] [(1, 3), (2, 3)] [([1, 2], 3)]")
  })
})

describe('subelements', () => {
  test('pairs each item with each element of its list', () => {
    expect(ev("users | subelements('groups')")).toEqual([[vars.users[0], 'wheel'], [vars.users[0], 'dev'], [vars.users[1], 'dev']])
    expect(ev("users | subelements('authorized', skip_missing=True)")).toEqual([[vars.users[0], 'a.pub']])
    expect(ev("{'a': {'x': [1,2]}, 'b': {'x': [3]}} | subelements('x')")).toEqual([[{ x: [1, 2] }, 1], [{ x: [1, 2] }, 2], [{ x: [3] }, 3]])
    expect(ev("[{'a': {'b': [1]}}] | subelements('a.b')")).toEqual([[{ a: { b: [1] } }, 1]])
  })
  test.each([
    ["[{'a': 1}] | subelements('b')", "could not find 'b' key in iterated item {'a': 1}"],
    ["[{'a': 1}] | subelements('a')", "the key 'a' should point to a list, got 1"],
  ])('%s fails', (expr, message) => {
    expect(() => ev(expr)).toThrow(message)
  })
})

describe('groupby, batch, slice', () => {
  test('groupby sorts case-insensitively and keeps the first spelling', () => {
    expect(ev("things | groupby('k')")).toEqual([['a', [{ k: 'a', v: 2 }]], ['B', [{ k: 'B', v: 1 }, { k: 'b', v: 3 }]]])
    expect(ev("[{'k': 'B', 'v': 1}, {'v': 2}] | groupby('k', default='z')")).toEqual([['B', [{ k: 'B', v: 1 }]], ['z', [{ v: 2 }]]])
    expect(text("{{ (things | groupby('k'))[0].grouper }} {{ ([{'k': 'x', 'v': 1}] | groupby('k'))[0].list }}")).toBe("a [{'k': 'x', 'v': 1}]")
  })
  test.each([
    ['[1,2,3,4,5] | batch(2) | list', [[1, 2], [3, 4], [5]]],
    ["[1,2,3,4,5] | batch(2, 'x') | list", [[1, 2], [3, 4], [5, 'x']]],
    ['[] | batch(3) | list', []],
    ['[1,2,3,4,5] | slice(2) | list', [[1, 2, 3], [4, 5]]],
    ['[1,2,3,4,5,6,7] | slice(3, 0) | list', [[1, 2, 3], [4, 5, 0], [6, 7, 0]]],
    ['[1,2,3,4,5,6,7,8,9,10] | slice(3) | list', [[1, 2, 3, 4], [5, 6, 7], [8, 9, 10]]],
    ["[1,2,3,4,5,6,7,8,9,10] | slice(4, 'x') | list", [[1, 2, 3], [4, 5, 6], [7, 8, 'x'], [9, 10, 'x']]],
  ])('%s', (expr, expected) => {
    expect(ev(expr)).toEqual(expected)
  })
})

describe('seeded random and shuffle pick what Python picks', () => {
  test.each([
    ["[1,2,3,4,5] | shuffle(seed='abc')", [1, 2, 3, 4, 5]],
    ['[1,2,3,4,5] | shuffle(seed=42)', [4, 2, 3, 5, 1]],
    ["range(10) | list | shuffle(seed='web1')", [2, 6, 7, 8, 1, 3, 0, 9, 4, 5]],
    // A seed of two 32-bit words; above 2**53 our numbers are not exact, so the largest exact one.
    ['range(20) | list | shuffle(seed=9007199254740991)', [5, 10, 8, 13, 19, 2, 9, 16, 15, 12, 11, 18, 0, 14, 1, 4, 6, 7, 17, 3]],
    ["'abcdef' | shuffle(seed=1)", ['c', 'd', 'f', 'a', 'e', 'b']],
    ["60 | random(seed='host1')", 31], ['60 | random(seed=7)', 20], ["['a','b','c'] | random(seed='x')", 'c'],
    ['100 | random(start=10, step=5, seed=3)', 45], ['1099511627776 | random(seed=1)', 140719340484],
    ["59 | random(seed='db2.example.com')", 44], ['10 | random(start=20, step=-3, seed=5)', 14], ["'abc' | random(seed=0)", 'b'],
  ])('%s', (expr, expected) => {
    expect(ev(expr)).toEqual(expected)
  })

  test('without a seed, within the range and not always the same', () => {
    const picks = new Set(Array.from({ length: 40 }, () => ev('1000 | random') as number))
    expect([...picks].every((n) => Number.isInteger(n) && n >= 0 && n < 1000)).toBe(true)
    expect(picks.size).toBeGreaterThan(1)
    expect((ev('range(10) | list | shuffle') as number[]).sort((a, b) => a - b)).toEqual([0, 1, 2, 3, 4, 5, 6, 7, 8, 9])
  })

  test('an empty range fails as randrange does', () => {
    expect(() => ev('10 | random(start=20, seed=5)')).toThrow(/empty range for randrange/)
  })
})
