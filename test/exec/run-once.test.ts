/** run_once, run by the executor in process on local hosts (and by ansible-playbook, to compare). */
import { execFileSync } from 'node:child_process'
import { mkdtempSync, readFileSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { describe, expect, it } from 'vitest'
import { writeTree } from '../helpers/cli.js'
import { runExec } from '../helpers/exec-harness.js'

const THREE_HOSTS = '[app]\nh1 ansible_connection=local\nh2 ansible_connection=local\nh3 ansible_connection=local\n'

describe('run_once', () => {
  it('runs a run_once task on the first host only and gives its result to all', async () => {
    const run = await runExec({
      'site.yml': `- hosts: app
  gather_facts: false
  tasks:
    - name: once
      shell: echo "{{ inventory_hostname }}" >> "{{ playbook_dir }}/once.log"; echo token-1
      run_once: true
      register: once
    - name: everyone sees it
      copy: { dest: "{{ playbook_dir }}/{{ inventory_hostname }}.token", content: "{{ once.stdout }}" }
`,
    })
    const read = (path: string) => readFileSync(join(run.dir, path), 'utf8')
    expect(run.exitCode, JSON.stringify(run.events)).toBe(0)
    expect(read('once.log')).toBe('h1\n')
    expect(read('h1.token')).toBe('token-1')
    expect(read('h2.token')).toBe('token-1')
  })

  it('runs a run_once task on the first host of the batch even when that host was the last to finish the task before', async () => {
    const run = await runExec({
      hosts: THREE_HOSTS,
      'site.yml': `- hosts: app
  gather_facts: false
  tasks:
    - include_tasks: "{{ 'node' }}.yml"
      loop: [a, b]
      loop_control: { loop_var: node }
`,
      'node.yml': `- name: the first host is the slowest
  shell: "sleep {{ {'h1': 0.3, 'h2': 0, 'h3': 0.1}[inventory_hostname] }}"
  changed_when: false
- name: once per pass
  shell: echo "{{ node }} {{ inventory_hostname }}" >> "{{ playbook_dir }}/once.log"
  run_once: true
`,
    })
    expect(run.exitCode, JSON.stringify(run.events)).toBe(0)
    expect(readFileSync(join(run.dir, 'once.log'), 'utf8')).toBe('a h1\nb h1\n')
  })

  it('run_once gives every host what the task left on the one host that ran it: facts only when it succeeded, as ansible-playbook does', async () => {
    const files = {
      hosts: THREE_HOSTS,
      'site.yml': `- hosts: app
  gather_facts: false
  tasks:
    - name: a fact set once, but the task failed
      set_fact: { shared: set }
      run_once: true
      failed_when: true
      ignore_errors: true
    - name: facts another module returns, once
      setup: { filter: ansible_hostname }
      run_once: true
    - copy:
        dest: "{{ playbook_dir }}/{{ inventory_hostname }}.seen"
        content: "{{ shared | default('unset') }} {{ ansible_hostname is defined }}"
`,
    }
    const dir = mkdtempSync(join(tmpdir(), 'tsplay-exec-'))
    writeTree(dir, files)
    const seen = () => ['h1', 'h2', 'h3'].map((h) => readFileSync(join(dir, `${h}.seen`), 'utf8'))
    execFileSync('ansible-playbook', ['-i', 'hosts', 'site.yml'], { cwd: dir, encoding: 'utf8' })
    const ansible = seen()
    for (const h of ['h1', 'h2', 'h3']) rmSync(join(dir, `${h}.seen`))
    const run = await runExec(files, { dir })
    expect(run.exitCode, JSON.stringify(run.events)).toBe(0)
    expect(seen()).toEqual(ansible)
    expect(ansible).toEqual(['unset True', 'unset True', 'unset True'])
  })
})
