/** Handlers, run by the executor in process (test/helpers/exec-harness.ts) on local hosts. */
import { existsSync, readFileSync } from 'node:fs'
import { join } from 'node:path'
import { describe, expect, it } from 'vitest'
import type { RunEvent } from '../../engine/events.js'
import { runExec, taskNames, totalChanged, type ExecRun } from '../helpers/exec-harness.js'

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

/** Warnings and -vv log lines a run emitted. */
const warnings = (run: { events: RunEvent[] }) => run.events.flatMap((e) => (e.kind === 'warning' ? [e.message] : []))
const logs = (run: { events: RunEvent[] }) => run.events.flatMap((e) => (e.kind === 'log' ? [e.message] : []))

describe('handlers as Ansible 2.14 finds and runs them', () => {
  it('a notify naming no handler stops the run when it fires (after the tasks before it), or warns with error_on_missing_handler off', async () => {
    const files = {
      'site.yml': `- hosts: h1
  gather_facts: false
  tasks:
    - name: before
      debug: { msg: x }
    - name: quiet
      command: /bin/true
      changed_when: false
      notify: nosuch
    - name: loud
      command: /bin/true
      notify: nosuch
`,
    }
    await expect(runExec(files)).rejects.toThrow("The requested handler 'nosuch' was not found in either the main handlers list nor in the listening handlers list")
    const warned = await runExec(files, { errorOnMissingHandler: false })
    expect(warned.exitCode).toBe(0)
    expect(warnings(warned)).toContain("The requested handler 'nosuch' was not found in either the main handlers list nor in the listening handlers list")
  })

  it('handler names render with play vars; one that cannot is skipped with a warning, and the last handler block wins a name', async () => {
    const run = await runExec({
      'site.yml': `- hosts: h1
  gather_facts: false
  vars: { which: two }
  handlers:
    - name: "handler {{ not_defined_here }}"
      set_fact: { ran_undefined: true }
    - name: "handler {{ which }}"
      set_fact: { ran_two: true }
    - name: dup
      set_fact: { dup: first }
    - block:
        - name: dup
          set_fact: { dup: second }
  tasks:
    - command: /bin/true
      notify: [handler two, dup]
    - meta: flush_handlers
    - assert: { that: [ran_two, "ran_undefined is undefined", "dup == 'second'"] }
`,
    })
    expect(run.exitCode, JSON.stringify(run.events)).toBe(0)
    expect(warnings(run).some((w) => w.startsWith("Handler 'handler {{ not_defined_here }}' is unusable because it has no listen topics"))).toBe(true)
  })

  it('import_tasks and include_tasks among handlers, a handler notifying a later one, and handlers run whatever --tags says', async () => {
    const run = await runExec({
      'site.yml': `- hosts: h1
  gather_facts: false
  handlers:
    - import_tasks: imported.yml
    - name: includer
      include_tasks: included.yml
    - name: last
      set_fact: { last_ran: true }
  tasks:
    - command: /bin/true
      notify: from import
      tags: [t]
    - meta: flush_handlers
      tags: [t]
    - assert: { that: [imported_ran, included_ran, last_ran] }
      tags: [t]
`,
      'imported.yml': '- name: from import\n  set_fact: { imported_ran: true }\n  changed_when: true\n  notify: includer\n',
      'included.yml': '- set_fact: { included_ran: true }\n  changed_when: true\n  notify: last\n',
    }, { tags: ['t'] })
    expect(run.exitCode, JSON.stringify(run.events)).toBe(0)
    expect(taskNames(run).filter((n) => n !== 'meta' && n !== 'assert')).toEqual(['command', 'from import', 'includer', 'set_fact', 'last'])
    expect(logs(run)).toContain('META: triggered running handlers for h1')
    expect(logs(run)).toContain('NOTIFIED HANDLER from import for h1')
  })

  it("an include_role's handlers can be notified once it has run", async () => {
    const run = await runExec({
      'site.yml': `- hosts: h1
  gather_facts: false
  handlers:
    - name: h
      set_fact: { play_handler: true }
  tasks:
    - command: /bin/true
      notify: h
    - meta: flush_handlers
    - include_role: { name: r }
    - assert: { that: [play_handler, "role_handler is undefined"] }
    - command: /bin/true
      notify: h
    - meta: flush_handlers
    - assert: { that: [role_handler] }
`,
      'roles/r/tasks/main.yml': '- debug: { msg: in role }\n',
      'roles/r/handlers/main.yml': '- name: h\n  set_fact: { role_handler: true }\n',
    })
    expect(run.exitCode, JSON.stringify(run.events)).toBe(0)
  })

  it('force_handlers: a host failing in roles runs its handlers after roles and tasks; the play keyword beats --force-handlers', async () => {
    const play = (force: string) => `- hosts: h1,h2
  gather_facts: false
  ${force}
  roles: [r]
`
    const files = {
      'roles/r/tasks/main.yml': '- command: /bin/true\n  notify: h\n- fail: {}\n  when: inventory_hostname == "h1"\n',
      'roles/r/handlers/main.yml': '- name: h\n  debug: { msg: handled }\n',
    }
    const ranOn = (run: ExecRun) => run.events.flatMap((e) => (e.kind === 'task:result' && e.task.handler ? [e.host] : [])).sort()
    expect(ranOn(await runExec({ ...files, 'site.yml': play('') }))).toEqual(['h2'])
    expect(ranOn(await runExec({ ...files, 'site.yml': play('') }, { forceHandlers: true }))).toEqual(['h1', 'h2'])
    expect(ranOn(await runExec({ ...files, 'site.yml': play('force_handlers: true') }))).toEqual(['h1', 'h2'])
    expect(ranOn(await runExec({ ...files, 'site.yml': play('force_handlers: false') }, { forceHandlers: true }))).toEqual(['h2'])
  })

  it('meta flush_handlers as a handler stops the run in Ansible\'s words', async () => {
    const run = runExec({ 'site.yml': '- hosts: h1\n  gather_facts: false\n  handlers:\n    - name: h\n      meta: flush_handlers\n  tasks:\n    - command: /bin/true\n      notify: h\n' })
    await expect(run).rejects.toThrow('flush_handlers cannot be used as a handler')
  })
})
