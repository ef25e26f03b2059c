/** Task keywords (until/retries, changed_when, failed_when, check_mode, environment, delegate_to), in process. */
import { existsSync, readFileSync } from 'node:fs'
import { join } from 'node:path'
import { describe, expect, it } from 'vitest'
import { resultOf, runExec, statuses } from '../helpers/exec-harness.js'

const onH1 = (tasks: string) => `- hosts: h1\n  gather_facts: false\n  tasks:\n${tasks}`

describe('task keywords', () => {
  it('retries until a condition holds, with delay', async () => {
    const run = await runExec({
      'site.yml': onH1(`    - shell: echo x >> {{ playbook_dir }}/tries; wc -l < {{ playbook_dir }}/tries
      register: r
      until: r.stdout | int >= 3
      retries: 5
      delay: 0
`),
    })
    expect(run.exitCode).toBe(0)
    expect(resultOf(run, 'shell').result['attempts']).toBe(3)
  })

  it('takes retries and delay as templates, rendered when the task runs; one that is no number fails the task', async () => {
    const run = await runExec({
      'site.yml': onH1(`    - shell: echo x >> {{ playbook_dir }}/tries; wc -l < {{ playbook_dir }}/tries
      register: r
      until: r.stdout | int >= 4
      retries: "{{ (timeout | int / 3) | int }}"
      delay: "{{ 0 }}"
      vars: { timeout: 9 }
    - command: /bin/true
      register: r2
      until: false
      retries: "{{ 'many' }}"
`),
    })
    expect(resultOf(run, 'shell').result['attempts']).toBe(4)
    expect(run.exitCode).toBe(2)
    expect(JSON.stringify(resultOf(run, 'command').result)).toContain("the field 'retries' has an invalid value ({{ 'many' }}): it must render to a whole number, got 'many'")
  })

  it('changed_when, failed_when, check_mode: false, environment and delegate_to work as in Ansible', async () => {
    const files = {
      'site.yml': onH1(`    - command: echo "{{ '$' }}GREETING"
      environment: { GREETING: hello }
      register: env
      changed_when: false
      check_mode: false
    - command: /bin/false
      failed_when: false
      register: rc
      check_mode: false
    - copy: { dest: "{{ playbook_dir }}/always-written", content: "{{ env.stdout }} {{ rc.rc }}" }
      check_mode: false
    - copy: { dest: "{{ playbook_dir }}/delegated-{{ inventory_hostname }}", content: x }
      delegate_to: localhost
`),
    }
    const run = await runExec(files, { check: true })
    expect(run.exitCode, JSON.stringify(run.events)).toBe(0)
    // A command that only reads runs in check mode too with check_mode: false, as in Ansible.
    expect(statuses(run).map(([, s]) => s['h1'])).toEqual(['ok', 'changed', 'changed', 'changed'])
    const real = await runExec(files, { dir: run.dir })
    // The check run already wrote the check_mode: false file.
    expect(statuses(real).map(([, s]) => s['h1'])).toEqual(['ok', 'changed', 'ok', 'changed'])
    expect(readFileSync(join(run.dir, 'always-written'), 'utf8')).toBe('hello 1')
    expect(existsSync(join(run.dir, 'delegated-h1'))).toBe(true)
  })
})

describe('magic variables from the command line and the play', () => {
  it('give tags, forks, limit, inventory sources and role names as ansible-playbook 2.14 does', async () => {
    const debug = (v: string) => `    - debug: { var: ${v} }\n`
    const vars = ['ansible_run_tags', 'ansible_skip_tags', 'ansible_forks', 'ansible_limit', 'ansible_config_file', 'role_names', 'ansible_play_role_names', 'ansible_dependent_role_names', 'ansible_role_names', 'ansible_search_path']
    const run = await runExec(
      {
        'site.yml': `- hosts: h1\n  gather_facts: false\n  roles: [r1]\n  tasks:\n${vars.map(debug).join('')}`,
        'roles/r1/meta/main.yml': 'dependencies: [r2]\n',
        'roles/r1/tasks/main.yml': '- debug: { msg: r1 }\n',
        'roles/r2/tasks/main.yml': '- debug: { var: ansible_search_path }\n',
      },
      { tags: ['x', 'all'], skipTags: ['z'], forks: 7, limit: 'h1' },
    )
    const shown = run.events.flatMap((e) => (e.kind === 'task:result' && e.task.module === 'debug' ? [e.result] : []))
    const value = (v: string, index = 0): unknown => shown.filter((r) => v in r)[index]?.[v]
    expect(value('ansible_run_tags')).toEqual(['x', 'all'])
    expect(value('ansible_skip_tags')).toEqual(['z'])
    expect(value('ansible_forks')).toBe(7)
    expect(value('ansible_limit')).toBe('h1')
    expect(value('ansible_config_file')).toBeNull()
    expect(value('role_names')).toEqual(['r1'])
    expect(value('ansible_play_role_names')).toEqual(['r1'])
    expect(value('ansible_dependent_role_names')).toEqual(['r2'])
    expect(value('ansible_role_names')).toEqual(['r2', 'r1'])
    // In the dependency: its role, the role that needs it, its tasks folder, the playbook's folder.
    expect(value('ansible_search_path', 0)).toEqual([join(run.dir, 'roles/r2'), join(run.dir, 'roles/r1'), join(run.dir, 'roles/r2/tasks'), run.dir])
    expect(value('ansible_search_path', 1)).toEqual([run.dir])
  })

  it("say ['all'] and [] when no tags are asked for", async () => {
    const run = await runExec({ 'site.yml': onH1('    - debug: { var: ansible_run_tags }\n    - debug: { var: ansible_skip_tags }\n') })
    expect(resultOf(run, 'debug').result['ansible_run_tags']).toEqual(['all'])
    const skip = run.events.flatMap((e) => (e.kind === 'task:result' ? [e.result] : [])).find((r) => 'ansible_skip_tags' in r)
    expect(skip?.['ansible_skip_tags']).toEqual([])
  })
})

describe('until', () => {
  it('says each retry, and registers attempts as Ansible does when the condition is never met', async () => {
    const run = await runExec({
      'site.yml': onH1(`    - name: try it
      command: /bin/true
      register: r
      until: false
      retries: 2
      delay: 0
      ignore_errors: true
`),
    })
    // Level 0: shown without -v, as Ansible shows them.
    const retries = run.events.flatMap((e) => (e.kind === 'log' && e.message.startsWith('FAILED') ? [[e.level, e.message]] : []))
    expect(retries).toEqual([[0, 'FAILED - RETRYING: [h1]: try it (2 retries left).'], [0, 'FAILED - RETRYING: [h1]: try it (1 retries left).']])
    expect(resultOf(run, 'try it').result['attempts']).toBe(2)
  })
})

describe('--force-handlers', () => {
  it('runs the handlers a failed host was notified of, as the play keyword does', async () => {
    const files = {
      'site.yml': `- hosts: h1\n  gather_facts: false\n  tasks:\n    - command: /bin/true\n      notify: h\n    - fail: { msg: boom }\n  handlers:\n    - name: h\n      debug: { msg: handler_ran }\n`,
    }
    const ran = (run: Awaited<ReturnType<typeof runExec>>): boolean => run.events.some((e) => e.kind === 'task:result' && e.result['msg'] === 'handler_ran')
    expect(ran(await runExec(files, { forceHandlers: true }))).toBe(true)
    expect(ran(await runExec(files))).toBe(false)
  })
})
