/** Loops with register, and task selection by tags, run by the executor in process. */
import { existsSync, readFileSync } from 'node:fs'
import { join } from 'node:path'
import { describe, expect, it } from 'vitest'
import { runExec, statuses } from '../helpers/exec-harness.js'

describe('loops and register', () => {
  it('loops with loop_var and index_var, registers every item, and reads the results later', async () => {
    const run = await runExec({
      'site.yml': `- hosts: h1
  gather_facts: false
  tasks:
    - name: files
      copy:
        dest: "{{ playbook_dir }}/{{ f.name }}"
        content: "{{ idx }}:{{ f.body }}"
      loop: [{ name: one, body: a }, { name: two, body: b }]
      loop_control: { loop_var: f, index_var: idx, label: "{{ f.name }}" }
      register: written
    - name: summary
      copy:
        dest: "{{ playbook_dir }}/summary"
        content: "{{ written.results | map(attribute='dest') | map('basename') | join(',') }} changed={{ written is changed }}"
`,
    })
    const read = (path: string) => readFileSync(join(run.dir, path), 'utf8')
    expect(run.exitCode, JSON.stringify(run.events)).toBe(0)
    expect(read('one')).toBe('0:a')
    expect(read('two')).toBe('1:b')
    // Booleans render as Jinja does (True/False), so templates written for Ansible read the same.
    expect(read('summary')).toBe('one,two changed=True')
  })
})

describe('tags', () => {
  it('selects tasks with --tags and --skip-tags, honouring always and never', async () => {
    const files = {
      'site.yml': `- hosts: h1
  gather_facts: false
  tasks:
    - { name: a, copy: { dest: "{{ playbook_dir }}/a", content: a }, tags: [alpha] }
    - { name: b, copy: { dest: "{{ playbook_dir }}/b", content: b }, tags: beta }
    - { name: c, copy: { dest: "{{ playbook_dir }}/c", content: c }, tags: [always] }
    - { name: d, copy: { dest: "{{ playbook_dir }}/d", content: d }, tags: [never, debug] }
    - block:
        - { name: e, copy: { dest: "{{ playbook_dir }}/e", content: e } }
      tags: alpha
`,
    }
    const run = await runExec(files, { tags: ['alpha'] })
    expect(run.exitCode).toBe(0)
    expect(['a', 'b', 'c', 'd', 'e'].filter((f) => existsSync(join(run.dir, f)))).toEqual(['a', 'c', 'e'])
    const skip = await runExec(files, { dir: run.dir, skipTags: ['alpha', 'always'], tags: ['all', 'debug'] })
    expect(statuses(skip).map(([n]) => n)).toEqual(['b', 'd'])
  })

  it('templated tags select with the play vars, as Ansible renders them', async () => {
    const run = await runExec({
      'site.yml': `- hosts: h1
  gather_facts: false
  vars: { the_tags: [tag3] }
  tasks:
    - { name: templated, debug: {}, tags: "{{ the_tags }}" }
    - { name: other, debug: {}, tags: [tag4] }
`,
    }, { tags: ['tag3'] })
    expect(statuses(run).map(([n]) => n)).toEqual(['templated'])
  })
})
