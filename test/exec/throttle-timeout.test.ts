/** throttle (at most N hosts on a task at once) and timeout (the task fails and its command is killed). */
import { execFileSync } from 'node:child_process'
import { readFileSync } from 'node:fs'
import { join } from 'node:path'
import { describe, expect, it } from 'vitest'
import { failures, resultOf, runExec } from '../helpers/exec-harness.js'

const FOUR = '[app]\n' + [1, 2, 3, 4].map((i) => `h${i} ansible_connection=local`).join('\n') + '\n'

/** The most hosts that ran the task at once, from the start/end lines each host appended to `log`. */
function mostAtOnce(log: string): number {
  const events = log.trim().split('\n').map((line) => line.split(' ')).map(([what, t]) => ({ start: what === 'start', t: Number(t) }))
  events.sort((a, b) => a.t - b.t || (a.start ? 1 : -1))
  let now = 0
  let most = 0
  for (const e of events) most = Math.max(most, (now += e.start ? 1 : -1))
  return most
}

const SPAN = `shell: echo start $(date +%s%N) >> {{ playbook_dir }}/log; sleep 0.3; echo end $(date +%s%N) >> {{ playbook_dir }}/log`

describe('throttle', () => {
  it.each(['linear', 'free'])('lets at most N hosts run the task at once with the %s strategy, N templated', async (strategy) => {
    const run = await runExec({
      hosts: FOUR,
      'site.yml': `- hosts: app
  gather_facts: false
  strategy: ${strategy}
  vars: { at_once: 2 }
  tasks:
    - ${SPAN}
      throttle: "{{ at_once }}"
`,
    })
    expect(run.exitCode, JSON.stringify(failures(run))).toBe(0)
    expect(mostAtOnce(readFileSync(join(run.dir, 'log'), 'utf8'))).toBe(2)
  })

  it('throttle on a block holds for each of its tasks; without it the hosts run together', async () => {
    const run = await runExec({
      hosts: FOUR,
      'site.yml': `- hosts: app
  gather_facts: false
  tasks:
    - block:
        - ${SPAN}
      throttle: 1
    - ${SPAN.replaceAll('/log', '/free-log')}
`,
    })
    expect(run.exitCode).toBe(0)
    expect(mostAtOnce(readFileSync(join(run.dir, 'log'), 'utf8'))).toBe(1)
    expect(mostAtOnce(readFileSync(join(run.dir, 'free-log'), 'utf8'))).toBe(4)
  })
})

describe('timeout', () => {
  it("fails the task with Ansible's message after N seconds and kills the command it ran", async () => {
    const started = Date.now()
    const run = await runExec({
      'site.yml': `- hosts: h1
  gather_facts: false
  vars: { limit: 1 }
  tasks:
    - name: hangs
      shell: sleep 38.5 | cat; touch {{ playbook_dir }}/finished
      timeout: "{{ limit }}"
      ignore_errors: true
    - name: quick
      command: /bin/true
      timeout: 5
`,
    })
    expect(Date.now() - started).toBeLessThan(10_000)
    expect(run.exitCode).toBe(0)
    const hung = resultOf(run, 'hangs')
    expect(hung.status).toBe('failed')
    expect(hung.msg).toBe('The shell action failed to execute in the expected time frame (1) and was terminated')
    expect(resultOf(run, 'quick').status).toBe('changed')
    const left = execFileSync('ps', ['-eo', 'args'], { encoding: 'utf8' }).split('\n').filter((l) => l.startsWith('sleep 38.5'))
    expect(left).toEqual([])
  })
})
