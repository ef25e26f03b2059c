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
