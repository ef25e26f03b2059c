/** block/rescue/always, run by the executor in process on local hosts. */
import { existsSync, readFileSync } from 'node:fs'
import { join } from 'node:path'
import { describe, expect, it } from 'vitest'
import { runExec } from '../helpers/exec-harness.js'

describe('blocks', () => {
  it('runs rescue on failure and always in every case, and counts the host as rescued', async () => {
    const run = await runExec({
      'site.yml': `- hosts: app
  gather_facts: false
  tasks:
    - block:
        - name: fails on h1 only
          command: /bin/false
          when: inventory_hostname == 'h1'
        - name: after failure
          copy: { dest: "{{ playbook_dir }}/{{ inventory_hostname }}.block", content: "block" }
      rescue:
        - name: rescue
          copy: { dest: "{{ playbook_dir }}/{{ inventory_hostname }}.rescue", content: "{{ ansible_failed_task.name }}" }
      always:
        - name: always
          copy: { dest: "{{ playbook_dir }}/{{ inventory_hostname }}.always", content: "always" }
`,
    })
    const read = (path: string) => readFileSync(join(run.dir, path), 'utf8')
    expect(run.exitCode, JSON.stringify(run.events)).toBe(0)
    expect(existsSync(join(run.dir, 'h1.block'))).toBe(false)
    expect(read('h1.rescue')).toBe('fails on h1 only')
    expect(read('h1.always')).toBe('always')
    expect(read('h2.block')).toBe('block')
    expect(existsSync(join(run.dir, 'h2.rescue'))).toBe(false)
    expect(read('h2.always')).toBe('always')
    expect(run.stats['h1']).toMatchObject({ failed: 0, rescued: 1 })
  })
})

describe('blocks as Ansible 2.14 runs them', () => {
  it('meta clear_host_errors in an always ends the failure: the host goes on after the block', async () => {
    const run = await runExec({
      'site.yml': `- hosts: h1
  gather_facts: false
  tasks:
    - block:
        - fail: {}
      rescue:
        - fail: {}
      always:
        - meta: clear_host_errors
    - name: after
      debug: { msg: goes on }
`,
    })
    expect(run.exitCode).toBe(2)
    expect(run.stats['h1']).toMatchObject({ failed: 1, rescued: 1, ok: 1 })
    expect(run.events.some((e) => e.kind === 'task:result' && e.task.name === 'after' && e.status === 'ok')).toBe(true)
  })

  it('vars given as a list of mappings merge in order, on a play and on a block', async () => {
    const run = await runExec({
      'site.yml': `- hosts: h1
  gather_facts: false
  vars:
    - { a: 1, b: 1 }
    - { b: 2 }
  tasks:
    - block:
        - assert: { that: ["a == 1", "b == 2", "c == 3"] }
      vars:
        - { c: 3 }
`,
    })
    expect(run.exitCode, JSON.stringify(run.events)).toBe(0)
  })
})
