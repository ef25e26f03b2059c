/** lookup('template') / query('template'): compared with what Ansible 2.14 renders for the same files. */
import { join } from 'node:path'
import { describe, expect, test } from 'vitest'
import { MISSING, renderString, type Scope } from '../../engine/expr/index.js'

const playbookDir = join(import.meta.dirname, '../fixtures/jinja/lookup')
const vars: Record<string, unknown> = { users: ['ann', 'bob'], greeting: 'hi', who: 'me', playbook_dir: playbookDir }
const scope: Scope = { lookup: (name) => (Object.hasOwn(vars, name) ? vars[name] : MISSING) }

describe("lookup('template')", () => {
  test('renders a file from the playbook templates/ dir, trailing newline kept', () => {
    expect(renderString("{{ lookup('template', 'users.j2') }}", scope)).toBe('ann=hi\nbob=hi\n')
  })
  test('query returns one rendered text per term', () => {
    expect(renderString("{{ query('template', 'users.j2', 'users.j2') }}", scope)).toEqual(['ann=hi\nbob=hi\n', 'ann=hi\nbob=hi\n'])
  })
  test('template_vars win over task vars; delimiters can change', () => {
    const text = "{{ lookup('template', 'delims.j2', variable_start_string='[[', variable_end_string=']]', template_vars={'who': 'you'}) }}"
    expect(renderString(text, scope)).toBe('you {{ x }}\n')
  })
  test('a missing file fails with Ansible message', () => {
    expect(() => renderString("{{ lookup('template', 'nope.j2') }}", scope)).toThrow('the template file nope.j2 could not be found for the lookup')
  })
  test('convert_data: output that is a list, dict or boolean literal becomes one; a file without template markers stays text', () => {
    expect(renderString("{{ lookup('template', 'dict.j2') }}", scope)).toEqual({ foo: 'hi', n: null, t: true })
    expect(renderString("{{ lookup('template', 'list.j2') }}", scope)).toEqual([1, 2])
    expect(renderString("{{ lookup('template', 'ini.j2') }}", scope)).toBe('[s]\nk=me\n')
    expect(renderString("{{ lookup('template', 'plain-true.j2') }}", scope)).toBe('True\n')
    expect(renderString("{{ lookup('template', 'dict.j2', convert_data=False) }}", scope)).toBe('{"foo": "hi", "n": null,\n "t": true}\n')
  })
})
