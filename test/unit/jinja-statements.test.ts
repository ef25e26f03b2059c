/**
 * Jinja2 statements rendered by tsplay's one evaluator, each compared with what Jinja2 (as
 * Ansible 2.14 configures it: trim_blocks on) renders for the same template.
 */
import { describe, expect, test } from 'vitest'
import { TemplateError } from '../../engine/errors.js'
import { checkTemplate, MISSING, renderString, type Scope } from '../../engine/expr/index.js'
import { ANSIBLE_SETTINGS, renderJinja } from '../../engine/expr/jinja/index.js'

const vars: Record<string, unknown> = {
  users: ['ann', 'bob', 'cy'],
  d: { a: 1, b: 2 },
  tree: [{ name: 'x', children: [{ name: 'y', children: [] }] }, { name: 'z', children: [] }],
  flag: true,
  nums: [1, 1, 2, 3, 3],
}
const scope: Scope = { lookup: (name) => (Object.hasOwn(vars, name) ? vars[name] : MISSING) }
const rs = (text: string): unknown => renderString(text, scope)
const lstrip = { ...ANSIBLE_SETTINGS, lstripBlocks: true }

describe('statements', () => {
  test.each([
    ['{% for u in users %}{{ u }}{% endfor %}', 'annbobcy'],
    ['{% for u in users %}{{ loop.index }}/{{ loop.length }}{{ "," if not loop.last }}{% endfor %}', '1/3,2/3,3/3'],
    ['{% for u in users %}{{ loop.index0 }}{{ loop.revindex }}{{ loop.revindex0 }}{{ loop.first }} {% endfor %}', '032True 121False 210False '],
    ['{% for u in users %}{{ loop.cycle("odd", "even") }} {% endfor %}', 'odd even odd '],
    ['{% for u in users %}{{ loop.previtem | default("-") }}{{ loop.nextitem | default("-") }} {% endfor %}', '-bob anncy bob- '],
    ['{% for n in nums %}{% if loop.changed(n) %}{{ n }}{% endif %}{% endfor %}', '123'],
    ['{% for k, v in d.items() %}{{ k }}={{ v }};{% endfor %}', 'a=1;b=2;'],
    ['{% for k in d %}{{ k }}{% endfor %}', 'ab'],
    ['{% for u in users if u != "bob" %}{{ loop.index }}{{ u }}{% endfor %}', '1ann2cy'],
    ['{% for u in [] %}x{% else %}empty{% endfor %}', 'empty'],
    ['{% if flag %}yes{% else %}no{% endif %}', 'yes'],
    ['{% if not flag %}a{% elif users | length > 2 %}b{% else %}c{% endif %}', 'b'],
    ['{% set x = 5 %}{{ x * 2 }}', '10'],
    ['{% set a, b = 1, 2 %}{{ a }}{{ b }}', '12'],
    ['{% set x = 1 %}{% for u in users %}{% set x = 2 %}{% endfor %}{{ x }}', '1'],
    ['{% set ns = namespace(n=0) %}{% for u in users %}{% set ns.n = ns.n + 1 %}{% endfor %}{{ ns.n }}', '3'],
    ['{% for u in users %}{% endfor %}{{ u | default("gone") }}', 'gone'],
    ['{% set x %}a{{ 1 + 1 }}b{% endset %}[{{ x }}]', '[a2b]'],
    ['{% set x | upper %}abc{% endset %}{{ x }}', 'ABC'],
    ['{% macro m(a, b="B") %}{{ a }}-{{ b }}{% endmacro %}{{ m(1) }} {{ m(2, b=3) }}', '1-B 2-3'],
    ['{% macro m() %}{{ varargs }}{{ kwargs }}{% endmacro %}{{ m(1, 2, k=3) }}', "[1, 2]{'k': 3}"],
    ['{% macro m() %}{{ users | length }}{% endmacro %}{{ m() }}', '3'],
    ['{% macro box(t) %}<{{ t }}:{{ caller() }}>{% endmacro %}{% call box("b") %}inner{% endcall %}', '<b:inner>'],
    ['{% macro l(xs) %}{% for x in xs %}{{ caller(x) }}{% endfor %}{% endmacro %}{% call(v) l([1, 2]) %}[{{ v }}]{% endcall %}', '[1][2]'],
    ['{% filter upper %}hi {{ users[0] }}{% endfilter %}', 'HI ANN'],
    ['{% with a = 1, b = 2 %}{{ a + b }}{% endwith %}{{ a | default("out") }}', '3out'],
    ['{% raw %}{{ not rendered }}{% endraw %}', '{{ not rendered }}'],
    ['a{# a comment #}b', 'ab'],
    ['{% for t in tree recursive %}{{ t.name }}{% if t.children %}({{ loop(t.children) }}){% endif %}{% endfor %}', 'x(y)z'],
    ['{% for t in tree recursive %}{{ loop.depth }}{% if t.children %}{{ loop(t.children) }}{% endif %}{% endfor %}', '121'],
    ['{% block b %}in block{% endblock %}', 'in block'],
  ])('%s', (text, expected) => {
    expect(rs(text)).toBe(expected)
  })
})

describe('whitespace', () => {
  test('trim_blocks removes the newline after a block tag (Ansible turns it on)', () => {
    expect(rs('{% for u in users %}\n{{ u }}\n{% endfor %}\n')).toBe('ann\nbob\ncy\n')
  })

  test('- strips whitespace on its side, + keeps the newline trim_blocks would remove', () => {
    expect(rs('a  {%- if flag -%}  b  {%- endif %}\nc')).toBe('abc')
    expect(rs('{{ 1 }}  {{- 2 -}}  {{ 3 }}')).toBe('123')
    expect(rs('{% if flag +%}\nx{% endif %}')).toBe('\nx')
  })

  test('lstrip_blocks strips the indent before a block tag; {%+ keeps it', () => {
    const text = 'x\n  {% if flag %}\n  y\n  {% endif %}\n  {%+ if flag %}z{% endif %}'
    expect(renderJinja(text, scope, { settings: lstrip })).toBe('x\n  y\n  z')
    expect(renderJinja(text, scope)).toBe('x\n    y\n    z')
  })

  // Expected: python3's jinja2 with the same settings, plus the line break Ansible's templar puts back at the end.
  test('line statements run to their line end (line break included); line comments drop the blanks before them', () => {
    const lines = { ...ANSIBLE_SETTINGS, lineStatementPrefix: '%', lineCommentPrefix: '##' }
    expect(renderJinja('a\n  % for i in [1,2]\nx{{ i }} ## note\n% endfor\nb ##c\n', scope, { settings: lines })).toBe('a\nx1\nx2\nb\n')
  })

  test('the result ends with as many newlines as the source, as Ansible pads it', () => {
    expect(rs('{% if flag %}a{% endif %}\n\n')).toBe('a\n\n')
    expect(rs('{% if flag %}a{% endif %}\n')).toBe('a\n')
    expect(rs('{% if flag %}{{ 1 }}{% endif %}{{ 2 }}\n')).toBe('12\n')
  })
})

describe('errors', () => {
  test('a syntax error in a statement names its place at load time', () => {
    expect(() => checkTemplate('a\n{% if x %}b')).toThrow(TemplateError)
    expect(() => checkTemplate('a\n{% if x %}b')).toThrow(/not closed by 'endif'/)
    expect(() => checkTemplate('x {% frobnicate %}')).toThrow(/syntax error at column 3 .*unknown tag 'frobnicate'/)
    expect(() => checkTemplate('{% for in users %}{% endfor %}')).toThrow(/syntax error at column 11 .*expected 'in'/)
  })

  test('undefined values fail where they are used, as Ansible strict undefined does', () => {
    expect(() => rs('{% for u in nope %}{% endfor %}')).toThrow("'nope' is undefined")
    expect(() => rs('{% if nope %}{% endif %}')).toThrow("'nope' is undefined")
    expect(rs('{% if nope is defined %}a{% else %}b{% endif %}')).toBe('b')
  })

  test('set on an attribute needs a namespace', () => {
    expect(() => rs('{% set d.a = 1 %}')).toThrow(/not a namespace/)
  })
})
