/**
 * Strings with `{{ }}`: a whole-value expression keeps its type, interpolation renders as
 * Ansible does, structures render deeply, and Jinja statements render as a template.
 */
import { describe, expect, test } from 'vitest'
import { checkTemplate, evaluate, isTemplated, MISSING, render, renderString, truthy, type Scope } from '../../engine/expr/index.js'

const vars: Record<string, unknown> = {
  refapp_user: 'refapp', refapp_port: 8080, list: ['a', 'b'], d: { k: 'v' }, flag: true, off: false, n: null, num: 1.5,
  item: { path: '/var/lib/refapp', owner: 'refapp', mode: '0750' },
}
const scopeOf = (extra: Record<string, unknown> = {}): Scope => {
  const all = { ...vars, ...extra }
  return { lookup: (name) => (Object.hasOwn(all, name) ? all[name] : MISSING) }
}
const scope = scopeOf()
const rs = (text: string): unknown => renderString(text, scope)

describe('renderString', () => {
  test.each([
    ['{{ list }}', ['a', 'b']],
    ['  {{ list }}\n', "  ['a', 'b']\n"],
    ['{{ list }}\n', ['a', 'b']],
    ["{{ list | to_json }}", '["a", "b"]'],
    ["{{ list | to_json | trim }}", ['a', 'b']],
    ["{{ 'True' }}", true],
    ["{{ '{1: 2' }}", '{1: 2'],
    ["{{ '[1, none]' }}", '[1, none]'],
    ["{{ '[1, null, -2]' }}", [1, null, -2]],
    ['{{ refapp_port }}', 8080],
    ['{{ flag }}', true],
    ['{{ n }}', null],
    ['{{ n | default(1) }}', ''],
    ['{{ None }}', ''],
    ['{{ d.missing_is_none | default(None) }}', ''],
    ['{{ d }}', { k: 'v' }],
    ['{{ refapp_port + 1 }}', '8081'],
    ['{{- refapp_port -}}', '8080'],
    ['plain text', 'plain text'],
    ['', ''],
    ['port={{ refapp_port }}', 'port=8080'],
    ['{{ refapp_user }}:{{ refapp_port }}', 'refapp:8080'],
    ['list={{ list }}', "list=['a', 'b']"],
    ['d={{ d }}', "d={'k': 'v'}"],
    ['flag={{ flag }} off={{ off }}', 'flag=True off=False'],
    ['n=[{{ n }}]', 'n=[]'],
    ['num={{ num }}', 'num=1.5'],
    ['{{ "{{" }} literal {{ "}}" }}', '{{ literal }}'],
    ["{{ {'a': {'b': 1}}['a']['b'] }}", '1'],
    ["{{ {'a': {'b': 1}} }}", { a: { b: 1 } }],
    ["{{ '}}' }}", '}}'],
    ['a {# comment #}b', 'a b'],
    ['a {# comment with {{ x }} inside #}b', 'a b'],
    ['{# only a comment #}', ''],
    ['{# note #}{{ list }}', ['a', 'b']],
    ['a   {{- refapp_port }}', 'a8080'],
    ['{{ refapp_port -}}   b', '8080b'],
    ['a\n{#- c -#}\nb', 'ab'],
    ['echo ${#arr[@]}', 'echo ${#arr[@]}'],
    ['{ "json": true }', '{ "json": true }'],
    ["{{ 'on' if flag }}", 'on'],
    ["[{{ 'on' if off }}]", []],
  ])('%j', (text, expected) => {
    expect(rs(text)).toEqual(expected)
  })

  test('Jinja statements render as a template (test/unit/jinja*.test.ts covers them)', () => {
    expect(rs('{% if flag %}x{% endif %}')).toBe('x')
    expect(rs('a {% for i in list %}{{ i }}{% endfor %}')).toBe('a ab')
    expect(rs('{%raw%}{{ x }}{%endraw%}')).toBe('{{ x }}')
  })

  test("a playbook string's {{ }} keeps backslashes in its string literals; conditions and {% %} read escapes", () => {
    expect(rs("{{ 'a\\nb' | length }}")).toBe('4')
    expect(rs("{{ 'c:\\dir' }}")).toBe('c:\\dir')
    expect(() => rs("{{ 'q\\'q' }}")).toThrow(/unterminated string/)
    expect(evaluate("'a\\nb' | length", scope)).toBe(3)
    expect(rs("{% if 'a\\tb' | length == 3 %}tab{% endif %}{{ 'x\\ty' }}")).toBe('tabx\\ty')
  })

  test("a call unpacks *list and **mapping, as Jinja's does", () => {
    expect(evaluate("'%s-%s' | format(*list)", scope)).toBe('a-b')
    expect(evaluate("dict(**d, x=1)", scope)).toEqual({ k: 'v', x: 1 })
    expect(() => evaluate("'%s' | format(*d)", scope)).toThrow(/must be a list to unpack/)
  })

  test('syntax errors give the column in the whole string', () => {
    expect(() => rs('{{ a +* b }}')).toThrow('syntax error at column 7 in "{{ a +* b }}": unexpected \'*\'')
    expect(() => rs('x {{ list')).toThrow('syntax error at column 3 in "x {{ list": \'{{\' is not closed by \'}}\'')
    expect(() => rs('{{ }}')).toThrow('syntax error at column 4 in "{{ }}": unexpected end of expression')
  })

  test('checkTemplate validates without evaluating', () => {
    expect(() => checkTemplate('{{ not_defined_yet | default(1) }}')).not.toThrow()
    expect(() => checkTemplate('{{ x | uper }}')).toThrow("unknown filter 'uper' (did you mean 'upper'?)")
    expect(() => checkTemplate('{% if x %}{% endfor %}')).toThrow(/unexpected 'endfor' \(expected 'elif' or 'else' or 'endif'\)/)
  })
})

describe('isTemplated', () => {
  test.each([
    ['{{ x }}', true], ['a {% if %}', true], ['plain', false], ['{ not }', false], ['{# only comment #}', false], [42, false], [null, false],
    [['a', ['b', '{{ c }}']], true], [['a', 'b'], false], [{ a: { b: 'x {{ y }}' } }, true], [{ '{{ key }}': 1 }, true], [{ a: 1 }, false],
  ])('%j', (value, expected) => {
    expect(isTemplated(value)).toBe(expected)
  })
})

describe('render (deep)', () => {
  test('renders every string, keys too, into new structures', () => {
    const input = {
      name: '{{ refapp_user }}',
      port: '{{ refapp_port }}',
      '{{ refapp_user }}_home': '/home/{{ refapp_user }}',
      nested: [{ list: '{{ list }}', literal: 'x' }, 3, true, null],
    }
    const out = render(input, scope)
    expect(out).toEqual({
      name: 'refapp',
      port: 8080,
      refapp_home: '/home/refapp',
      nested: [{ list: ['a', 'b'], literal: 'x' }, 3, true, null],
    })
    expect(out).not.toBe(input)
    expect((out as { nested: unknown }).nested).not.toBe(input.nested)
    expect(input.name).toBe('{{ refapp_user }}')
  })

  test('does not walk into lazy views such as hostvars (a Proxy)', () => {
    let reads = 0
    const hostvars = new Proxy({} as Record<string, unknown>, {
      get: () => (reads++, '{{ never }}'),
      ownKeys: () => ['web1'],
      getOwnPropertyDescriptor: () => ({ enumerable: true, configurable: true, value: '{{ never }}' }),
    })
    const out = render({ hostvars }, scope) as { hostvars: unknown }
    expect(out.hostvars).toBe(hostvars)
    expect(isTemplated({ hostvars })).toBe(false)
    expect(reads).toBe(0)
  })

  test('indexes lazy views through their traps', () => {
    const hostvars = new Proxy({} as Record<string, unknown>, {
      get: (_t, key) => (key === 'web1' ? { ansible_host: '10.0.0.1' } : undefined),
      has: (_t, key) => key === 'web1',
      ownKeys: () => ['web1'],
      getOwnPropertyDescriptor: (_t, key) => (key === 'web1' ? { enumerable: true, configurable: true, value: { ansible_host: '10.0.0.1' } } : undefined),
    })
    const withHostvars = scopeOf({ hostvars, host: 'web1' })
    expect(renderString('{{ hostvars[host].ansible_host }}', withHostvars)).toBe('10.0.0.1')
    expect(renderString("{{ hostvars['web2'].ansible_host | default('none') }}", withHostvars)).toBe('none')
    expect(renderString('{{ hostvars | dict2items | map(attribute="key") | list }}', withHostvars)).toEqual(['web1'])
  })

  test('leaves values without templates as they are', () => {
    expect(render('plain', scope)).toBe('plain')
    expect(render(7, scope)).toBe(7)
    expect(render(null, scope)).toBe(null)
    const date = new Date(0)
    expect(render({ when: date }, scope)).toEqual({ when: date })
  })
})

describe('the reference workload', () => {
  test('ansible_processor_vcpus | default(1) * 2, with and without the fact', () => {
    const expr = '{{ ansible_processor_vcpus | default(1) * 2 }}'
    expect(renderString(expr, scopeOf())).toBe('2')
    expect(renderString(expr, scopeOf({ ansible_processor_vcpus: 4 }))).toBe('8')
    expect(renderString(`workers = ${expr}`, scopeOf({ ansible_processor_vcpus: 4 }))).toBe('workers = 8')
  })

  test('directory items with and without owner and mode', () => {
    const withBoth = scopeOf()
    const bare = scopeOf({ item: { path: '/etc/refapp' } })
    expect(renderString("{{ item.owner | default('root') }}", withBoth)).toBe('refapp')
    expect(renderString("{{ item.mode | default('0755') }}", withBoth)).toBe('0750')
    expect(renderString("{{ item.owner | default('root') }}", bare)).toBe('root')
    expect(renderString("{{ item.mode | default('0755') }}", bare)).toBe('0755')
    expect(renderString('{{ item.path }}', bare)).toBe('/etc/refapp')
  })

  test('refapp_unit is changed', () => {
    expect(evaluate('refapp_unit is changed', scopeOf({ refapp_unit: { changed: true } }))).toBe(true)
    expect(evaluate('refapp_unit is changed', scopeOf({ refapp_unit: { changed: false } }))).toBe(false)
  })

  test('the template lines of refapp.conf render as Ansible renders them', () => {
    const facts = scopeOf({ inventory_hostname: 'web1', ansible_default_ipv4: { address: '10.0.0.5' }, refapp_workers: 4 })
    expect(renderString("listen = {{ ansible_default_ipv4.address | default('0.0.0.0') }}:{{ refapp_port }}", facts)).toBe('listen = 10.0.0.5:8080')
    expect(renderString("listen = {{ ansible_default_ipv4.address | default('0.0.0.0') }}:{{ refapp_port }}", scopeOf())).toBe('listen = 0.0.0.0:8080')
  })
})

describe('truthy', () => {
  test.each([
    ['', false], [0, false], [[], false], [{}, false], [null, false], [false, false], [undefined, false],
    ['false', true], ['no', true], ['0', true], [' ', true], [1, true], [-1, true], [[0], true], [{ a: 0 }, true], [true, true],
  ])('%j is %s', (value, expected) => {
    expect(truthy(value)).toBe(expected)
  })

  test('a condition uses the same truthiness', () => {
    expect(truthy(evaluate("'false'", scope))).toBe(true)
    expect(truthy(evaluate("'false' | bool", scope))).toBe(false)
  })
})

describe("a lookup's literal terms", () => {
  test('a string literal holding {{ }} is rendered before the plugin runs, as Ansible templates lookup terms', () => {
    expect(rs("{{ lookup('pipe', 'echo {{ refapp_user }}') }}")).toBe('refapp')
    expect(rs("{{ query('items', '{{ refapp_port }}') }}")).toEqual([8080])
  })

  test("a variable's value that holds {{ }} is not rendered again (text from a host stays text)", () => {
    const host = scopeOf({ motd: '{{ refapp_user }}' })
    expect(renderString("{{ lookup('items', motd) }}", host)).toBe('{{ refapp_user }}')
  })
})
