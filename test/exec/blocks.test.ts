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

  it('gives ansible_failed_task the failed task own name: rendered, without the role prefix, empty when unnamed', async () => {
    const run = await runExec({
      'site.yml': `- hosts: h1
  gather_facts: false
  vars: { what: disk }
  roles: [r]
`,
      'roles/r/tasks/main.yml': `- block:
    - name: "check {{ what }}"
      fail: { msg: boom }
  rescue:
    - copy: { dest: "{{ playbook_dir }}/named", content: "[{{ ansible_failed_task.name }}]" }
- block:
    - fail: { msg: boom }
  rescue:
    - copy: { dest: "{{ playbook_dir }}/unnamed", content: "[{{ ansible_failed_task.name }}]" }
`,
    })
    expect(run.exitCode, JSON.stringify(run.events)).toBe(0)
    expect(readFileSync(join(run.dir, 'named'), 'utf8')).toBe('[check disk]')
    expect(readFileSync(join(run.dir, 'unnamed'), 'utf8')).toBe('[]')
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
    // The recap still counts the failure; the exit code does not (Ansible's iterator no longer has the host failed).
    expect(run.exitCode).toBe(0)
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

  it("a rescue sees ansible_failed_task as Ansible serializes it: the task's own name and action, no role prefix, no parent", async () => {
    const run = await runExec({
      'site.yml': `- hosts: h1
  gather_facts: false
  tasks:
    - block:
        - include_role: { name: r }
      rescue:
        - assert: { that: ["ansible_failed_task.name == 'Fail'", "ansible_failed_task.action == 'fail'", "ansible_failed_task.parent is not defined", "ansible_failed_result.msg == 'boom'"] }
`,
      'roles/r/tasks/main.yml': '- name: Fail\n  fail: { msg: boom }\n',
    })
    expect(run.exitCode, JSON.stringify(run.events)).toBe(0)
  })

  it('a host that failed is out of ansible_play_batch and ansible_play_hosts for the hosts that go on', async () => {
    const run = await runExec({
      'site.yml': `- hosts: app
  gather_facts: false
  tasks:
    - fail: {}
      when: inventory_hostname == 'h1'
    - assert: { that: ["ansible_play_batch == ['h2']", "ansible_play_hosts == ['h2']"] }
`,
    })
    expect(run.stats['h2']).toMatchObject({ ok: 1, failed: 0 })
  })
})
