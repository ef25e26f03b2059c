/** Keywords written as templates are rendered per host when the task runs, with Ansible's boolean rules. */
import { existsSync, readFileSync } from 'node:fs'
import { join } from 'node:path'
import { describe, expect, it } from 'vitest'
import { failures, resultOf, runExec, statuses } from '../helpers/exec-harness.js'

const HOSTS = '[app]\nh1 ansible_connection=local lenient=yes\nh2 ansible_connection=local lenient=no\n'
const onApp = (tasks: string, head = '') => `- hosts: app\n  gather_facts: false\n${head}  tasks:\n${tasks}`

describe('templated keywords', () => {
  it('ignore_errors: "{{ x }}" ignores the failure on the host where it renders true only', async () => {
    const run = await runExec({
      hosts: HOSTS,
      'site.yml': onApp(`    - name: may fail
      command: /bin/false
      ignore_errors: "{{ lenient }}"
    - copy: { dest: "{{ playbook_dir }}/{{ inventory_hostname }}.after", content: x }
`),
    })
    expect(run.exitCode).toBe(2)
    expect(run.stats['h1']).toMatchObject({ ignored: 1, failed: 0 })
    expect(run.stats['h2']).toMatchObject({ ignored: 0, failed: 1 })
    expect(existsSync(join(run.dir, 'h1.after'))).toBe(true)
    expect(existsSync(join(run.dir, 'h2.after'))).toBe(false)
  })

  it('check_mode, diff, become and no_log take templates, inherited from the play and the block', async () => {
    const run = await runExec(
      {
        'site.yml': `- hosts: h1
  gather_facts: false
  become: "{{ use_become }}"
  vars: { use_become: false, real: true, secret: hunter2 }
  tasks:
    - block:
        - name: written even in check mode
          copy: { dest: "{{ playbook_dir }}/written", content: "{{ secret }}" }
          diff: "{{ not ansible_check_mode }}"
        - name: hidden
          debug: { msg: "{{ secret }}" }
          no_log: "{{ ansible_check_mode }}"
        - name: whoami
          command: id -un
          register: who
      check_mode: "{{ not real }}"
`,
      },
      { check: true, diff: true },
    )
    expect(run.exitCode, JSON.stringify(failures(run))).toBe(0)
    expect(existsSync(join(run.dir, 'written'))).toBe(true)
    // diff: "{{ not ansible_check_mode }}" is false under --check: no diff for the task.
    expect(resultOf(run, 'written even in check mode').diff).toEqual([])
    const shown = run.events.flatMap((e) => (e.kind === 'task:result' && e.task.name === 'hidden' ? [JSON.stringify(e.result)] : []))
    expect(shown.join('')).not.toContain('hunter2')
    expect(resultOf(run, 'whoami').status).toBe('changed')
  })

  it('run_once and any_errors_fatal take templates', async () => {
    const run = await runExec({
      hosts: HOSTS,
      'site.yml': onApp(`    - name: once
      shell: echo {{ inventory_hostname }} >> {{ playbook_dir }}/ran
      run_once: "{{ 'yes' }}"
    - name: fatal on h2
      fail: { msg: stop }
      when: inventory_hostname == 'h2'
      any_errors_fatal: "{{ lenient == 'no' }}"
    - copy: { dest: "{{ playbook_dir }}/{{ inventory_hostname }}.after", content: x }
`),
    })
    expect(statuses(run)[0]).toEqual(['once', { h1: 'changed' }])
    expect(readFileSync(join(run.dir, 'ran'), 'utf8')).toBe('h1\n')
    expect(existsSync(join(run.dir, 'h1.after'))).toBe(false)
    expect(run.exitCode).toBe(2)
  })

  it('a template that renders to no boolean fails the task on that host with Ansible-like words; a literal is refused at load', async () => {
    const run = await runExec({ 'site.yml': onApp('    - command: /bin/false\n      ignore_errors: "{{ \'maybe\' }}"\n') })
    expect(run.exitCode).toBe(2)
    expect(failures(run)[0]).toContain("the field 'ignore_errors' has an invalid value ({{ 'maybe' }}), and could not be converted to a bool")
    await expect(runExec({ 'site.yml': onApp('    - command: /bin/true\n      no_log: maybe\n') })).rejects.toThrow(/site\.yml:5:\d+: 'no_log' must be a boolean/)
    await expect(runExec({ 'site.yml': onApp('    - command: /bin/true\n      become: "{{ oops("\n') })).rejects.toThrow(/site\.yml:5:\d+: bad template in 'become'/)
  })

  it('collections and debugger: never are accepted (they change nothing here); a debugger that would stop the run is refused at load', async () => {
    const run = await runExec({ 'site.yml': onApp('    - debug: { msg: hi }\n      collections: [community.general]\n      debugger: never\n', '  collections: ansible.builtin\n') })
    expect(run.exitCode).toBe(0)
    await expect(runExec({ 'site.yml': onApp('    - debug: { msg: hi }\n      debugger: on_failed\n') })).rejects.toThrow(/site\.yml:5:\d+: 'debugger: on_failed' would start Ansible's interactive task debugger/)
  })
})
