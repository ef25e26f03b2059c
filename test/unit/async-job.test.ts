/** Async jobs: the job file's JSON (what users' scripts and async_status read) and the shell that writes it, run on this machine. */
import { execFileSync } from 'node:child_process'
import { existsSync, mkdtempSync, readdirSync, readFileSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { describe, expect, it } from 'vitest'
import { cleanupResult, jobStatus, pollDone, startedResult, timedOut, watchdogSeconds } from '../../engine/exec/async-job.js'
import { expireJobCommand, heldJobCommand, launchCommand, SCRIPTS } from '../../engine/exec/async-script.js'
import { sh, type ShellCommand } from '../../engine/quote.js'

const run = (command: ShellCommand, input = ''): string => execFileSync('/bin/sh', ['-c', command.text], { input, encoding: 'utf8' })
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms))

async function waitForRecord(path: string, done: (record: Record<string, unknown>) => boolean): Promise<Record<string, unknown>> {
  for (let i = 0; i < 100; i++) {
    const record = JSON.parse(readFileSync(path, 'utf8')) as Record<string, unknown>
    if (done(record)) return record
    await sleep(100)
  }
  throw new Error(`${path} never changed: ${readFileSync(path, 'utf8')}`)
}

const finished = (record: Record<string, unknown>) => !('started' in record)

describe('async job results, as async_status returns them', () => {
  it('a running job reads as started and not finished; a finished one as the module result with the job fields and split lines', () => {
    const path = '/root/.ansible_async/j1.2'
    expect(jobStatus('j1.2', path, '{"started": 1, "finished": 0, "ansible_job_id": "j1.2"}')).toMatchObject({ started: 1, finished: 0, results_file: path, changed: false })
    const done = jobStatus('j1.2', path, '{"changed": true, "stdout": "a\\nb", "stderr": "", "rc": 0, "msg": ""}')
    expect(done).toMatchObject({ ansible_job_id: 'j1.2', finished: 1, started: 1, changed: true, rc: 0, stdout_lines: ['a', 'b'], stderr_lines: [], results_file: path })
  })

  it('no job file fails with "could not find job"; an empty one is a job still starting; garbage fails', () => {
    expect(jobStatus('j1', '/x', undefined)).toMatchObject({ failed: true, msg: 'could not find job', finished: 1 })
    expect(pollDone(jobStatus('j1', '/x', ''))).toBe(false)
    expect(jobStatus('j1', '/x', '{"rc": 0')).toMatchObject({ failed: true, msg: 'Could not parse job output: {"rc": 0' })
    expect(pollDone(jobStatus('j1', '/x', '{"msg": "Timeout exceeded", "failed": true, "child_pid": 7}'))).toBe(true)
  })

  it('poll 0, cleanup and a timeout give Ansible keys', () => {
    expect(startedResult('j1', '/x')).toEqual({ ansible_job_id: 'j1', changed: true, failed: 0, finished: 0, results_file: '/x', started: 1 })
    expect(cleanupResult('j1', '/x')).toMatchObject({ ansible_job_id: 'j1', erased: '/x', started: 0, finished: 0, changed: false })
    expect(timedOut(3, undefined)).toEqual({ failed: true, changed: false, msg: 'async task did not complete within the requested time - 3s' })
    expect(watchdogSeconds(10, 0)).toBe(10)
    expect(watchdogSeconds(10, 3)).toBe(17)
  })
})

describe('the job shell, run here', () => {
  const jsonText = (content: string, strip: boolean): string => {
    const dir = mkdtempSync(join(tmpdir(), 'tsplay-async-'))
    writeFileSync(join(dir, 'f'), content)
    return run(sh`{ cat -- ${join(dir, 'f')}; printf x; } | awk -v strip=${strip ? '1' : '0'} ${SCRIPTS.JSON_TEXT_AWK}`)
  }

  it('escapes output as JSON text: quotes, backslashes, tabs, control characters, UTF-8, and trailing newlines as asked', () => {
    const tricky = 'a "q" \\ b\tc\u0001 é ✓\r\nlast\n\n'
    expect(JSON.parse(jsonText(tricky, true))).toBe('a "q" \\ b\tc\u0001 é ✓\r\nlast')
    expect(JSON.parse(jsonText(tricky, false))).toBe(tricky)
    expect(JSON.parse(jsonText('', true))).toBe('')
    expect(JSON.parse(jsonText('no newline', false))).toBe('no newline')
  })

  it('computes the delta as H:MM:SS.ffffff', () => {
    expect(run(sh`awk -v a=100.900000 -v b=3762.000001 ${SCRIPTS.DELTA_AWK}`)).toBe('1:01:01.100001')
  })

  it('runs a command detached and leaves the command module’s result in the job file, its folder cleaned up', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'tsplay-async-'))
    const command = sh`/bin/sh -c ${'read line; echo "got $line"; pwd; echo oops >&2; exit 3'}`
    const out = run(launchCommand({ asyncDir: dir, jidPrefix: 'j42', limit: 30, display: 'the cmd', stripEmptyEnds: true, cwd: '/tmp', command }), 'hello\n')
    const [jid, path] = out.trim().split('\n')
    expect(jid).toMatch(/^j42\.\d+$/)
    expect(path).toBe(join(dir, jid as string))
    const record = await waitForRecord(path as string, finished)
    expect(record).toMatchObject({ changed: true, rc: 3, stdout: 'got hello\n/tmp', stderr: 'oops', cmd: 'the cmd', failed: true, msg: 'non-zero return code' })
    expect(record['start']).toMatch(/^\d{4}-\d\d-\d\d \d\d:\d\d:\d\d\.\d{6}$/)
    expect(record['delta']).toMatch(/^0:00:0\d\.\d{6}$/)
    expect(readdirSync(dir)).toEqual([jid])
  })

  it('kills the job at its time limit (the whole process group) and records "Timeout exceeded"', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'tsplay-async-'))
    const marker = join(dir, 'survived')
    const command = sh`/bin/sh -c ${`sleep 4; touch ${marker}`}`
    const [, path] = run(launchCommand({ asyncDir: dir, jidPrefix: 'j7', limit: 1, display: 'x', stripEmptyEnds: true, command })).trim().split('\n')
    const record = await waitForRecord(path as string, finished)
    expect(record).toMatchObject({ msg: 'Timeout exceeded', failed: true })
    await sleep(4000)
    expect(existsSync(marker)).toBe(false)
  }, 15_000)

  it('stops a job when the controller gives up on it', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'tsplay-async-'))
    const [, path] = run(launchCommand({ asyncDir: dir, jidPrefix: 'j8', limit: 60, display: 'x', stripEmptyEnds: true, command: sh`sleep 30` })).trim().split('\n')
    run(expireJobCommand(path as string))
    expect(await waitForRecord(path as string, finished)).toMatchObject({ msg: 'Timeout exceeded' })
  }, 15_000)

  it('a job the controller runs itself gets its running record under ~ expanded', () => {
    const home = mkdtempSync(join(tmpdir(), 'tsplay-home-'))
    const out = execFileSync('/bin/sh', ['-c', heldJobCommand('~/.ansible_async', 'j9').text], { encoding: 'utf8', env: { ...process.env, HOME: home } })
    const [jid, path] = out.trim().split('\n')
    expect(path).toBe(join(home, '.ansible_async', jid as string))
    expect(JSON.parse(readFileSync(path as string, 'utf8'))).toEqual({ started: 1, finished: 0, ansible_job_id: jid })
  })
})
