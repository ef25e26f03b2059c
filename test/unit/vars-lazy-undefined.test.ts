/**
 * A variable whose template uses an undefined variable is undefined, not an error, until it is
 * used (Ansible 2.14's lazy variables, template target's lazy_eval.yml).
 */
import { describe, expect, test } from 'vitest'
import { TemplateError, UndefinedVariableError } from '../../engine/errors.js'
import { VarScope } from '../../engine/vars.js'

function scope(): VarScope {
  return new VarScope([
    {
      source: 'play vars',
      vars: { deep: '{{ nested_undefined }}', attr: '{{ d.nope }}', d: {}, broken: '{{ 1 | nosuchfilter }}', user: '{{ deep }}!' },
    },
  ])
}

describe('lazily undefined variables', () => {
  test('is undefined, | default and `or` work on them without an error', () => {
    const s = scope()
    expect(s.evaluate('deep is undefined')).toBe(true)
    expect(s.evaluate('attr is defined')).toBe(false)
    expect(s.evaluate("deep | default('defaulted')")).toBe('defaulted')
    expect(s.evaluate('true or deep')).toBe(true)
  })

  test("using one fails with the inner variable's message", () => {
    const s = scope()
    expect(() => s.render('{{ deep }}')).toThrow(UndefinedVariableError)
    expect(() => s.render('{{ deep }}')).toThrow(/'nested_undefined' is undefined/)
    expect(() => s.get('user')).toThrow(/'nested_undefined' is undefined/)
    expect(() => s.get('deep')).toThrow(/'nested_undefined' is undefined/)
  })

  test('other template errors are not made undefined', () => {
    const s = scope()
    expect(() => s.evaluate('broken is defined')).toThrow(TemplateError)
    expect(() => s.evaluate('broken is defined')).not.toThrow(UndefinedVariableError)
  })

  test("hostvars-style access keeps the Undefined, EJS-style access throws", () => {
    const s = scope()
    expect(s.asObject(true)['deep']).toBeDefined()
    expect(() => s.asObject()['deep']).toThrow(/'nested_undefined' is undefined/)
  })
})
