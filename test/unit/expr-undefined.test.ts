/**
 * Undefined variables: an error everywhere except where a playbook can test or default
 * them, and every error names the missing path and quotes the expression.
 */
import { describe, expect, test } from 'vitest'
import { TemplateError } from '../../engine/errors.js'
import { OMIT, render, renderString } from '../../engine/expr/index.js'
import { evaluatorOver } from '../helpers/expr.js'

const vars: Record<string, unknown> = {
  foo: { present: 1, empty: '', nothing: null }, item: { path: '/etc' }, l: [1, 2], n: null, s: 'str', zero: 0,
}
const { scope, ev } = evaluatorOver(vars)
const errorOf = (fn: () => unknown): string => {
  try {
    fn()
  } catch (err) {
    expect(err).toBeInstanceOf(TemplateError)
    return (err as Error).message
  }
  throw new Error('expected a TemplateError')
}

describe('an undefined value is an error when used', () => {
  test.each([
    ['missing', "'missing' is undefined in \"missing\""],
    ['foo.bar', "'foo.bar' is undefined in \"foo.bar\""],
    ['missing.a.b', "'missing.a.b' is undefined in \"missing.a.b\""],
    ["item['x']", "'item['x']' is undefined in \"item['x']\""],
    ['l[5]', "'l[5]' is undefined (list object has no element 5 ('l' has 2 items)) in \"l[5]\""],
    ['n.x', "'n.x' is undefined ('n' is None) in \"n.x\""],
    ['s.nope', "'s.nope' is undefined ('s' is a string, which has no attribute 'nope') in \"s.nope\""],
    ['missing + 1', "'missing' is undefined in \"missing + 1\""],
    ['missing == 1', "'missing' is undefined in \"missing == 1\""],
    ['missing and true', "'missing' is undefined in \"missing and true\""],
    ['true and missing', "'missing' is undefined in \"true and missing\""],
    ['not missing', "'missing' is undefined in \"not missing\""],
    ['missing | upper', "'missing' is undefined in \"missing | upper\""],
    ["'x' | replace(missing, 'y')", "'missing' is undefined in \"'x' | replace(missing, 'y')\""],
    ['[1, missing]', "'missing' is undefined in \"[1, missing]\""],
    ['missing is string', "'missing' is undefined in \"missing is string\""],
    ['missing if true else 1', "'missing' is undefined in \"missing if true else 1\""],
    ['missing.split(",")', "'missing' is undefined in \"missing.split(\",\")\""],
    ['[] | first', "'[] | first' is undefined (the list is empty) in \"[] | first\""],
  ])('%s', (expr, message) => {
    expect(errorOf(() => ev(expr))).toBe(message)
  })

  test('in a string, the message quotes the whole string', () => {
    expect(errorOf(() => renderString('{{ foo.bar | upper }}', scope))).toBe("'foo.bar' is undefined in \"{{ foo.bar | upper }}\"")
    expect(errorOf(() => renderString('path={{ item.dest }}', scope))).toBe("'item.dest' is undefined in \"path={{ item.dest }}\"")
  })

  test('render names the string of the structure that failed', () => {
    expect(errorOf(() => render({ a: ['ok', '{{ nope }}'] }, scope))).toBe("'nope' is undefined in \"{{ nope }}\"")
  })
})

describe('where undefined is allowed', () => {
  test.each([
    ["missing | default('a')", 'a'],
    ["missing | d('a')", 'a'],
    ['missing | default', ''],
    ["foo.bar | default('a')", 'a'],
    ["missing.a.b.c | default('deep')", 'deep'],
    ["l[9] | default('none')", 'none'],
    ["foo.present | default('a')", 1],
    ["foo.empty | default('a')", ''],
    ["foo.empty | default('a', true)", 'a'],
    ["foo.nothing | default('a', true)", 'a'],
    ["zero | default(5, true)", 5],
    ["zero | default(5)", 0],
    ["missing | default(other | default('second'))", 'second'],
    ['missing | default(omit)', OMIT],
    ['missing is defined', false],
    ['missing is undefined', true],
    ['missing is not defined', true],
    ['foo.bar is defined', false],
    ['foo.present is defined', true],
    ['foo.nothing is defined', true],
    ['missing.deeper.still is defined', false],
    ["n.x is defined", false],
    ['l[5] is defined', false],
    ["l[1] is defined", true],
    ["missing is defined and missing > 1", false],
    ["foo.bar if foo.bar is defined else 'fallback'", 'fallback'],
    ["true | ternary('yes', missing)", 'yes'],
    ["[] | first | default('empty')", 'empty'],
    ['[{"x": 1}, {}] | map(attribute="x", default=0) | list', [1, 0]],
  ])('%s', (expr, expected) => {
    expect(ev(expr)).toEqual(expected)
  })

  test('mandatory passes a value through and fails with its own message when undefined', () => {
    expect(ev('foo.present | mandatory')).toBe(1)
    expect(errorOf(() => ev('foo.bar | mandatory'))).toBe("mandatory variable 'foo.bar' is not defined in \"foo.bar | mandatory\"")
    expect(errorOf(() => ev("foo.bar | mandatory('set foo.bar in group_vars')"))).toBe('set foo.bar in group_vars in "foo.bar | mandatory(\'set foo.bar in group_vars\')"')
  })

  test('a default that is itself undefined is still an error when used', () => {
    expect(errorOf(() => ev('missing | default(other)'))).toBe("'other' is undefined in \"missing | default(other)\"")
  })
})

describe('omit', () => {
  test('evaluates to the OMIT marker, alone or through default', () => {
    expect(ev('omit')).toBe(OMIT)
    expect(renderString('{{ omit }}', scope)).toBe(OMIT)
    expect(renderString("{{ item.mode | default(omit) }}", scope)).toBe(OMIT)
    expect(render({ path: '{{ item.path }}', mode: '{{ item.mode | default(omit) }}' }, scope)).toEqual({ path: '/etc', mode: OMIT })
  })

  test('cannot be part of a string', () => {
    expect(errorOf(() => renderString('mode={{ omit }}', scope))).toMatch(/'omit' can only be the whole value of an argument/)
    expect(errorOf(() => ev("'a' ~ omit"))).toMatch(/'omit' can only be the whole value/)
  })

  test('is tested as defined', () => {
    expect(ev('omit is defined')).toBe(true)
  })
})

describe("Ansible's undef()", () => {
  test('is undefined until used, then fails with its hint (or Ansible\'s default one)', () => {
    expect(ev("undef() is undefined")).toBe(true)
    expect(ev("undef('set me') | default('given')")).toBe('given')
    expect(errorOf(() => ev("undef('the port must be set') + 1"))).toContain('the port must be set')
    expect(errorOf(() => renderString('{{ undef() }}', scope))).toContain('Mandatory variable has not been overridden')
  })
})
