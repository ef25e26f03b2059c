/** Keywords Ansible extends or inherits down the tree: environment (merged, the inner wins per variable) and a block's notify. */
import { describe, expect, it } from 'vitest'
import { failures, resultOf, runExec, taskNames } from '../helpers/exec-harness.js'

describe('inherited keywords', () => {
  it('environment of the play, block and task merge, the innermost winning per variable', async () => {
    const run = await runExec({
      'site.yml': `- hosts: h1
  gather_facts: false
  environment: { A: play, B: play }
  vars: { more: { D: templated } }
  tasks:
    - name: task
      shell: echo "$A $B $C"
      environment: { B: task, C: task }
    - block:
        - name: in block
          shell: echo "$A $B $C $D"
          environment: "{{ more }}"
      environment: { C: block }
`,
    })
    expect(run.exitCode, JSON.stringify(failures(run))).toBe(0)
    expect(resultOf(run, 'task').result['stdout']).toBe('play task task')
    expect(resultOf(run, 'in block').result['stdout']).toBe('play play block templated')
  })

  it("a block's notify reaches its tasks that changed; a block naming no handler stops the run when it notifies", async () => {
    const run = await runExec({
      'site.yml': `- hosts: h1
  gather_facts: false
  tasks:
    - block:
        - command: echo changed
        - command: echo changed
          changed_when: false
      notify: h
  handlers:
    - name: h
      debug: { msg: ran }
`,
    })
    expect(run.exitCode).toBe(0)
    expect(taskNames(run).filter((n) => n === 'h')).toEqual(['h'])
    await expect(runExec({ 'site.yml': '- hosts: h1\n  tasks:\n    - block:\n        - command: /bin/true\n      notify: nothing\n' })).rejects.toThrow("The requested handler 'nothing' was not found in either the main handlers list nor in the listening handlers list")
  })
})
