/** strategy: free, run by the executor in process on local hosts. */
import { readFileSync } from 'node:fs'
import { join } from 'node:path'
import { describe, expect, it } from 'vitest'
import { runExec } from '../helpers/exec-harness.js'

describe('strategy free', () => {
  it('strategy free lets a fast host run ahead of a slow one', async () => {
    const run = await runExec(
      {
        hosts: '[app]\nh1 ansible_connection=local\nh2 ansible_connection=local\nh3 ansible_connection=local\n',
        'site.yml': `- hosts: app
  gather_facts: false
  strategy: free
  tasks:
    - shell: "sleep {{ '1' if inventory_hostname == 'h1' else '0' }}; echo {{ inventory_hostname }} a >> {{ playbook_dir }}/order.log"
    - shell: echo "{{ inventory_hostname }} b" >> {{ playbook_dir }}/order.log
`,
      },
      { limit: 'h1,h2' },
    )
    expect(readFileSync(join(run.dir, 'order.log'), 'utf8').trim().split('\n')).toEqual(['h2 a', 'h2 b', 'h1 a', 'h1 b'])
  })
})

describe('a templated strategy', () => {
  const files = {
    hosts: '[app]\nh1 ansible_connection=local\nh2 ansible_connection=local\n',
    'site.yml': `- hosts: app
  gather_facts: false
  strategy: "{{ test_strategy | default('linear') }}"
  tasks:
    - shell: "sleep {{ '1' if inventory_hostname == 'h1' else '0' }}; echo {{ inventory_hostname }} a >> {{ playbook_dir }}/order.log"
    - shell: echo "{{ inventory_hostname }} b" >> {{ playbook_dir }}/order.log
`,
  }
  const order = (dir: string) => readFileSync(join(dir, 'order.log'), 'utf8').trim().split('\n')

  it('renders with the extra vars when the play starts: linear by default, free or host_pinned when told', async () => {
    // linear: both hosts finish the first task before either starts the second.
    expect(order((await runExec(files)).dir).slice(0, 2)).toEqual(['h2 a', 'h1 a'])
    expect(order((await runExec(files, { extraVars: { test_strategy: 'free' } })).dir)).toEqual(['h2 a', 'h2 b', 'h1 a', 'h1 b'])
    expect(order((await runExec(files, { extraVars: { test_strategy: 'host_pinned' } })).dir)).toEqual(['h2 a', 'h2 b', 'h1 a', 'h1 b'])
  })

  it('refuses a strategy tsplay lacks once rendered, naming the play', async () => {
    await expect(runExec(files, { extraVars: { test_strategy: 'debugger' } })).rejects.toThrow(/site\.yml:1:3: strategy must be linear, free or host_pinned, got 'debugger'/)
  })
})
