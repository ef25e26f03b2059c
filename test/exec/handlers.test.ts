/** Handlers, run by the executor in process (test/helpers/exec-harness.ts) on local hosts. */
import { existsSync, readFileSync } from 'node:fs'
import { join } from 'node:path'
import { describe, expect, it } from 'vitest'
import { runExec, taskNames, totalChanged } from '../helpers/exec-harness.js'

describe('handlers', () => {
  it('runs a handler notified twice once, after the tasks, and not when nothing changed', async () => {
    const files = {
      'site.yml': `- hosts: h1
  gather_facts: false
  tasks:
    - copy: { dest: "{{ playbook_dir }}/a.txt", content: "a" }
      notify: count
    - copy: { dest: "{{ playbook_dir }}/b.txt", content: "b" }
      notify: [count]
    - name: last task
      copy: { dest: "{{ playbook_dir }}/c.txt", content: "c" }
  handlers:
    - name: count
      shell: echo ran >> "{{ playbook_dir }}/handler.log"
`,
    }
    const first = await runExec(files)
    const read = (path: string) => readFileSync(join(first.dir, path), 'utf8')
    expect(first.exitCode, JSON.stringify(first.events)).toBe(0)
    expect(read('handler.log')).toBe('ran\n')
    expect(taskNames(first)).toEqual(['copy', 'copy', 'last task', 'count'])
    const second = await runExec(files, { dir: first.dir })
    expect(totalChanged(second)).toBe(0)
    expect(read('handler.log')).toBe('ran\n')
  })

  it('handlers: listen topics, flush_handlers mid-play, and meta: end_host', async () => {
    const run = await runExec({
      'site.yml': `- hosts: h1,h2
  gather_facts: false
  tasks:
    - copy: { dest: "{{ playbook_dir }}/{{ inventory_hostname }}.conf", content: x }
      notify: web changed
    - meta: flush_handlers
    - copy: { dest: "{{ playbook_dir }}/{{ inventory_hostname }}.after-flush", content: "{{ lookup('file', playbook_dir ~ '/' ~ inventory_hostname ~ '.handled') }}" }
    - meta: end_host
      when: inventory_hostname == 'h1'
    - copy: { dest: "{{ playbook_dir }}/{{ inventory_hostname }}.end", content: x }
  handlers:
    - name: restart web
      copy: { dest: "{{ playbook_dir }}/{{ inventory_hostname }}.handled", content: handled }
      listen: web changed
`,
    })
    expect(run.exitCode, JSON.stringify(run.events)).toBe(0)
    expect(readFileSync(join(run.dir, 'h1.after-flush'), 'utf8')).toBe('handled')
    expect(existsSync(join(run.dir, 'h1.end'))).toBe(false)
    expect(existsSync(join(run.dir, 'h2.end'))).toBe(true)
  })
})
