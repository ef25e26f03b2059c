/** The connection variables every task sees (ansible_host, ansible_user, ...), as ansible-playbook 2.14 adds them. */
import { readFileSync } from 'node:fs'
import { join } from 'node:path'
import { describe, expect, it } from 'vitest'
import { runExec } from '../helpers/exec-harness.js'

describe('connection variables', () => {
  it("fill what the task's variables lack, from the other names, keywords and defaults; hostvars do not show them", async () => {
    const run = await runExec({
      hosts: 'h1 ansible_connection=local ansible_host=10.1.1.1\nh2 ansible_connection=local ansible_ssh_port=2200\n',
      'site.yml': `- hosts: all
  gather_facts: false
  remote_user: playuser
  tasks:
    - copy:
        dest: "{{ playbook_dir }}/{{ inventory_hostname }}.json"
        content: "{{ {'vars': query('vars', 'ansible_host', 'ansible_ssh_host', 'ansible_connection', 'ansible_user', 'ansible_timeout', 'ansible_shell_executable'),
                     'port': lookup('vars', 'ansible_port', default='unset'),
                     'password': lookup('vars', 'ansible_password', default='unset'),
                     'hostvars': hostvars[inventory_hostname].ansible_ssh_host | default('unset'),
                     'task_user': task_user} | to_json }}"
      remote_user: taskuser
      vars:
        task_user: "{{ ansible_user }}"
`,
    })
    expect(run.exitCode, JSON.stringify(run.events)).toBe(0)
    const read = (h: string): unknown => JSON.parse(readFileSync(join(run.dir, `${h}.json`), 'utf8'))
    expect(read('h1')).toEqual({ vars: ['10.1.1.1', '10.1.1.1', 'local', 'taskuser', 10, '/bin/sh'], port: 'unset', password: 'unset', hostvars: 'unset', task_user: 'taskuser' })
    expect(read('h2')).toEqual({ vars: ['h2', 'h2', 'local', 'taskuser', 10, '/bin/sh'], port: 2200, password: 'unset', hostvars: 'unset', task_user: 'taskuser' })
  })

  it('lookup(vars) fails in Ansible words, or gives its default', async () => {
    const run = await runExec({
      'site.yml': `- hosts: h1
  gather_facts: false
  tasks:
    - set_fact: { x: "{{ lookup('vars', 'doesnotexist') }}" }
      ignore_errors: true
    - set_fact: { x: "{{ lookup('vars', 42) }}" }
      ignore_errors: true
    - copy: { dest: "{{ playbook_dir }}/default", content: "{{ lookup('vars', 'doesnotexist', default='some text') }}" }
`,
    })
    const failed = run.events.flatMap((e) => (e.kind === 'task:result' && e.status === 'failed' ? [e.msg ?? ''] : []))
    expect(failed[0]).toMatch(/^No variable found with this name: doesnotexist/)
    expect(failed[1]).toMatch(/^Invalid setting identifier, "42" is not a string, its a <class 'int'>/)
    expect(readFileSync(join(run.dir, 'default'), 'utf8')).toBe('some text')
  })
})
