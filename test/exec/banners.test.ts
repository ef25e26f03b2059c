/** Task banners name the task as ansible-playbook 2.14 prints it (its output for this playbook, copied). */
import { describe, expect, it } from 'vitest'
import { runExec } from '../helpers/exec-harness.js'

describe('a task banner', () => {
  it("templates the name with the first host's variables, and leaves it as written where a variable is not defined yet", async () => {
    const run = await runExec({
      'site.yml': `- hosts: all
  gather_facts: false
  vars: { pkg: nginx }
  tasks:
    - name: install {{ pkg }}
      debug: msg=x
    - name: item {{ item }}
      debug: msg=x
      loop: [1]
    - name: undefined {{ nope }}
      debug: msg=x
    - set_fact: later=5
    - name: fact {{ later }} and {{ own }}
      debug: msg=x
      vars: { own: mine }
`,
    })
    expect(run.exitCode).toBe(0)
    const banners = run.events.flatMap((e) => (e.kind === 'task:start' ? [e.task.name] : []))
    expect(banners).toEqual(['install nginx', 'item {{ item }}', 'undefined {{ nope }}', 'set_fact', 'fact 5 and mine'])
  })
})
