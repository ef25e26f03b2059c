/** Handlers, run by the executor in process (test/helpers/exec-harness.ts) on local hosts. */
import { readFileSync } from 'node:fs'
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
})
