import { describe, expect, test } from 'vitest'
import { InventoryError } from '../../engine/errors.js'
import { PyFloat } from '../../engine/expr/pyfloat.js'
import { pyLiteral } from '../../engine/inventory/literal.js'
import { expandHostPattern } from '../../engine/inventory/ranges.js'
import { shlexWords as shlexSplit } from '../../engine/shlex.js'

const value = (text: string): unknown => {
  const r = pyLiteral(text)
  return r.ok ? r.value : `<text>`
}

describe("a template's output read as Ansible's Json2Python + literal_eval", () => {
  test('reads JSON names and spans lines only when asked, as INI values never do', () => {
    expect(pyLiteral('{"a": true,\n "b": null} # x\n', { jsonNames: true })).toEqual({ ok: true, value: { a: true, b: null } })
    expect(pyLiteral('[true]')).toEqual({ ok: false })
    // A set is no value tsplay has: a template's output that reads as one stays text.
    expect(pyLiteral('{{"a"}}', { jsonNames: true })).toEqual({ ok: false })
  })
})

describe('INI values typed as Python literals (ast.literal_eval)', () => {
  test.each([
    ['42', 42],
    ['1_000', 1000],
    ['-0x10', -16],
    ['0o17', 15],
    ['0b101', 5],
    ['1.5e3', new PyFloat(1500)],
    ['-2.0', new PyFloat(-2)],
    ['.5', 0.5],
    ['True', true],
    ['None', null],
    ['"a" \'b\'', 'ab'],
    ["'\\x41\\n'", 'A\n'],
    ["r'\\d+'", '\\d+'],
    ["b'bytes'", 'bytes'],
    ['(1,)', [1]],
    ['()', []],
    ['(7)', 7],
    ['{1, 2}', [1, 2]],
    ['{"a": [1, {"b": None}], 2: True}', { a: [1, { b: null }], 2: true }],
    ['[1, 2,]', [1, 2]],
    ['8080 # port', 8080],
  ])('%s', (text, expected) => {
    expect(value(text)).toEqual(expected)
  })

  test.each(['0644', '10-5', '56L', '1.2.3', 'yes', 'true', 'FALSE', '2**3', '1j', 'abc', '', '[1, 2', "f'x'", '99999999999999999999', '{[1]: 2}'])(
    '%s stays text',
    (text) => {
      expect(pyLiteral(text).ok).toBe(false)
    },
  )
})

describe('host lines split as Python shlex', () => {
  test('quotes join words and mark what was quoted', () => {
    const [a, b] = shlexSplit(`web1 x=a"b c"d  # comment`)
    expect(a?.text).toBe('web1')
    expect(b?.text).toBe('x=ab cd')
    expect(b?.quoted).toEqual([false, false, false, true, true, true, false])
    expect(b?.col).toBe(6)
  })

  test('backslashes escape outside quotes and before " inside double quotes', () => {
    expect(shlexSplit(String.raw`a=\$x b="q\"\n" c='\'`).map((t) => t.text)).toEqual(['a=$x', 'b=q"\\n', 'c=\\'])
  })

  test('an empty quoted value is a token', () => {
    expect(shlexSplit(`x="" y=''`).map((t) => t.text)).toEqual(['x=', 'y='])
  })
})

describe('host ranges and ports', () => {
  test.each([
    ['web[1:3].example.com', ['web1.example.com', 'web2.example.com', 'web3.example.com']],
    ['db[08:11]', ['db08', 'db09', 'db10', 'db11']],
    ['n[:2]', ['n0', 'n1', 'n2']],
    ['x[a:b]-[1:2]', ['xa-1', 'xa-2', 'xb-1', 'xb-2']],
    ['s[y:B]', ['sy', 'sz', 'sA', 'sB']],
    ['r[01:10:4]', ['r01', 'r05', 'r09']],
  ])('%s', (pattern, names) => {
    expect(expandHostPattern(pattern, undefined).names).toEqual(names)
  })

  test('ports after names, ranges and IPv6 addresses', () => {
    expect(expandHostPattern('db[1:2]:5432', undefined)).toEqual({ names: ['db1', 'db2'], port: 5432 })
    expect(expandHostPattern('[fe80::1]:2222', undefined)).toEqual({ names: ['fe80::1'], port: 2222 })
    expect(expandHostPattern('fe80::1', undefined)).toEqual({ names: ['fe80::1'] })
    expect(expandHostPattern('10.0.0.1:22', undefined)).toEqual({ names: ['10.0.0.1'], port: 22 })
  })

  test('a range of more than 100 000 hosts is refused, naming the entry, its line and the limit, before a name is made', () => {
    const at = { file: 'hosts', line: 7, col: 1 }
    expect(() => expandHostPattern('web[1:100000000]', at)).toThrow("hosts:7:1: host range 'web[1:100000000]' makes 100000000 hosts; one inventory entry may make at most 100000")
    // Nested ranges multiply.
    expect(() => expandHostPattern('r[1:1000]n[1:1000]', at)).toThrow(/hosts:7:1: host range 'r\[1:1000\]n\[1:1000\]' makes more than 100000 hosts/)
    expect(expandHostPattern('web[1:100000]', at).names).toHaveLength(100_000)
  })

  test.each(['web[1]', 'web[1:]', 'web[3:1]', 'web[a:3]', 'web[1:3:0]', 'web[1:3', 'web1:'])('%s is refused', (pattern) => {
    expect(() => expandHostPattern(pattern, { file: 'hosts', line: 3, col: 1 })).toThrow(InventoryError)
  })
})
