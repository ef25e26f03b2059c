/** async/poll and async_status on the local connection: jobs that run detached on the host, polled or fired and forgotten. */
import { existsSync, readdirSync, readFileSync } from 'node:fs'
import { join } from 'node:path'
import { describe, expect, it } from 'vitest'
import { failures, resultOf, runExec, statuses } from '../helpers/exec-harness.js'

/** A play on h1 whose job files go under the playbook's folder, not the user's ~/.ansible_async. */
const onH1 = (tasks: string) => `- hosts: h1
  gather_facts: false
  vars:
    ansible_async_dir: "{{ playbook_dir }}/jobs"
  tasks:
${tasks}`

const logLines = (run: Awaited<ReturnType<typeof runExec>>): string[] => run.events.flatMap((e) => (e.kind === 'log' && e.level === 0 ? [e.message] : []))

describe('async tasks', () => {
  it('polls a detached shell job until it ends: the module result with the job fields, the job file removed', async () => {
    const run = await runExec({
      'site.yml': onH1(`    - name: slow
      shell: sleep 1.5; echo done; echo warn >&2
      async: 20
      poll: 1
      register: r
`),
    })
    expect(run.exitCode).toBe(0)
    const r = resultOf(run, 'slow')
    expect(r.status).toBe('changed')
    expect(r.result).toMatchObject({ stdout: 'done', stderr: 'warn', rc: 0, finished: 1, started: 1, cmd: 'sleep 1.5; echo done; echo warn >&2', stdout_lines: ['done'] })
    expect(String(r.result['ansible_job_id'])).toMatch(/^j\d+\.\d+$/)
    expect(logLines(run)).toContain(`ASYNC POLL on h1: jid=${String(r.result['ansible_job_id'])} started=1 finished=0`)
    expect(logLines(run)).toContain(`ASYNC OK on h1: jid=${String(r.result['ansible_job_id'])}`)
    expect(readdirSync(join(run.dir, 'jobs'))).toEqual([])
  }, 30_000)

  it('fires and forgets with poll 0; an async_status loop waits for the job, cleanup removes its file', async () => {
    const run = await runExec({
      'site.yml': onH1(`    - name: start
      command: sh -c 'sleep 1; echo finished > {{ playbook_dir }}/marker'
      async: 30
      poll: 0
      register: job
    - name: wait
      async_status: { jid: "{{ job.ansible_job_id }}" }
      register: s
      until: s.finished
      retries: 20
      delay: 1
    - name: cleanup
      async_status: { jid: "{{ job.ansible_job_id }}", mode: cleanup }
      register: c
`),
    })
    expect(run.exitCode, JSON.stringify(failures(run))).toBe(0)
    expect(resultOf(run, 'start').result).toMatchObject({ started: 1, finished: 0, failed: 0, changed: true })
    const path = String(resultOf(run, 'start').result['results_file'])
    expect(path).toBe(join(run.dir, 'jobs', String(resultOf(run, 'start').result['ansible_job_id'])))
    expect(resultOf(run, 'wait').result).toMatchObject({ finished: 1, rc: 0, changed: true })
    expect(Number(resultOf(run, 'wait').result['attempts'])).toBeGreaterThan(1)
    expect(resultOf(run, 'cleanup').result).toMatchObject({ erased: path, changed: false })
    expect(existsSync(path)).toBe(false)
    expect(readFileSync(join(run.dir, 'marker'), 'utf8')).toBe('finished\n')
  }, 40_000)

  it('fails the task when the time is up, and kills the job', async () => {
    const run = await runExec({
      'site.yml': onH1(`    - name: too slow
      shell: sleep 4; touch {{ playbook_dir }}/survived
      async: 2
      poll: 1
`),
    })
    expect(run.exitCode).toBe(2)
    expect(failures(run)).toEqual(['async task did not complete within the requested time - 2s'])
    expect(resultOf(run, 'too slow').result['async_result']).toMatchObject({ started: 1, finished: 0 })
    await new Promise((r) => setTimeout(r, 4000))
    expect(existsSync(join(run.dir, 'survived'))).toBe(false)
    const [jobFile] = readdirSync(join(run.dir, 'jobs'))
    expect(JSON.parse(readFileSync(join(run.dir, 'jobs', String(jobFile)), 'utf8'))).toMatchObject({ msg: 'Timeout exceeded', failed: true })
  }, 30_000)

  it('a failing command fails the task with its result; a module that is not a command runs as a job the controller holds', async () => {
    const run = await runExec({
      'site.yml': onH1(`    - name: fails
      command: /bin/false
      async: 10
      poll: 1
      ignore_errors: true
    - name: held
      file: { path: "{{ playbook_dir }}/touched", state: touch }
      async: 10
      poll: 0
      register: held
    - name: held status
      async_status: { jid: "{{ held.ansible_job_id }}" }
      register: s
      until: s.finished
      retries: 5
      delay: 1
`),
    })
    expect(run.exitCode, JSON.stringify(failures(run))).toBe(0)
    expect(resultOf(run, "fails").result).toMatchObject({ rc: 1, failed: true, msg: 'non-zero return code', finished: 1 })
    expect(resultOf(run, 'held status').result).toMatchObject({ finished: 1, changed: true, dest: join(run.dir, 'touched') })
    expect(existsSync(join(run.dir, 'touched'))).toBe(true)
  }, 30_000)

  it('refuses async in check mode and for modules that take none, as Ansible does; async_status is skipped in check mode', async () => {
    const run = await runExec(
      {
        'site.yml': onH1(`    - name: checked
      command: echo hi
      async: 10
      poll: 1
      ignore_errors: true
    - name: debug
      debug: msg=x
      async: 10
      ignore_errors: true
    - name: status
      async_status: jid=j1.1
`),
      },
      { check: true },
    )
    expect(run.exitCode).toBe(0)
    expect(failures(run, { ignored: true })).toEqual(['check mode and async cannot be used on same task.', 'async is not supported for this task.'])
    expect(statuses(run).at(-1)).toEqual(['status', { h1: 'skipped' }])
  })
})
