/** Files as editors write them (a UTF-8 byte-order mark first), loaded and run in process. */
import { readFileSync } from 'node:fs'
import { join } from 'node:path'
import { describe, expect, it } from 'vitest'
import { runExec } from '../helpers/exec-harness.js'

describe('files as editors write them', () => {
  it('reads a playbook, a vars file, a task file, an inventory and group_vars that start with a UTF-8 byte-order mark', async () => {
    const bom = '\uFEFF'
    const run = await runExec(
      {
        'site.yml': `${bom}- hosts: web\n  gather_facts: false\n  vars_files: [vars.yml]\n  tasks:\n    - include_tasks: more.yml\n`,
        'more.yml': `${bom}- copy: { dest: "{{ playbook_dir }}/out", content: "{{ greeting }} {{ colour }}" }\n`,
        'vars.yml': `${bom}greeting: hello\n`,
        'inventory.yml': `${bom}web:\n  hosts:\n    w1: { ansible_connection: local }\n`,
        'group_vars/web.yml': `${bom}colour: green\n`,
      },
      { inventory: 'inventory.yml' },
    )
    expect(run.exitCode, JSON.stringify(run.events)).toBe(0)
    expect(readFileSync(join(run.dir, 'out'), 'utf8')).toBe('hello green')
  })
})
