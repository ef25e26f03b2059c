/** How failures end hosts and plays, run by the executor in process on local hosts. */
import { existsSync, readFileSync } from 'node:fs'
import { join } from 'node:path'
import { describe, expect, it } from 'vitest'
import { failures, runExec } from '../helpers/exec-harness.js'

const THREE_HOSTS = '[app]\nh1 ansible_connection=local\nh2 ansible_connection=local\nh3 ansible_connection=local\n'
const play = (body: string, head = '- hosts: app\n  gather_facts: false\n') => head + body

describe('failures', () => {
  it('ignore_errors lets the host go on and counts the failure as ignored', async () => {
    const run = await runExec({
      'site.yml': `- hosts: h1
  gather_facts: false
  tasks:
    - command: /bin/false
      ignore_errors: true
    - copy: { dest: "{{ playbook_dir }}/after", content: ok }
`,
    })
    expect(run.exitCode).toBe(0)
    expect(run.stats['h1']).toMatchObject({ ignored: 1, failed: 0, changed: 2 })
  })

  it('any_errors_fatal stops every host after the failing task', async () => {
    const run = await runExec({
      hosts: THREE_HOSTS,
      'site.yml': play(`  any_errors_fatal: true
  tasks:
    - fail: { msg: boom }
      when: inventory_hostname == 'h2'
    - copy: { dest: "{{ playbook_dir }}/{{ inventory_hostname }}.after", content: x }
`),
    })
    expect(run.exitCode).toBe(2)
    expect(['h1', 'h2', 'h3'].filter((h) => existsSync(join(run.dir, `${h}.after`)))).toEqual([])
  })

  it('max_fail_percentage stops the play when too many hosts fail', async () => {
    const run = await runExec({
      hosts: THREE_HOSTS,
      'site.yml': play(`  max_fail_percentage: 30
  tasks:
    - fail: { msg: boom }
      when: inventory_hostname != 'h3'
    - copy: { dest: "{{ playbook_dir }}/{{ inventory_hostname }}.after", content: x }
`),
    })
    expect(run.exitCode).toBe(2)
    expect(existsSync(join(run.dir, 'h3.after'))).toBe(false)
  })

  it('an undefined variable fails the task with its name, on that host', async () => {
    const run = await runExec({ 'site.yml': '- hosts: h1\n  gather_facts: false\n  tasks:\n    - name: uses it\n      debug: { msg: "{{ nothere.x }}" }\n' })
    expect(run.exitCode).toBe(2)
    expect(failures(run).join('\n')).toMatch(/'nothere(\.x)?' is undefined/)
  })

  it('a template error at run time names the file and line of the task, also in a role', async () => {
    const run = await runExec({
      'site.yml': '- hosts: h1\n  gather_facts: false\n  roles: [web]\n',
      'roles/web/tasks/main.yml': `- name: fine
  debug: { msg: hi }

- name: undefined here
  debug: { msg: "{{ port }}" }
  ignore_errors: true
- name: a bad filter call
  copy: { dest: /tmp/never, content: "{{ 'a' | int(1, 2, 3) }}" }
  ignore_errors: true
- name: a bad loop
  debug: { msg: "{{ item }}" }
  loop: "{{ no_such_list }}"
`,
    })
    expect(run.exitCode).toBe(2)
    const tasks = join(run.dir, 'roles/web/tasks/main.yml')
    // Every failed result, ignored or not (each a `fatal:` line on screen).
    const failed = failures(run, { ignored: true })
    expect(failed).toHaveLength(3)
    expect(failed[0]).toContain(`'port' is undefined in "{{ port }}" (in the task at ${tasks}:4:3)`)
    expect(failed[1]).toContain(`3 given in "{{ 'a' | int(1, 2, 3) }}" (in the task at ${tasks}:7:3)`)
    expect(failed[2]).toContain(`'no_such_list' is undefined in "{{ no_such_list }}" (in the task at ${tasks}:10:3)`)
  })

  it('a template with a syntax error in a task argument fails that task when it runs, as in Ansible, so ignore_errors and rescue catch it', async () => {
    const run = await runExec({
      'site.yml': `- hosts: h1
  gather_facts: false
  tasks:
    - name: never runs
      debug: { msg: "{{ 1 + }}" }
      when: false
    - block:
        - name: bad call
          set_fact: { x: "{{ lookup('csvfile', 'k', file='a.csv', delimiter=',' col=1) }}" }
      rescue:
        - copy: { dest: "{{ playbook_dir }}/rescued", content: "{{ ansible_failed_result.msg }}" }
`,
    })
    expect(run.exitCode, JSON.stringify(run.events)).toBe(0)
    expect(run.stats['h1']).toMatchObject({ skipped: 1, rescued: 1, failed: 0 })
    expect(readFileSync(join(run.dir, 'rescued'), 'utf8')).toMatch(/^syntax error at column 55 in ".*": expected '\)', found 'col' \(in the task at .*site\.yml:8:11\)$/)
  })
})
