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
    expect(JSON.stringify(resultOf(run, 'command').result)).toContain("'retries' must render to a whole number, got 'many'")
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
