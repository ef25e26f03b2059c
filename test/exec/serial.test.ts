/** serial batches, run by the executor in process on local hosts. */
import { readFileSync } from 'node:fs'
import { join } from 'node:path'
import { describe, expect, it } from 'vitest'
import { runExec } from '../helpers/exec-harness.js'

const THREE_HOSTS = '[app]\nh1 ansible_connection=local\nh2 ansible_connection=local\nh3 ansible_connection=local\n'

describe('serial', () => {
  it('serial runs the whole play on each batch before the next; linear keeps hosts on the same task', async () => {
    const run = await runExec({
      hosts: THREE_HOSTS,
      'site.yml': `- hosts: app
  gather_facts: false
  serial: [1, 2]
  tasks:
    - shell: echo "{{ inventory_hostname }} a" >> {{ playbook_dir }}/order.log
    - shell: echo "{{ inventory_hostname }} b" >> {{ playbook_dir }}/order.log
`,
    })
    expect(run.exitCode, JSON.stringify(run.events)).toBe(0)
    const lines = readFileSync(join(run.dir, 'order.log'), 'utf8').trim().split('\n')
    expect(lines.slice(0, 2)).toEqual(['h1 a', 'h1 b'])
    // Second batch: both hosts finish task a before either starts task b.
    expect(lines.slice(2, 4).sort()).toEqual(['h2 a', 'h3 a'])
    expect(lines.slice(4).sort()).toEqual(['h2 b', 'h3 b'])
  })

  it('a batch that fails on every host stops the play and the playbook, as in Ansible: a rolling change never reaches the next host', async () => {
    const run = await runExec({
      hosts: THREE_HOSTS,
      'site.yml': `- hosts: app
  gather_facts: false
  serial: 1
  tasks:
    - shell: echo "{{ inventory_hostname }}" >> {{ playbook_dir }}/order.log; test {{ inventory_hostname }} != h2
- hosts: app
  gather_facts: false
  tasks:
    - shell: echo "later play {{ inventory_hostname }}" >> {{ playbook_dir }}/order.log
`,
    })
    expect(run.exitCode).toBe(2)
    expect(readFileSync(join(run.dir, 'order.log'), 'utf8')).toBe('h1\nh2\n')
  })
})
