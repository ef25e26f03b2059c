/** YAML read as Ansible (PyYAML) reads it, where tsplay's loader once read it otherwise. */
import { describe, expect, it } from 'vitest'
import { parseYaml } from '../../engine/yaml.js'

const errorOf = (text: string): string => {
  try {
    parseYaml(text, 'site.yml')
  } catch (err) {
    return (err as Error).message
  }
  throw new Error('no error')
}

describe('YAML booleans', () => {
  it('reads only PyYAML booleans as booleans: y and n, oFF and tRUE stay text', () => {
    const data = parseYaml('s: [y, n, Y, N, yes, No, ON, oFF, True, TRUE, tRUE, On, NO, off]\n', 'vars.yml')
    // What ansible-playbook 2.14 printed for this list.
    expect(data).toEqual({ s: ['y', 'n', 'Y', 'N', true, false, true, 'oFF', true, true, 'tRUE', true, false, false] })
  })

  it('keeps every key as the text written: {x: 1, y: 2} has the keys x and y', () => {
    expect(Object.keys(parseYaml('{x: 1, y: 2, n: 3, on: 4, yes: 5, 0644: 6, 1.10: 7, ~: 8}', 'vars.yml') as object)).toEqual(['x', 'y', 'n', 'on', 'yes', '0644', '1.10', '~'])
  })

  it('still finds a key written twice when the texts match', () => {
    expect(errorOf('a: 1\n"a": 2\n')).toContain("site.yml:2:1: duplicate key 'a'")
  })
})

describe('a mapping or list used as a key', () => {
  it('is an unquoted {{ }}: an error at its line and column with the quoting hint', () => {
    const message = errorOf('- debug:\n    msg: {{ foo }}\n')
    // ansible-playbook points at the same place: line 2, column 11.
    expect(message).toContain('site.yml:2:11: found unacceptable key: a mapping cannot be a key')
    expect(message).toContain('always quote template expression brackets when they start a value, for instance {{ foo }} should be written as "{{ foo }}"')
  })

  it('is an error however it is written: an explicit key, a list, an alias', () => {
    expect(errorOf('? {a: 1}\n: x\n')).toBe('site.yml:1:3: found unacceptable key: a mapping cannot be a key')
    expect(errorOf('? [a]\n: x\n')).toBe('site.yml:1:3: found unacceptable key: a list cannot be a key')
    expect(errorOf('a: &m {b: 1}\n*m : x\n')).toBe('site.yml:2:1: found unacceptable key: a mapping cannot be a key')
  })
})
