/** include_tasks, import/include_role, vars_files and import_playbook, run by the executor in process. */
import { readFileSync, existsSync } from 'node:fs'
import { join } from 'node:path'
import { describe, expect, it } from 'vitest'
import { failures, runExec, statuses } from '../helpers/exec-harness.js'

const onH1 = (body: string) => `- hosts: h1\n  gather_facts: false\n${body}`

describe('includes and imports', () => {
  it('include_tasks loops with its own variables; import_role and include_role run roles', async () => {
    const run = await runExec({
      'site.yml': `- hosts: h1,h2
  gather_facts: false
  tasks:
    - include_tasks: part.yml
      loop: [a, b]
      loop_control: { loop_var: part }
    - import_role: { name: r }
      vars: { who: imported }
    - include_role: { name: r, tasks_from: other }
      vars: { who: included }
      when: inventory_hostname == 'h1'
`,
      'part.yml': '- copy: { dest: "{{ playbook_dir }}/{{ inventory_hostname }}-{{ part }}", content: "{{ part }}" }\n',
      'roles/r/tasks/main.yml': '- copy: { dest: "{{ playbook_dir }}/{{ inventory_hostname }}-main", content: "{{ who }}" }\n',
      'roles/r/tasks/other.yml': '- copy: { dest: "{{ playbook_dir }}/{{ inventory_hostname }}-other", content: "{{ who }}" }\n',
    })
    const read = (path: string) => readFileSync(join(run.dir, path), 'utf8')
    expect(run.exitCode, JSON.stringify(run.events)).toBe(0)
    expect(read('h1-a') + read('h2-b')).toBe('ab')
    expect(read('h2-main')).toBe('imported')
    expect(read('h1-other')).toBe('included')
    expect(existsSync(join(run.dir, 'h2-other'))).toBe(false)
  })

  it('vars_files, with_items and import_playbook', async () => {
    const run = await runExec({
      'site.yml': '- import_playbook: sub/inner.yml\n',
      'sub/inner.yml': onH1(`  vars_files: [vars.yml]
  tasks:
    - copy: { dest: "{{ playbook_dir }}/{{ item }}", content: "{{ colour }}" }
      with_items: [[x1, x2], x3]
`),
      'sub/vars.yml': 'colour: green\n',
    })
    const read = (path: string) => readFileSync(join(run.dir, path), 'utf8')
    expect(run.exitCode, JSON.stringify(run.events)).toBe(0)
    // playbook_dir is the folder of the playbook given on the command line; vars_files are relative to the play's own file.
    expect(read('x1') + read('x2') + read('x3')).toBe('greengreengreen')
  })

  it('a recursive include_tasks runs until its when: stops it, as in Ansible', async () => {
    const run = await runExec({
      'site.yml': onH1('  vars: { depth: 0 }\n  tasks:\n    - include_tasks: again.yml\n'),
      'again.yml': `- debug: { msg: "level {{ depth }}" }
- set_fact: { depth: "{{ depth | int + 1 }}" }
- include_tasks: again.yml
  when: depth | int < 5
`,
    })
    expect(run.exitCode).toBe(0)
    const messages = run.events.flatMap((e) => (e.kind === 'task:result' && e.task.module === 'debug' ? [e.result['msg']] : []))
    expect(messages).toEqual([0, 1, 2, 3, 4].map((n) => `level ${n}`))
  })

  it('an include_tasks that never stops fails the host at depth 200, naming the file', async () => {
    const run = await runExec({ 'site.yml': onH1('  tasks:\n    - include_tasks: again.yml\n'), 'again.yml': '- include_tasks: again.yml\n' })
    expect(run.exitCode).toBe(2)
    expect(failures(run).join('\n')).toContain(`${join(run.dir, 'again.yml')}:1:3: include_tasks again.yml: includes nested more than 200 deep; a recursive include needs a when: that stops it`)
  })

  it('a dynamically included file naming a module tsplay lacks loads with a warning and fails only on the host that reaches it', async () => {
    const run = await runExec({
      'site.yml': `- hosts: h1,h2
  gather_facts: false
  tasks:
    - include_tasks: other-os.yml
    - include_role: { name: r }
`,
      'other-os.yml': `- name: only on h2
  pacman: { name: vim }
  when: inventory_hostname == 'h2'
- debug: { msg: after }
`,
      'roles/r/tasks/main.yml': "- zypper_repository: { name: x }\n  when: false\n- debug: { msg: role ran }\n",
    })
    const warnings = run.events.flatMap((e) => (e.kind === 'warning' ? [e.message] : []))
    expect(warnings).toEqual([
      `${join(run.dir, 'other-os.yml')}:2:3: unknown module 'pacman', in a dynamically included file: a host that reaches this task fails it`,
      `${join(run.dir, 'roles/r/tasks/main.yml')}:1:3: unknown module 'zypper_repository', in a dynamically included file: a host that reaches this task fails it`,
    ])
    expect(run.exitCode).toBe(2)
    expect(failures(run).join('\n')).toContain(`${join(run.dir, 'other-os.yml')}:2:3: unknown module 'pacman': tsplay has no such module`)
    expect(statuses(run).filter(([name]) => name === 'only on h2')).toEqual([['only on h2', { h1: 'skipped', h2: 'failed' }]])
    const messages = run.events.flatMap((e) => (e.kind === 'task:result' && e.task.module === 'debug' ? [`${e.host}: ${String(e.result['msg'])}`] : []))
    expect(messages).toEqual(['h1: after', 'h1: role ran'])
  })

  it('an import_tasks naming a module tsplay lacks is still refused at load', async () => {
    await expect(runExec({ 'site.yml': onH1('  tasks:\n    - import_tasks: part.yml\n'), 'part.yml': '- pacman: { name: vim }\n' })).rejects.toThrow(/part\.yml:1:3: unknown module 'pacman'\. tsplay has: /)
  })
})
