/** include_vars and vars_files that wait for facts, run by the executor in process. */
import { describe, expect, it } from 'vitest'
import { resultOf, runExec } from '../helpers/exec-harness.js'

const onH1 = (tasks: string, play = '') => `- hosts: h1\n  gather_facts: false\n${play}  tasks:\n${tasks}`

describe('include_vars', () => {
  it('reads a file from vars/, renders its templates when read, and never renders !unsafe text', async () => {
    const run = await runExec({
      'site.yml': onH1(`    - include_vars: a.yml
      register: got
    - name: show
      debug: { msg: "{{ greeting }} {{ raw }}" }
    - name: files
      debug: { var: got.ansible_included_var_files }
`, '  vars: { who: world }\n'),
      'vars/a.yml': 'greeting: "hello {{ who }}"\nraw: !unsafe "{{ not_templated }}"\n',
    })
    expect(run.exitCode, JSON.stringify(run.events)).toBe(0)
    expect(resultOf(run, 'show').result['msg']).toBe('hello world {{ not_templated }}')
    expect(resultOf(run, 'files').result['got.ansible_included_var_files']).toEqual([`${run.dir}/vars/a.yml`])
  })

  it('reads a folder in sorted order, with depth, files_matching, ignore_unknown_extensions and name', async () => {
    const run = await runExec({
      'site.yml': onH1(`    - include_vars: { dir: d, ignore_unknown_extensions: true }
      register: all
    - include_vars: { dir: d, depth: 1, files_matching: '^1', name: nested }
    - name: show
      debug: { msg: "{{ shared }} {{ d3 }} {{ nested }}" }
    - name: files
      debug: { msg: "{{ all.ansible_included_var_files | map('basename') | list }}" }
`),
      'vars/d/1.yml': 'd1: one\nshared: from1\n',
      'vars/d/2.json': '{"shared": "from2"}',
      'vars/d/notes.txt': 'not vars\n',
      'vars/d/sub/3.yml': 'd3: three\n',
    })
    expect(run.exitCode, JSON.stringify(run.events)).toBe(0)
    expect(resultOf(run, 'show').result['msg']).toBe("from2 three {'d1': 'one', 'shared': 'from1'}")
    expect(resultOf(run, 'files').result['msg']).toEqual(['1.yml', '2.json', '3.yml'])
  })

  it('sits below set_fact and above play and task vars; a role task finds the role\'s vars/ file', async () => {
    const run = await runExec({
      'site.yml': onH1(`    - set_fact: { a: from_set_fact }
    - include_role: { name: r }
    - name: after
      debug: { msg: "{{ a }} {{ b }}" }
      vars: { b: from_task_vars }
`, '  vars: { a: play, b: play }\n'),
      'roles/r/tasks/main.yml': '- include_vars: own.yml\n',
      'roles/r/vars/own.yml': 'a: from_file\nb: from_file\n',
    })
    expect(run.exitCode, JSON.stringify(run.events)).toBe(0)
    expect(resultOf(run, 'after').result['msg']).toBe('from_set_fact from_file')
  })

  it('fails the task on a file of another extension in a folder, or a YAML error naming file:line:col', async () => {
    const run = await runExec({
      'site.yml': onH1(`    - include_vars: { dir: d }
      ignore_errors: true
      register: ext
    - include_vars: bad.yml
      ignore_errors: true
      register: bad
    - name: show
      debug: { msg: "{{ ext.message }}|{{ bad.message }}" }
`),
      'vars/d/notes.txt': 'x\n',
      'vars/bad.yml': 'a: 1\nb: [\n',
    })
    const msg = String(resultOf(run, 'show').result['msg'])
    expect(msg).toContain(`${run.dir}/vars/d/notes.txt does not have a valid extension: yaml, yml, json|`)
    expect(msg).toMatch(new RegExp(`\\|${run.dir}/vars/bad.yml:\\d+:\\d+: YAML syntax error`))
  })
})

describe('vars_files', () => {
  it('a name that needs a fact is read after the facts are gathered', async () => {
    const run = await runExec({
      'site.yml': `- hosts: h1
  vars_files: ['{{ ansible_system }}.yml', static.yml]
  tasks:
    - name: show
      debug: { msg: "{{ system_var }} {{ static_var }}" }
`,
      'Linux.yml': 'system_var: linux\n',
      'static.yml': 'static_var: static\n',
    })
    expect(run.exitCode, JSON.stringify(run.events)).toBe(0)
    expect(resultOf(run, 'show').result['msg']).toBe('linux static')
  })
})

describe('include_vars in a loop', () => {
  it('takes the variables of each item, as with_first_found gives one path', async () => {
    const run = await runExec({
      'site.yml': onH1(`    - include_vars: "{{ item }}"
      loop: ["{{ playbook_dir }}/vars/first.yml", second.yml]
    - name: show
      debug: { msg: "{{ one }} {{ two }}" }
`),
      'vars/first.yml': 'one: 1\n',
      'vars/second.yml': 'two: 2\n',
    })
    expect(run.exitCode, JSON.stringify(run.events)).toBe(0)
    expect(resultOf(run, 'show').result['msg']).toBe('1 2')
  })
})
