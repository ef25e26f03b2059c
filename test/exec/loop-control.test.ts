/** loop_control: the variables each pass of a task or include loop sets, as ansible-playbook 2.14's _run_loop. */
import { readFileSync } from 'node:fs'
import { join } from 'node:path'
import { describe, expect, it } from 'vitest'
import { itemLoopVars } from '../../engine/exec/loop.js'
import { runExec } from '../helpers/exec-harness.js'

describe('loop_control', () => {
  it('extended gives ansible_loop, without previtem on the first pass and nextitem on the last; extended_allitems: false drops allitems', () => {
    const items = ['a', 'b', 'c']
    expect(itemLoopVars({ loopVar: 'x', indexVar: 'i', extended: true }, items, 0)).toEqual({
      x: 'a', ansible_loop_var: 'x', i: 0, ansible_index_var: 'i',
      ansible_loop: { index: 1, index0: 0, first: true, last: false, length: 3, revindex: 3, revindex0: 2, allitems: items, nextitem: 'b' },
    })
    expect(itemLoopVars({ loopVar: 'item', extended: true, extendedAllitems: false }, items, 2)).toEqual({
      item: 'c', ansible_loop_var: 'item',
      ansible_loop: { index: 3, index0: 2, first: false, last: true, length: 3, revindex: 1, revindex0: 0, previtem: 'b' },
    })
    expect(itemLoopVars(undefined, items, 1)).toEqual({ item: 'b', ansible_loop_var: 'item' })
  })

  it('an include loop hands ansible_loop to the included tasks, and a result carries the pass variables', async () => {
    const run = await runExec({
      'site.yml': `- hosts: h1
  gather_facts: false
  tasks:
    - include_tasks: inner.yml
      loop: [first, second]
      loop_control: { extended: true }
    - debug: { msg: "{{ item }}" }
      loop: [p, q]
      loop_control: { extended: true, extended_allitems: false, index_var: idx }
      register: r
    - copy: { dest: "{{ playbook_dir }}/result", content: "{{ r.results | map(attribute='ansible_loop') | list | to_json }}|{{ r.results[1].ansible_index_var }}" }
`,
      'inner.yml': `- copy: { dest: "{{ playbook_dir }}/{{ item }}", content: "{{ ansible_loop.index }}/{{ ansible_loop.allitems | join(',') }}" }
`,
    })
    expect(run.exitCode, JSON.stringify(run.events)).toBe(0)
    const read = (f: string): string => readFileSync(join(run.dir, f), 'utf8')
    expect([read('first'), read('second')]).toEqual(['1/first,second', '2/first,second'])
    const [loops, indexVar] = read('result').split('|')
    expect(JSON.parse(loops ?? '')).toEqual([
      { index: 1, index0: 0, first: true, last: false, length: 2, revindex: 2, revindex0: 1, nextitem: 'q' },
      { index: 2, index0: 1, first: false, last: true, length: 2, revindex: 1, revindex0: 0, previtem: 'p' },
    ])
    expect(indexVar).toBe('idx')
  })

  it('a templated loop_var and index_var are rendered when the task runs; one that renders to no name fails that task', async () => {
    const run = await runExec({
      'site.yml': `- hosts: h1
  gather_facts: false
  vars: { var_name: fruit, idx_name: n }
  tasks:
    - include_tasks: inner.yml
      loop: [apple]
      loop_control: { loop_var: "{{ var_name }}" }
    - copy: { dest: "{{ playbook_dir }}/{{ fruit }}-{{ n }}", content: x }
      loop: [pear]
      loop_control: { loop_var: "{{ var_name }}", index_var: "{{ idx_name }}" }
    - debug: { msg: "{{ item }}" }
      loop: [1]
      loop_control: { loop_var: "{{ 'not a name' }}" }
      ignore_errors: true
      register: bad
    - copy: { dest: "{{ playbook_dir }}/bad", content: "{{ bad.msg }}" }
`,
      'inner.yml': `- copy: { dest: "{{ playbook_dir }}/{{ fruit }}", content: x }
`,
    })
    expect(run.exitCode, JSON.stringify(run.events)).toBe(0)
    const read = (f: string): string => readFileSync(join(run.dir, f), 'utf8')
    expect([read('apple'), read('pear-0')]).toEqual(['x', 'x'])
    expect(read('bad')).toContain("loop_control's loop_var must render to a variable name, got 'not a name'")
  })
})

describe('a loop over something undefined', () => {
  it("is skipped when the task's when: is false, and fails when it is true or cannot be evaluated", async () => {
    const run = await runExec({
      'site.yml': `- hosts: h1
  gather_facts: false
  tasks:
    - debug:
      with_items: ['{{ baz }}']
      when: false
    - debug:
      loop: "{{ nope }}"
      when: nope2
      ignore_errors: true
    - debug:
      loop: "{{ nope }}"
      ignore_errors: true
`,
    })
    expect(run.exitCode, JSON.stringify(run.events)).toBe(0)
    const results = run.events.flatMap((e) => (e.kind === 'task:result' ? [[e.status, e.msg ?? '']] : []))
    expect(results.map(([status]) => status)).toEqual(['skipped', 'failed', 'failed'])
    expect(results[1]?.[1]).toMatch(/^'nope' is undefined/)
  })
})
