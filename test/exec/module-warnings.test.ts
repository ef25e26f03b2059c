/** A module's warnings: shown as Ansible's callback shows them, once per run, and kept in the registered result. */
import { describe, expect, it } from 'vitest'
import { runExec } from '../helpers/exec-harness.js'

describe("a module's warnings", () => {
  it('are shown once for all hosts and tasks that give them, and stay in the result', async () => {
    const run = await runExec({
      'site.yml': `- hosts: app
  gather_facts: false
  tasks:
    - command: ls /dev/null
      args: { executable: /bogus }
      register: out
    - command: ls /dev/null executable=/bogus
    - assert:
        that:
          - out.warnings | length == 1
          - "'no longer supported' in out.warnings[0]"
          - out.stdout == '/dev/null'
`,
    })
    expect(run.exitCode).toBe(0)
    const warnings = run.events.flatMap((e) => (e.kind === 'warning' ? [e.message] : []))
    expect(warnings).toEqual(["As of Ansible 2.4, the parameter 'executable' is no longer supported with the 'command' module. Not using '/bogus'."])
  })
})
