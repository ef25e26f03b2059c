/** jinja2_native = True: a lone expression keeps its value; off (Ansible's default) it is text read back. */
import { afterEach, describe, expect, test } from 'vitest'
import { renderString, setNativeTypes } from '../../engine/expr/index.js'
import { scopeOver } from '../helpers/expr.js'

const scope = scopeOver({ n: 3 })
afterEach(() => setNativeTypes(false))

describe('jinja2_native', () => {
  test('off: "{{ n + 1 }}" is the text 4, a bare variable its number', () => {
    expect(renderString('{{ n + 1 }}', scope)).toBe('4')
    expect(renderString('{{ n }}', scope)).toBe(3)
  })

  test('on: a lone expression is its value', () => {
    setNativeTypes(true)
    expect(renderString('{{ n + 1 }}', scope)).toBe(4)
    expect(renderString('{{ [n] | to_json }}', scope)).toBe('[3]')
    expect(renderString('n={{ n + 1 }}', scope)).toBe('n=4')
  })
})
