/**
 * The expression language's syntax: literals, precedence as Jinja2 has it, every operator,
 * JavaScript's spellings, and syntax errors that point at the column.
 */
import { describe, expect, test } from 'vitest'
import { TemplateError } from '../../engine/errors.js'
import { parseExpression } from '../../engine/expr/index.js'
import { PyFloat } from '../../engine/expr/pyfloat.js'
import { evaluatorOver } from '../helpers/expr.js'

const vars: Record<string, unknown> = {
  a: 1, b: 0, t: true, f: false, n: null, s: 'hello', x: 'xv', y: 'yv',
  l: [1, 2, 3], d: { k: 'v', j: 2, 'dotted.key': 'dk' }, nested: { a: { b: [10, { c: 'deep' }] } },
}
const { ev } = evaluatorOver(vars)

describe('literals', () => {
  test.each([
    ['42', 42], ['-7', -7], ['3.25', 3.25], ['1e3', new PyFloat(1000)], ['1_000', 1000],
    ["'single'", 'single'], ['"double"', 'double'], ["'it\\'s'", "it's"], ['"say \\"hi\\""', 'say "hi"'],
    ["'a\\nb'", 'a\nb'], ["'tab\\there'", 'tab\there'], ["'back\\\\slash'", 'back\\slash'], ["'\\x41\\u00e9'", 'Aé'],
    ["'\\d+\\.'", '\\d+\\.'], ["'a' 'b'", 'ab'],
    ['true', true], ['True', true], ['false', false], ['False', false], ['none', null], ['None', null], ['null', null],
    ['[1, 2]', [1, 2]], ['[]', []], ['[1, [2, 3],]', [1, [2, 3]]], ['(1, 2)', [1, 2]], ['()', []], ['(1)', 1],
    ["{'a': 1, \"b\": 2}", { a: 1, b: 2 }], ['{a: 1, b: 2}', { a: 1, b: 2 }], ['{}', {}], ['{1: a}', { '1': 1 }],
    ["{'k': [1, {'x': none}]}", { k: [1, { x: null }] }],
  ])('%s', (expr, expected) => {
    expect(ev(expr)).toEqual(expected)
  })
})

describe('names, attributes, indexes and slices', () => {
  test.each([
    ['a', 1], ['d.k', 'v'], ["d['k']", 'v'], ['d["j"]', 2], ["d['dotted.key']", 'dk'],
    ['l[0]', 1], ['l[-1]', 3], ['l.1', 2], ['nested.a.b[1].c', 'deep'], ["nested['a']['b'][0]", 10], ['nested.a.b.0', 10],
    ['l[1:3]', [2, 3]], ['l[:2]', [1, 2]], ['l[1:]', [2, 3]], ['l[-2:]', [2, 3]], ['l[::-1]', [3, 2, 1]], ['l[::2]', [1, 3]],
    ['s[1:3]', 'el'], ['s[::-1]', 'olleh'], ['s[0]', 'h'], ['s[-1]', 'o'], ['l[5:]', []],
    ['s.length', 5], ['l.length', 3], ["d['k' ~ '']", 'v'],
  ])('%s', (expr, expected) => {
    expect(ev(expr)).toEqual(expected)
  })
})

describe('precedence follows Jinja2', () => {
  test.each([
    ['1 + 2 * 3', 7],
    ['(1 + 2) * 3', 9],
    ['10 - 2 - 3', 5],
    ['2 ** 3 ** 2', 64], // Jinja evaluates ** left to right
    ['-2 ** 2', 4], // unary minus binds tighter, as in Jinja
    ['-1 | abs', 1],
    ['a | default(1) * 2', 2],
    ['missing | default(1) * 2', 2],
    ['missing | default(3) + 1', 4],
    ['l | length * 2', 6],
    ['l | length > 2', true],
    ['not a and b', false],
    ['not b and a', 1],
    ['not (a and b)', true],
    ['not a == 2', true],
    ['a or b and b', 1],
    ['b and a or 5', 5],
    ["x if t else y", 'xv'],
    ["x if f else y", 'yv'],
    ["x if f else y | upper", 'YV'],
    ["(x if f else y) | upper", 'YV'],
    ["'a' if f else 'b' if t else 'c'", 'b'],
  ])('%s', (expr, expected) => {
    expect(ev(expr)).toEqual(expected)
  })

  test('~ binds tighter than + and looser than *, as in Jinja', () => {
    expect(ev("'a' ~ 2 * 3")).toBe('a6')
    expect(() => ev('1 + 2 ~ 3')).toThrow(/cannot add an integer and a string/)
  })

  test('is-tests bind like filters: not x is defined is not (x is defined)', () => {
    expect(ev('not a is defined')).toBe(false)
    expect(ev('not missing is defined')).toBe(true)
    expect(ev('a is defined and l | length == 3')).toBe(true)
  })

  test('comparisons chain as in Python', () => {
    expect(ev('1 < a + 1 < 3')).toBe(true)
    expect(ev('3 > 2 > 2')).toBe(false)
  })
})

describe('operators', () => {
  test.each([
    ['7 + 3', 10], ['7 - 10', -3], ['6 * 7', 42], ['7 / 2', 3.5], ['7 // 2', 3], ['-7 // 2', -4], ['7 % 3', 1], ['-7 % 3', 2],
    ['7 % -3', -2], ['2 ** 10', 1024], ['2 ** -1', 0.5], ['+a', 1], ['-a', -1], ['true + 1', 2],
    ["'ab' + 'cd'", 'abcd'], ['[1] + [2, 3]', [1, 2, 3]], ["'-' * 3", '---'], ['3 * "ab"', 'ababab'], ['[0] * 2', [0, 0]],
    ["'v' ~ 1 ~ none ~ true", 'v1NoneTrue'], ["'%s-%s' % ('a', 1)", 'a-1'], ["'%d%%' % 50", '50%'],
    ['1 == 1', true], ['1 == 1.0', true], ["'1' == 1", false], ['l == [1, 2, 3]', true], ["d == {'k': 'v', 'j': 2, 'dotted.key': 'dk'}", true],
    ['1 != 2', true], ['1 === 1', true], ["1 !== '1'", true], ['1 < 2', true], ['2 <= 2', true], ['3 > 2', true], ['2 >= 3', false],
    ["'abc' < 'abd'", true], ['[1, 2] < [1, 3]', true],
    ['2 in l', true], ['5 in l', false], ["'ell' in s", true], ["'k' in d", true], ["'zz' not in d", true], ['4 not in l', true],
    ['a and b', 0], ['a or b', 1], ['b or 0', 0], ["'' or 'fallback'", 'fallback'], ['n or 2', 2],
    ['not 0', true], ['not []', true], ['not {}', true], ["not ''", true], ["not 'false'", false], ['not none', true],
  ])('%s', (expr, expected) => {
    expect(ev(expr)).toEqual(expected)
  })

  test.each([
    ['1 + "a"', /cannot add an integer and a string \(use '~' to join values as text/],
    ['"5" > 3', /cannot compare a string with an integer using '>' \(convert with '\| int'/],
    ['1 / 0', /division by zero/],
    ['1 // 0', /division by zero/],
    ['5 % 0', /division by zero/],
    ["'a' - 1", /'-' needs numbers, not a string/],
    ['1 in 2', /cannot look for a value in an integer/],
    ['l[1.5]', /index must be an integer/],
  ])('%s fails clearly', (expr, message) => {
    expect(() => ev(expr)).toThrow(message)
  })
})

describe('JavaScript spellings', () => {
  test.each([
    ['a && b', 0], ['a || b', 1], ['!a', false], ['!b', true], ['!missing is defined', true], ['t ? "yes" : "no"', 'yes'],
    ['f ? 1 : b ? 2 : 3', 3], ['t ? f ? 1 : 2 : 3', 2], ['a === 1 && x !== "q"', true], ['s.length > 3 ? s.toUpperCase() : s', 'HELLO'],
    ["{key: x}['key']", 'xv'],
  ])('%s', (expr, expected) => {
    expect(ev(expr)).toEqual(expected)
  })
})

describe('inline if', () => {
  test('without else gives an empty string when false, like Jinja', () => {
    expect(ev("'on' if t")).toBe('on')
    expect(ev("'on' if f")).toBe('')
  })

  test('only the chosen branch is evaluated', () => {
    expect(ev("missing.x if missing is defined else 'safe'")).toBe('safe')
    expect(ev("t ? 'ok' : missing.boom")).toBe('ok')
  })

  test('short-circuit: the right side of and/or is not evaluated when not needed', () => {
    expect(ev('missing is defined and missing > 1')).toBe(false)
    expect(ev('missing is undefined or missing > 1')).toBe(true)
  })
})

describe('syntax errors', () => {
  const message = (expr: string): string => {
    try {
      parseExpression(expr)
    } catch (err) {
      expect(err).toBeInstanceOf(TemplateError)
      return (err as Error).message
    }
    throw new Error(`no error for ${expr}`)
  }

  test.each([
    ['a +* b', 'syntax error at column 4 in "a +* b": unexpected \'*\''],
    ['a +', 'syntax error at column 4 in "a +": unexpected end of expression'],
    ['(a', 'syntax error at column 3 in "(a": expected \')\', found end of expression'],
    ['[1, 2', 'syntax error at column 6 in "[1, 2": expected \']\', found end of expression'],
    ["'open", 'syntax error at column 1 in "\'open": unterminated string'],
    ['a b', "syntax error at column 3 in \"a b\": unexpected 'b'"],
    ['a $ b', "syntax error at column 3 in \"a $ b\": unexpected character '$'"],
    ['x | ', 'syntax error at column 5 in "x | ": unexpected end of expression'],
    ['and', "syntax error at column 1 in \"and\": unexpected 'and'"],
    ['{a 1}', "syntax error at column 4 in \"{a 1}\": expected ':', found '1'"],
    ['1 if', 'syntax error at column 5 in "1 if": unexpected end of expression'],
    ["t ? 1", 'syntax error at column 6 in "t ? 1": expected \':\', found end of expression'],
    ['(1)(2)', /only functions and methods can be called/],
  ])('%s', (expr, expected) => {
    if (typeof expected === 'string') expect(message(expr)).toBe(expected)
    else expect(message(expr)).toMatch(expected)
  })

  test('a multi-line expression reports line and column', () => {
    expect(message('a and\n  b +* c')).toBe('syntax error at line 2 column 6 in "a and\n  b +* c": unexpected \'*\'')
  })

  test('unknown filters, tests and functions are found at parse time, with a suggestion', () => {
    expect(message('x | uper')).toBe('unknown filter \'uper\' (did you mean \'upper\'?) in "x | uper"')
    expect(message('x is defind')).toBe('unknown test \'defind\' (did you mean \'defined\'?) in "x is defind"')
    expect(message('rnge(3)')).toBe('unknown function \'rnge\' (did you mean \'range\'?) in "rnge(3)"')
    expect(message('x | frobnicate')).toBe('unknown filter \'frobnicate\' in "x | frobnicate"')
  })

  test('collection-qualified filter and test names resolve to the short names', () => {
    expect(ev("missing | ansible.builtin.default('q')")).toBe('q')
    expect(ev("'1.10' is ansible.builtin.version('1.9', '>')")).toBe(true)
    expect(() => parseExpression('x | community.general.nope')).toThrow(/unknown filter 'community.general.nope'/)
  })

  test('a condition written as one {{ expr }} is accepted, as older playbooks do', () => {
    expect(ev('{{ a == 1 }}')).toBe(true)
  })

  test('a condition mixing {{ }} and text gets a hint', () => {
    expect(message('{{ a }} == 1')).toMatch(/\(conditions are bare expressions: write them without \{\{ \}\}\)$/)
  })

  test('parseExpression returns without evaluating (no scope needed)', () => {
    expect(() => parseExpression('undefined_thing.x | default(1)')).not.toThrow()
  })
})
