/**
 * Data is never a template: values in a data layer (facts, register, set_fact, loop items)
 * and `!unsafe` text are read as they are, whatever `{{ }}` they hold, while the templates the
 * user wrote still render lazily; expression arguments reach the module unrendered.
 */
import { describe, expect, test } from 'vitest'
import { TemplateError } from '../../engine/errors.js'
import { holdsUnsafe, isUnsafe, UnsafeText } from '../../engine/expr/index.js'
import { renderArgs } from '../../engine/exec/module-args.js'
import { validateArgs } from '../../engine/args.js'
import { pyLiteral } from '../../engine/inventory/literal.js'
import { dataLayer, VarScope } from '../../engine/vars.js'
import { parseYaml } from '../../engine/yaml.js'
import assertModule from '../../modules/core/assert.js'
import copyModule from '../../modules/file/copy.js'
import { prng } from '../helpers/prng.js'

const HOST_TEXT = "{{ 7*7 }} {{ lookup('env', 'HOME') }} {{ secret }} {% if x %}{# c #}"

function scope(): VarScope {
  return new VarScope([
    { source: 'play vars', vars: { secret: 's3cret', greeting: 'hi {{ who }}', who: 'you', shout: '{{ r.stdout | upper }}', glued: "{{ r.stdout ~ '!' }}" } },
    dataLayer('set_fact/register', { r: { stdout: HOST_TEXT, rc: 0, stdout_lines: [HOST_TEXT] }, fact: HOST_TEXT }),
  ])
}

describe('data layers', () => {
  test('a registered value holding {{ }} reads back as the text the host sent', () => {
    const s = scope()
    expect(s.get('fact')).toBe(HOST_TEXT)
    expect(s.evaluate('r.stdout')).toBe(HOST_TEXT)
    expect(s.render('{{ r.stdout_lines[0] }}')).toBe(HOST_TEXT)
    expect(s.render('[{{ r.stdout }}]')).toBe(`[${HOST_TEXT}]`)
  })

  test('templates the user wrote still render lazily, and what they make of host data stays text', () => {
    const s = scope()
    expect(s.get('greeting')).toBe('hi you')
    expect(s.get('shout')).toBe(HOST_TEXT.toUpperCase())
    expect(s.get('glued')).toBe(`${HOST_TEXT}!`)
    expect(s.evaluate("[r.stdout, {'k': r.stdout}]")).toEqual([HOST_TEXT, { k: HOST_TEXT }])
  })

  test('filters, tests and comparisons work on host text', () => {
    const s = new VarScope([dataLayer('register', { r: { stdout: 'yes', n: '42', j: '{"a": "{{ x }}"}' } })])
    expect(s.evaluate('r.stdout | bool')).toBe(true)
    expect(s.evaluate('r.n | int + 1')).toBe(43)
    expect(s.evaluate("(r.j | from_json).a == '{{ x }}'")).toBe(true)
    expect(s.evaluate("'{{' in r.j and r.j | length == 16")).toBe(true)
  })

  test('a data value that names a variable is not a loop on itself', () => {
    const s = new VarScope([dataLayer('register', { r: '{{ r }}' })])
    expect(s.get('r')).toBe('{{ r }}')
  })

  test('a template layer still reports a variable that refers to itself', () => {
    expect(() => new VarScope([{ source: 'play vars', vars: { a: '{{ a }}' } }]).get('a')).toThrow(TemplateError)
  })
})

describe('!unsafe in YAML', () => {
  const data = parseYaml(
    'a: !unsafe "{{ x }}"\nb: !unsafe 12\nc: !unsafe ["{{ y }}", 3, {k: "{{ z }}"}]\nd: &base {k: "{{ z }}"}\ne: !unsafe [*base]\nf: *base\nplain: "{{ x }}"\n',
    'vars.yml',
  ) as Record<string, unknown>

  test('scalars become UnsafeText, a tagged collection marks every string, an aliased anchor stays a template where it is used plainly', () => {
    expect(data['a']).toEqual(new UnsafeText('{{ x }}'))
    expect(data['b']).toEqual(new UnsafeText('12'))
    expect(data['c']).toEqual([new UnsafeText('{{ y }}'), 3, { k: new UnsafeText('{{ z }}') }])
    expect(data['e']).toEqual([{ k: new UnsafeText('{{ z }}') }])
    expect(data['f']).toEqual({ k: '{{ z }}' })
    expect(data['plain']).toBe('{{ x }}')
    expect(holdsUnsafe(data['c'])).toBe(true)
    expect(JSON.stringify(data['a'])).toBe('"{{ x }}"')
  })

  test('rendering gives the plain text, never the box, and never templates it', () => {
    const s = new VarScope([{ source: 'play vars', vars: { ...data, x: 'X', y: 'Y', z: 'Z', via: '{{ a }}-{{ c[0] }}' } }])
    expect(s.get('a')).toBe('{{ x }}')
    expect(s.get('plain')).toBe('X')
    expect(s.get('via')).toBe('{{ x }}-{{ y }}')
    expect(s.get('c')).toEqual(['{{ y }}', 3, { k: '{{ z }}' }])
    expect(isUnsafe(s.render(data['a']))).toBe(false)
  })

  test('a module argument written !unsafe passes the load-time check and reaches the module as a string', () => {
    const args = parseYaml('content: !unsafe "{{ x"\ndest: /tmp/x\n', 'tasks.yml') as Record<string, unknown>
    expect(() => validateArgs(copyModule, args, { allowTemplates: true })).not.toThrow()
    const rendered = renderArgs(copyModule, args, new VarScope([]))
    expect(rendered['content']).toBe('{{ x')
    expect(validateArgs(copyModule, rendered, { allowTemplates: false })['content']).toBe('{{ x')
  })
})

describe('expression arguments', () => {
  test("assert's that reaches the module as written; its other arguments are rendered", () => {
    const s = scope()
    const args = renderArgs(assertModule, { that: ["'{{ r.stdout }}' == 'x'"], fail_msg: '{{ r.stdout }}' }, s)
    expect(args['that']).toEqual(["'{{ r.stdout }}' == 'x'"])
    expect(args['fail_msg']).toBe(HOST_TEXT)
  })
})


/**
 * The most a template does with host text that is its whole value: read it as a Python literal,
 * as Ansible's templar does (`"{{ r.stdout }}"` of `[1, 2]` is a list). Never a template.
 */
function readAsAnsible(text: string): unknown {
  if (text === 'True' || text === 'False') return text === 'True'
  if (!text.startsWith('[') && !text.startsWith('{')) return text
  const literal = pyLiteral(text, { jsonNames: true })
  return literal.ok ? literal.value : text
}

describe('fuzz: host text through a scope', () => {
  const PIECES = ['{{', '}}', '{%', '%}', '{#', '#}', '{{-', '-}}', ' 7*7 ', ' secret ', " lookup('env','HOME') ", ' r.stdout ', "'", '"', '\\', '\n', 'é', 'x', ' ', '|', 'upper']
  const CASES = 2000

  test(`${CASES} random template-like values read, copied, filtered and joined stay the text (or the literal it reads as)`, () => {
    const next = prng(0x5eed)
    let checked = 0
    for (let i = 0; i < CASES; i++) {
      let text = ''
      const n = 1 + Math.floor(next() * 12)
      for (let j = 0; j < n; j++) text += PIECES[Math.floor(next() * PIECES.length)]
      const s = new VarScope([
        { source: 'play vars', vars: { secret: 's3cret', copy: '{{ v.text }}', list: ['{{ v.text }}', { k: '{{ v.text ~ v.text }}' }] } },
        dataLayer('register', { v: { text } }),
        dataLayer('set_fact', { kept: text }),
      ])
      const where = `case ${i}: ${JSON.stringify(text)}`
      expect(s.get('kept'), where).toBe(text)
      expect(s.get('copy'), where).toEqual(readAsAnsible(text))
      expect(s.get('list'), where).toEqual([readAsAnsible(text), { k: readAsAnsible(text + text) }])
      expect(s.render('<{{ v.text }}>'), where).toBe(`<${text}>`)
      expect(s.evaluate('v.text | upper'), where).toBe(text.toUpperCase())
      checked++
    }
    expect(checked).toBe(CASES)
  })
})
