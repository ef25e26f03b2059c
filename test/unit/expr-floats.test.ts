/**
 * Floats print as Python prints them (4.0, 1e+20, 0.30000000000000004) in templates, str(), JSON
 * and YAML, and reach modules as plain numbers. Expected texts were printed by ansible-playbook
 * (ansible-core 2.14) for the same templates.
 */
import { describe, expect, test } from 'vitest'
import { validateArgs } from '../../engine/args.js'
import { evaluate, renderString } from '../../engine/expr/index.js'
import { floatRepr, PyFloat } from '../../engine/expr/pyfloat.js'
import { defineModule } from '../../engine/module.js'
import { scopeOver } from '../helpers/expr.js'

const scope = scopeOver({ memory_mb: 4096, half: 0.5 })
const text = (template: string): unknown => renderString(`=${template}`, scope)

describe('a float prints as Python prints it', () => {
  test.each([
    ['{{ 4 | float }}', '=4.0'], ['{{ 10 / 2 }}', '=5.0'], ['{{ 2.5 | round }}', '=2.0'], ['{{ 7 // 2 }}', '=3'],
    ['{{ 1e20 | float }}', '=1e+20'], ['{{ 0.1 + 0.2 }}', '=0.30000000000000004'], ['{{ 1 + 1.0 }}', '=2.0'],
    ['{{ [1.0, 2] }}', '=[1.0, 2]'], ['{{ 3 | round }}', '=3'], ['{{ 35 | round(-1) }}', '=40'], ["{{ 2.5 | round(0, 'floor') }}", '=2.0'],
    ['{{ 2.567 | round(1, "ceil") }}', '=2.6'], ['{{ -memory_mb / 1024 }}', '=-4.0'], ['{{ 4.0 | int }}', '=4'], ['{{ 1e16 }}', '=1e+16'],
    ['{{ 0.00001 }}', '=1e-05'], ['{{ 7 % 2.0 }} {{ 7.0 // 2 }}', '=1.0 3.0'], ['{{ 2 ** -1 }} {{ 1 ** -1 }} {{ 2 ** 2 }}', '=0.5 1.0 4'],
    ['{{ [1.5, 2.5] | sum }}', '=4.0'], ["{{ 'a' | float }} {{ '4' | float }}", '=0.0 4.0'], ['{{ half * 4 }}', '=2.0'],
    ['{{ "%5.1f|%s|%d" % (4.0, 4.0, 4.0) }}', '=  4.0|4.0|4'], ['{{ "{:>6}".format(4.0) }}', '=   4.0'],
    ['{{ 4.0 is float }} {{ 4.0 is number }} {{ 4.0 is integer }} {{ 4.0 | type_debug }}', '=True True False float'],
    ['{{ 4.0 == 4 }} {{ 4.0 in [4] }} {{ 1.0 is version("1", ">=") }}', '=True True True'],
    ['{{ {"a": 4.0, "b": 1e-7} | to_json }}', '={"a": 4.0, "b": 1e-07}'], ['{{ {"a": 4.0, "b": 1e20, "c": 0.5} | to_yaml }}', '={a: 4.0, b: 1.0e+20, c: 0.5}\n'],
  ])('%s', (template, expected) => {
    expect(text(template)).toBe(expected)
  })

  test('a float expression is a float; a lone one in a playbook string is its text', () => {
    expect(evaluate('memory_mb / 1024', scope)).toEqual(new PyFloat(4))
    expect(renderString('{{ memory_mb / 1024 }}', scope)).toBe('4.0')
    expect(renderString('{{ memory_mb // 1024 }}', scope)).toBe('4')
  })

  test.each([[0.1, '0.1'], [123456789.125, '123456789.125'], [1.5e300, '1.5e+300'], [-0, '-0.0'], [1e15, '1000000000000000.0'], [NaN, 'nan'], [-Infinity, '-inf']])(
    'repr(%s) is %s', (n, expected) => {
      expect(floatRepr(n)).toBe(expected)
    },
  )
})

describe('a float leaves the language as a number', () => {
  const mod = defineModule({
    name: 'demo',
    description: 'a module for tests',
    args: {
      line: { type: 'str', description: 'text' },
      ratio: { type: 'float', description: 'a number' },
      count: { type: 'int', description: 'an integer' },
      data: { type: 'raw', description: 'anything' },
      content: { type: 'raw', scalarAsText: true, description: 'file content' },
    },
    plan: async () => ({ changed: false }),
  })
  const run = (args: Record<string, unknown>): Record<string, unknown> => validateArgs(mod, args, { allowTemplates: false })

  test('a string argument gets the text Ansible passes (5.0), a number argument the number', () => {
    expect(run({ line: new PyFloat(5), ratio: new PyFloat(2), content: new PyFloat(5) })).toEqual({ line: '5.0', ratio: 2, content: '5.0' })
  })
  test('inside data, floats become plain numbers', () => {
    expect(run({ data: { a: [new PyFloat(1), 2] } })).toStrictEqual({ data: { a: [1, 2] } })
  })
  test('an integer argument refuses 4.0, as Ansible refuses the text 4.0', () => {
    expect(() => run({ count: new PyFloat(4) })).toThrow("argument 'count' must be an integer; got float '4.0'")
  })
  test('JSON outside the language writes the number', () => {
    expect(JSON.stringify({ a: new PyFloat(4) })).toBe('{"a":4}')
  })
})
