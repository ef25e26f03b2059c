/**
 * Method calls on values: a whitelist of Python's and JavaScript's string, list and dict
 * methods, and proof that nothing of the JavaScript runtime is reachable from a playbook.
 */
import { describe, expect, test } from 'vitest'
import { TemplateError } from '../../engine/errors.js'
import { evaluate, MISSING, renderString, type Scope } from '../../engine/expr/index.js'
import { evaluatorOver } from '../helpers/expr.js'

const vars: Record<string, unknown> = { s: 'Hello World', csv: 'a,b,,c', l: [1, 2, 3, 2], d: { k: 'v', j: 2 }, n: 5 }
const { scope, ev } = evaluatorOver(vars)

describe('string methods', () => {
  test.each([
    ["csv.split(',')", ['a', 'b', '', 'c']], ["'  a b  c '.split()", ['a', 'b', 'c']], ["'a b c'.split(none, 1)", ['a', 'b c']],
    ["'a b c'.split(maxsplit=1)", ['a', 'b c']], ["'a.b.c'.rsplit('.', 1)", ['a.b', 'c']], ["'  a  b c'.rsplit(none, 1)", ['  a  b', 'c']],
    ["'x\\ny\\r\\nz'.splitlines()", ['x', 'y', 'z']], ["'x\\ny\\n'.splitlines(true)", ['x\n', 'y\n']],
    ["s.startswith('He')", true], ["s.endswith(('x', 'ld'))", true], ["s.startswith(['a', 'b'])", false],
    ["'  x '.strip()", 'x'], ["'xxa'.lstrip('x')", 'a'], ["'axx'.rstrip('x')", 'a'], ['s.upper()', 'HELLO WORLD'], ['s.lower()', 'hello world'],
    ["'hello world'.title()", 'Hello World'], ["'hELLO'.capitalize()", 'Hello'], ["'a-b-c'.replace('-', '+')", 'a+b+c'], ["'a-b-c'.replace('-', '+', 1)", 'a+b-c'],
    ["'{} {}'.format('a', 'b')", 'a b'], ["'{0}{1}{0}'.format('a', 'b')", 'aba'], ["'{x}-{y}'.format(x=1, y='z')", '1-z'],
    ["'{:>6.2f}|{:05d}|{:,}|{:^7}|{!r}'.format(3.14159, 42, 1234567, 'ab', 'q')", "  3.14|00042|1,234,567|  ab   |'q'"],
    ["'{0[k]} {0[j]}'.format(d)", 'v 2'], ["'{{literal}} {}'.format(1)", '{literal} 1'],
    ["','.join(['a', 'b'])", 'a,b'], ["'-'.join(l)", '1-2-3-2'], ["s.find('World')", 6], ["s.find('nope')", -1], ["'aaa'.count('a')", 3],
    ["'123'.isdigit()", true], ["'12a'.isdigit()", false], ["''.isdigit()", false], ["'abc'.isalpha()", true],
    ['s.toUpperCase()', 'HELLO WORLD'], ['s.toLowerCase()', 'hello world'], ["s.includes('lo W')", true], ["s.startsWith('Hell')", true],
    ["s.endsWith('d')", true], ["'  t  '.trim()", 't'], ["s.indexOf('o')", 4],
  ])('%s', (expr, expected) => {
    expect(ev(expr)).toEqual(expected)
  })
})

describe('list and dict methods', () => {
  test.each([
    ['l.index(2)', 1], ['l.count(2)', 2], ['l.includes(3)', true], ['l.includes(9)', false], ["l.join('+')", '1+2+3+2'], ['l.join()', '1,2,3,2'],
    ['l.slice(1, 3)', [2, 3]], ['l.slice(-2)', [3, 2]], ['l.indexOf(9)', -1],
    ['d.keys() | list', ['k', 'j']], ['d.values() | list', ['v', 2]], ['d.items() | list', [['k', 'v'], ['j', 2]]],
    ["d.get('k')", 'v'], ["d.get('nope', 'fallback')", 'fallback'], ["d.get('nope')", null],
    ['l.length', 4], ['s.length', 11],
  ])('%s', (expr, expected) => {
    expect(ev(expr)).toEqual(expected)
  })

  test('for x in d.items() style: items() gives [key, value] pairs that index', () => {
    expect(ev('(d.items() | list)[0][1]')).toBe('v')
  })

  test('a value missing from a list is an error for index(), as in Python', () => {
    expect(() => ev('l.index(9)')).toThrow(/"9" is not in the list/)
  })
})

describe('only whitelisted methods exist', () => {
  test.each([
    ["s.uppr()", "a string has no method 'uppr' (did you mean 'upper'?)"],
    ['s.charCodeAt(0)', "a string has no method 'charCodeAt'"],
    ['l.push(4)', "a list has no method 'push'"],
    ['d.hasOwnProperty("k")', "a dict has no method 'hasOwnProperty'"],
    ['n.toFixed(2)', "an integer has no method 'toFixed'"],
    ['s.constructor("x")', "a string has no method 'constructor'"],
    ['s.valueOf()', "a string has no method 'valueOf'"],
  ])('%s', (expr, message) => {
    expect(() => ev(expr)).toThrow(message)
  })
})

describe('JavaScript internals are unreachable', () => {
  const blocked = (expr: string): string => {
    try {
      const value = evaluate(`${expr} | default('undefined!')`, scope)
      return value === 'undefined!' ? 'undefined' : `leaked: ${String(value)}`
    } catch (err) {
      expect(err).toBeInstanceOf(TemplateError)
      return 'error'
    }
  }

  test.each([
    'd.constructor', 'd.__proto__', "d['constructor']", "d['__proto__']", 'd.prototype', 's.constructor', "s['constructor']",
    'l.constructor', "l['__proto__']", 'n.constructor', 'd.toString', 'd.hasOwnProperty', 's.toString', 'l.map', 'l.push',
    'constructor', '__proto__', 'toString', 'd.constructor.constructor', "''.constructor.constructor('return process')",
  ])('%s is an error or undefined', (expr) => {
    expect(blocked(expr)).not.toMatch(/^leaked/)
  })

  test('x.constructor, x.__proto__ and x["constructor"] are refused outright', () => {
    expect(() => ev('d.constructor')).toThrow("access to 'constructor' is not allowed")
    expect(() => ev('d.__proto__')).toThrow("access to '__proto__' is not allowed")
    expect(() => ev("d['constructor']")).toThrow("access to 'constructor' is not allowed")
    expect(() => ev("s['__proto__']")).toThrow("access to '__proto__' is not allowed")
  })

  test('a dict literal with a __proto__ key is plain data and does not change any prototype', () => {
    const value = ev("{'__proto__': {'polluted': 1}}") as Record<string, unknown>
    expect(Object.getPrototypeOf(value)).toBe(Object.prototype)
    expect(Object.keys(value)).toEqual(['__proto__'])
    expect(({} as Record<string, unknown>)['polluted']).toBeUndefined()
    expect(ev("({'__proto__': {'p': 1}} | combine({'a': 1})).a")).toBe(1)
    expect(({} as Record<string, unknown>)['p']).toBeUndefined()
  })

  test('scope functions are not callable or readable', () => {
    const withFn: Scope = { lookup: (name) => (name === 'fn' ? () => 'ran' : MISSING) }
    expect(() => evaluate('fn', withFn)).toThrow("'fn' is undefined")
    expect(() => evaluate('fn()', withFn)).toThrow(/unknown function 'fn'/)
    expect(() => renderString('{{ fn }}', withFn)).toThrow("'fn' is undefined")
  })
})
