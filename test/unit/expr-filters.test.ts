/**
 * Filters, family by family, with Ansible's meaning (expected values checked against
 * ansible-core 2.14 where Ansible has the same filter).
 */
import { mkdtempSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { describe, expect, test } from 'vitest'
import { evaluate, MISSING, type Scope } from '../../engine/expr/index.js'
import { PyFloat } from '../../engine/expr/pyfloat.js'
import { evaluatorOver } from '../helpers/expr.js'

const vars: Record<string, unknown> = {
  d: { k: 'v', j: 2 },
  names: ['bob', 'Alice', 'carol', 'alice', 'Bob'],
  users: [{ name: 'ann', age: 31, opt: 1 }, { name: 'bo', age: 25 }, { name: 'cy', age: 40, opt: 3 }],
  refapp_sysctl: { 'net.core.somaxconn': 1024, 'net.ipv4.tcp_fin_timeout': 30, 'net.ipv4.ip_local_port_range': '20000 60999' },
  hosts: { web1: { ip: '10.0.0.1' }, web2: { ip: '10.0.0.2' } },
}
const { ev } = evaluatorOver(vars)
const cases = (rows: [string, unknown][]): void => {
  test.each(rows)('%s', (expr, expected) => {
    expect(ev(expr)).toEqual(expected)
  })
}

describe('defaults and conversions', () => {
  cases([
    ["'yes' | bool", true], ["'No' | bool", false], ["'on' | bool", true], ["'OFF' | bool", false], ["'1' | bool", true], ["'0' | bool", false],
    ["'true' | bool", true], ["'TRUE' | bool", true], ['1 | bool', true], ['2 | bool', false], ["'y' | bool", false], ["'banana' | bool", false],
    ['none | bool', false], ['true | bool', true],
    ['3.7 | int', 3], ["'42' | int", 42], ["' 42 ' | int", 42], ["'4.9' | int", 4], ["'x' | int", 0], ["'x' | int(7)", 7], ["'ff' | int(base=16)", 255],
    ["'0x1F' | int(0, 16)", 31], ["'0755' | int(base=8)", 493], ['true | int', 1], ['none | int', 0],
    ["'1.5' | float", 1.5], ["'x' | float", new PyFloat(0)], ['2 | float', new PyFloat(2)],
    ['1 | string', '1'], ['true | string', 'True'], ['none | string', 'None'], ["[1, 'a', none, true] | string", "[1, 'a', None, True]"],
    ["{'a': [1, 'b']} | string", "{'a': [1, 'b']}"],
    ["true | ternary('y', 'n')", 'y'], ["0 | ternary('y', 'n')", 'n'], ["none | ternary('y', 'n', 'z')", 'z'], ["none | ternary('y', 'n')", 'n'],
    ['1 | type_debug', 'int'], ['1.5 | type_debug', 'float'], ["'a' | type_debug", 'str'], ['[1] | type_debug', 'list'], ['d | type_debug', 'dict'],
    ['none | type_debug', 'NoneType'], ['true | type_debug', 'bool'],
  ])
})

describe('numbers', () => {
  cases([
    ['-3 | abs', 3], ['2.5 | round', new PyFloat(2)], ['3.5 | round', new PyFloat(4)], ['-2.5 | round', new PyFloat(-2)], ['2.675 | round(2)', 2.67], ['1.2345 | round(2)', 1.23],
    ["3.2 | round(method='ceil')", new PyFloat(4)], ["3.8 | round(0, 'floor')", new PyFloat(3)], ['[1, 2, 3] | sum', 6], ["users | sum(attribute='age')", 96],
    ['[[1], [2]] | sum(start=[])', [1, 2]], ['[3, 1, 2] | max', 3], ['[3, 1, 2] | min', 1], ["['b', 'A', 'c'] | min", 'A'], ["['b', 'A', 'c'] | max", 'c'],
    ["users | max(attribute='age')", { name: 'cy', age: 40, opt: 3 }], ['[] | min | default(0)', 0],
  ])
})

describe('strings', () => {
  cases([
    ["'Hello' | lower", 'hello'], ["'Hello' | upper", 'HELLO'], ["'hELLO wORLD' | capitalize", 'Hello world'], ["'hello world' | title", 'Hello World'],
    ["\"it's bob's\" | title", "It's Bob's"], ["'  x  ' | trim", 'x'], ["'xxhixx' | trim('x')", 'hi'],
    ["'a-b-c' | replace('-', '+')", 'a+b+c'], ["'aaa' | replace('a', 'b', 2)", 'bba'],
    ["'a,b,,c' | split(',')", ['a', 'b', '', 'c']], ["'  a b  c ' | split", ['a', 'b', 'c']], ["'a=b=c' | split('=', 1)", ['a', 'b=c']],
    ["'%s-%d' | format('a', 3)", 'a-3'], ["'%(name)s is %(age)d' | format(name='ann', age=31)", 'ann is 31'],
    ["'%5.2f|%-5s|%05d|%x|%o|%e|%g|%r' | format(3.14159, 'ab', 42, 255, 8, 12345.678, 0.0001, 'q')", " 3.14|ab   |00042|ff|10|1.234568e+04|0.0001|'q'"],
    ["'%5s|%+d|%c' | format('r', 5, 65)", '    r|+5|A'],
    ["'hello' | b64encode", 'aGVsbG8='], ["'aGVsbG8=' | b64decode", 'hello'], ["'héllo' | b64encode | b64decode", 'héllo'],
    ["'/a/b/c.txt' | basename", 'c.txt'], ["'/a/b/c.txt' | dirname", '/a/b'], ["'/a/b/' | basename", ''], ["'/a/b/' | dirname", '/a/b'],
    ["'c.txt' | dirname", ''], ["'/' | dirname", '/'], ["['/etc', 'app', 'x.conf'] | path_join", '/etc/app/x.conf'],
    ["'abc' | quote", 'abc'], ["'a b' | quote", "'a b'"], ["\"it's\" | quote", "'it'\\''s'"], ["'' | quote", "''"],
    ["'abc' | hash('md5')", '900150983cd24fb0d6963f7d28e17f72'], ["'abc' | hash('sha1')", 'a9993e364706816aba3e25717850c26c9cd0d89d'],
    ["'abc' | hash('sha256')", 'ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad'], ["'abc' | checksum", 'a9993e364706816aba3e25717850c26c9cd0d89d'],
    ["'a\\nb' | indent(2)", 'a\n  b'], ["'a\\nb' | indent(2, true)", '  a\n  b'],
  ])
})

describe('regular expressions (Python syntax)', () => {
  cases([
    ["'abc' | regex_replace('b', 'X')", 'aXc'], ["'abc' | regex_replace('(a)(b)', '\\\\2\\\\1')", 'bac'], ["'abc' | regex_replace('(a)(b)', '\\2\\1')", 'bac'],
    ["'abc' | regex_replace('^(?P<x>a)', '[\\g<x>]')", '[a]bc'], ["'a1b22' | regex_replace('\\d+', '#')", 'a#b#'],
    ["'ABC' | regex_replace('b', 'x', ignorecase=true)", 'AxC'], ["'aaa' | regex_replace('a', 'b', count=2)", 'bba'],
    ["'price: $5' | regex_replace('\\$(\\d)', '\\1 dollars')", 'price: 5 dollars'], ["'a.b' | regex_replace('\\.', '$&')", 'a$&b'],
    ["'line1\\nline2' | regex_replace('^line', 'L', multiline=true)", 'L1\nL2'], ["'Abc' | regex_replace('(?i)a', 'x')", 'xbc'],
    ["'abc123' | regex_search('\\d+')", '123'], ["'abc' | regex_search('\\d+')", null], ["'k=v' | regex_search('(\\w)=(\\w)', '\\2', '\\1')", ['v', 'k']],
    ["'k=v' | regex_search('(?P<key>\\w)=', '\\g<key>')", ['k']],
    ["'a1b2' | regex_findall('\\d')", ['1', '2']], ["'a=1 b=2' | regex_findall('(\\w)=(\\d)')", [['a', '1'], ['b', '2']]], ["'a=1 b=2' | regex_findall('\\w=(\\d)')", ['1', '2']],
    ["'a.b*c' | regex_escape", 'a\\.b\\*c'], ["'a.b' is match('a.b' | regex_escape)", true], ["'axb' is match('a.b' | regex_escape)", false],
  ])
})

describe('lists', () => {
  cases([
    ['[1, 2, 3] | length', 3], ["'héllo' | length", 5], ['d | length', 2], ['d | count', 2], ['[1, 2] | first', 1], ['[1, 2] | last', 2], ["'ab' | first", 'a'],
    ['names | sort', ['Alice', 'alice', 'bob', 'Bob', 'carol']], ['names | sort(reverse=true)', ['carol', 'bob', 'Bob', 'Alice', 'alice']],
    ['names | sort(case_sensitive=true)', ['Alice', 'Bob', 'alice', 'bob', 'carol']],
    ["users | sort(attribute='age') | map(attribute='name') | list", ['bo', 'ann', 'cy']],
    ['names | unique', ['bob', 'Alice', 'carol']], ['names | unique(case_sensitive=true)', names()], ['[1, 2, 1, [1], [1]] | unique', [1, 2, [1]]],
    ['[1, 2, 3] | reverse | list', [3, 2, 1]], ["'abc' | reverse", 'cba'], ["'abc' | list", ['a', 'b', 'c']], ['d | list', ['k', 'j']],
    ["[1, 2] | join(',')", '1,2'], ['[1, 2] | join', '12'], ["users | join(', ', attribute='name')", 'ann, bo, cy'],
    ["users | map(attribute='name') | list", ['ann', 'bo', 'cy']], ["users | map(attribute='opt', default='-') | list", [1, '-', 3]],
    ["users | map(attribute='name') | map('upper') | list", ['ANN', 'BO', 'CY']], ["['1', '2'] | map('int') | sum", 3],
    ["['a', 'b'] | map('regex_replace', '^', 'x-') | list", ['x-a', 'x-b']],
    ['[1, 2, 3, 4] | select("odd") | list', [1, 3]], ['[1, 2, 3, 4] | reject("odd") | list', [2, 4]], ["[0, 1, '', 'a'] | select | list", [1, 'a']],
    ["[1, 5, 10] | select('gt', 4) | list", [5, 10]], ["[1, 5, 10] | select('>', 4) | list", [5, 10]],
    ["users | selectattr('age', 'gt', 30) | map(attribute='name') | list", ['ann', 'cy']],
    ["users | rejectattr('age', 'gt', 30) | map(attribute='name') | list", ['bo']],
    ["users | selectattr('opt', 'defined') | map(attribute='name') | list", ['ann', 'cy']],
    ["users | selectattr('opt', 'undefined') | map(attribute='name') | list", ['bo']],
    ["users | selectattr('name', 'equalto', 'bo') | first", { name: 'bo', age: 25 }], ["users | selectattr('opt', 'defined') | selectattr('opt') | length", 2],
    ["[1, [2, [3, [4]]]] | flatten", [1, 2, 3, 4]], ['[1, [2, [3, [4]]]] | flatten(levels=1)', [1, 2, [3, [4]]]], ["[1, [none, 'None', 2]] | flatten", [1, 2]],
    ['[1, 2, 3] | difference([2])', [1, 3]], ['[1, 2, 2, 3] | intersect([2, 3, 4])', [2, 3]], ['[1, 2] | union([2, 3])', [1, 2, 3]],
    ['[1, 2] | symmetric_difference([2, 3])', [1, 3]], ["[1, 2] | zip(['a', 'b', 'c']) | list", [[1, 'a'], [2, 'b']]],
    ["['web1', 'web2'] | map('extract', hosts, 'ip') | list", ['10.0.0.1', '10.0.0.2']], ["'web1' | extract(hosts)", { ip: '10.0.0.1' }],
  ])
  function names(): string[] {
    return vars['names'] as string[]
  }
})

describe('dicts', () => {
  cases([
    ['d | dict2items', [{ key: 'k', value: 'v' }, { key: 'j', value: 2 }]],
    ["d | dict2items(key_name='k', value_name='v')", [{ k: 'k', v: 'v' }, { k: 'j', v: 2 }]],
    ["[{'key': 'a', 'value': 1}] | items2dict", { a: 1 }], ["[{'k': 'a', 'v': 1}] | items2dict(key_name='k', value_name='v')", { a: 1 }],
    ['d | dict2items | items2dict', { k: 'v', j: 2 }], ['d | items', [['k', 'v'], ['j', 2]]],
    ["{'a': 1, 'b': {'x': 1}} | combine({'b': {'y': 2}})", { a: 1, b: { y: 2 } }],
    ["{'a': 1, 'b': {'x': 1}} | combine({'b': {'y': 2}}, recursive=true)", { a: 1, b: { x: 1, y: 2 } }],
    ["{'a': [1, 2]} | combine({'a': [3]}, list_merge='append')", { a: [1, 2, 3] }], ["{'a': [1, 2]} | combine({'a': [3]})", { a: [3] }],
    ["{'a': [1, 2]} | combine({'a': [2, 3]}, list_merge='append_rp')", { a: [1, 2, 3] }], ["{'a': [1, 2]} | combine({'a': [2, 3]}, list_merge='prepend_rp')", { a: [2, 3, 1] }],
    ["{'a': [1]} | combine({'a': [2]}, list_merge='keep')", { a: [1] }], ["{'a': [1]} | combine({'a': [2]}, list_merge='prepend')", { a: [2, 1] }],
    ["[{'a': 1}, {'b': 2}] | combine", { a: 1, b: 2 }], ["{'a': 1} | combine({'b': 2}, {'a': 3})", { a: 3, b: 2 }],
    ['d | dictsort', [['j', 2], ['k', 'v']]], ["{'b': 1, 'A': 2} | dictsort", [['A', 2], ['b', 1]]], ["{'a': 2, 'b': 1} | dictsort(by='value')", [['b', 1], ['a', 2]]],
  ])

  test('the reference workload: refapp_sysctl | dict2items, then item.key / item.value', () => {
    const items = ev('refapp_sysctl | dict2items') as { key: string; value: unknown }[]
    expect(items).toEqual([
      { key: 'net.core.somaxconn', value: 1024 },
      { key: 'net.ipv4.tcp_fin_timeout', value: 30 },
      { key: 'net.ipv4.ip_local_port_range', value: '20000 60999' },
    ])
    const itemScope: Scope = { lookup: (name) => (name === 'item' ? items[2] : MISSING) }
    expect(evaluate('item.key', itemScope)).toBe('net.ipv4.ip_local_port_range')
    expect(evaluate('item.value', itemScope)).toBe('20000 60999')
  })
})

describe('JSON and YAML', () => {
  cases([
    ['d | to_json', '{"k": "v", "j": 2}'],
    ["{'b': [1, {'c': 'é'}], 'a': none, 't': true} | to_json", '{"b": [1, {"c": "\\u00e9"}], "a": null, "t": true}'],
    ["{'c': 'é'} | to_json(ensure_ascii=false)", '{"c": "é"}'],
    ['d | to_json(sort_keys=true)', '{"j": 2, "k": "v"}'],
    ['d | to_nice_json', '{\n    "j": 2,\n    "k": "v"\n}'],
    ["{'b': [], 'a': {}, 'c': [1, 2]} | to_nice_json(indent=2)", '{\n  "a": {},\n  "b": [],\n  "c": [\n    1,\n    2\n  ]\n}'],
    ['\'{"a": [1, 2]}\' | from_json', { a: [1, 2] }],
    ["'a: 1\\nb: [x, yes]' | from_yaml", { a: 1, b: ['x', true] }],
    ["'a: 1\\n---\\nb: 2' | from_yaml_all", [{ a: 1 }, { b: 2 }]],
    ['d | to_yaml', '{k: v, j: 2}\n'.replace('{k: v, j: 2}', '{j: 2, k: v}')],
    ["{'a': [1, 2], 'b': {'c': 'x'}} | to_yaml", 'a: [1, 2]\nb: {c: x}\n'],
    ["{'a': {'b': {'c': 1}}, 's': 'yes', 'e': ''} | to_nice_yaml", "a:\n    b:\n        c: 1\ne: ''\ns: 'yes'\n"],
    ["'x: 1' | from_yaml | to_json", '{"x": 1}'],
    // PyYAML's booleans, as ansible-playbook 2.14 printed them: y and n are text.
    ["'a: [y, n, yes, On]' | from_yaml", { a: ['y', 'n', true, true] }],
    ["['y', 'yes', 'n', true] | to_yaml", "[y, 'yes', n, true]\n"],
  ])

  test('bad JSON is a TemplateError naming the filter', () => {
    expect(() => ev("'{nope' | from_json")).toThrow(/'from_json' could not read the JSON/)
  })
})

describe('lookups and functions', () => {
  const dir = mkdtempSync(join(tmpdir(), 'tsplay-expr-'))
  writeFileSync(join(dir, 'motd.txt'), 'welcome\n')
  process.env['TSPLAY_EXPR_TEST'] = 'from-env'
  const withDir: Scope = { lookup: (name) => (name === 'playbook_dir' ? dir : name === 'x' ? 'xv' : MISSING) }
  const at = (expr: string): unknown => evaluate(expr, withDir)

  test.each([
    ["lookup('env', 'TSPLAY_EXPR_TEST')", 'from-env'],
    ["lookup('env', 'TSPLAY_EXPR_TEST_UNSET')", ''],
    ["lookup('env', 'TSPLAY_EXPR_TEST_UNSET', default='d')", 'd'],
    ["lookup('ansible.builtin.env', 'TSPLAY_EXPR_TEST')", 'from-env'],
    ["query('env', 'TSPLAY_EXPR_TEST', 'TSPLAY_EXPR_TEST')", ['from-env', 'from-env']],
    ["q('env', 'TSPLAY_EXPR_TEST')", ['from-env']],
    ["lookup('env', 'TSPLAY_EXPR_TEST', wantlist=true)", ['from-env']],
    ["lookup('env', 'TSPLAY_EXPR_TEST', 'TSPLAY_EXPR_TEST')", 'from-env,from-env'],
    [`lookup('file', '${join(dir, 'motd.txt')}')`, 'welcome'],
    ["lookup('file', 'motd.txt')", 'welcome'],
    ["lookup('vars', 'x')", 'xv'],
    ["lookup('vars', 'nope', default=1)", 1],
    ['range(3)', [0, 1, 2]], ['range(1, 10, 3)', [1, 4, 7]], ['range(5, 0, -2)', [5, 3, 1]], ['range(0)', []], ['range(3) | list | sum', 3],
    ['dict(a=1, b=2)', { a: 1, b: 2 }], ["dict([['a', 1]], b=2)", { a: 1, b: 2 }], ['dict()', {}],
  ])('%s', (expr, expected) => {
    expect(at(expr)).toEqual(expected)
  })

  test('a missing file or unknown lookup is an error', () => {
    expect(() => at("lookup('file', 'nope.txt')")).toThrow(/lookup\('file'\) could not read 'nope.txt': ENOENT/)
    expect(() => at("lookup('nosuch', 'id')")).toThrow(/unknown lookup 'nosuch'/)
    expect(() => at('range(10000000)')).toThrow(/too large/)
  })
})

describe('argument checking', () => {
  test.each([
    ["[1] | join(',', attribut='x')", /'join' has no argument 'attribut' \(it takes: d, attribute\)/],
    ["'a' | upper(1)", /'upper' takes at most 0 arguments, 1 given/],
    ["d | combine([1])", /'combine' needs dicts, not an integer/],
    ["[1] | dict2items", /'dict2items' needs a dict, not a list/],
    ["1 | ternary('a')", /'ternary' needs a true value and a false value/],
    ["'a' | hash('nope')", /unknown hash algorithm 'nope'/],
    ["'(' | regex_search('(')", /invalid regular expression '\('/],
    ["[1, 'a'] | sort", /cannot compare a string with an integer/],
    ["[1] | map('nofilter') | list", /unknown filter 'nofilter'/],
    ["[1] | select('nottest') | list", /unknown test 'nottest'/],
    ["users | selectattr('opt') | list", /'item.opt' is undefined/],
    ["users | map(attribute='opt') | list", /'item.opt' is undefined/],
    ["users | sum(attribute='opt')", /'item.opt' is undefined/],
    ["users | sort(attribute='opt')", /'item.opt' is undefined/],
  ])('%s', (expr, message) => {
    expect(() => ev(expr)).toThrow(message)
  })
})
