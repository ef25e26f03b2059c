/**
 * An async job's records, in Ansible's shapes: the job file ~/.ansible_async/<jid> (what
 * async_wrapper writes and users' scripts read) and the results async_status and the poll loop
 * return from it. Pure: the commands that read and write the file are in async-script.ts.
 */
import { randomInt } from 'node:crypto'

/** What a task registers and reports: the job's fields beside the module's own. */
export type JobResult = Record<string, unknown>

/** The random part of a job id; the host adds `.<pid>`, as async_wrapper does (`j123456789012.4242`). */
export function newJidPrefix(): string {
  return `j${randomInt(0, 999_999_999_999)}`
}

/** The job file while the job runs (async_wrapper's first record). */
export function runningRecord(jid: string): string {
  return JSON.stringify({ started: 1, finished: 0, ansible_job_id: jid })
}

/** What `poll: 0` registers at once. `failed: 0` is Ansible's, a number. */
export function startedResult(jid: string, resultsFile: string): JobResult {
  return { ansible_job_id: jid, changed: true, failed: 0, finished: 0, results_file: resultsFile, started: 1 }
}

/** Python's str.splitlines, which the action plugin uses for stdout_lines and stderr_lines. */
function splitLines(text: string): string[] {
  const lines = text.split(/\r\n|[\n\r\v\f\x1c\x1d\x1e\x85\u2028\u2029]/)
  if (lines.at(-1) === '') lines.pop()
  return lines
}

/** Fields the async_status action starts every result with, before the module's own. */
function actionBase(jid: string): JobResult {
  return { ansible_job_id: jid, started: 0, finished: 0, stdout: '', stderr: '', stdout_lines: [], stderr_lines: [] }
}

/**
 * async_status mode=status, from the job file's text (undefined: there is no such file), as
 * Ansible's module and action compute it: a record without `started` is a finished job's result
 * (the module's own, or the watchdog's timeout); an empty or half-written file is a job still
 * starting.
 */
export function jobStatus(jid: string, resultsFile: string, text: string | undefined): JobResult {
  const base = { ...actionBase(jid), results_file: resultsFile, started: 1 }
  if (text === undefined) return { ...base, failed: true, msg: 'could not find job', started: 1, finished: 1, changed: false }
  let data: unknown
  try {
    data = JSON.parse(text)
  } catch {
    if (text.trim() === '') return { ...base, changed: false }
    return { ...base, failed: true, msg: `Could not parse job output: ${text}`, started: 1, finished: 1, changed: false }
  }
  if (!data || typeof data !== 'object' || Array.isArray(data)) {
    return { ...base, failed: true, msg: `Could not parse job output: ${text}`, started: 1, finished: 1, changed: false }
  }
  const record = { ...(data as JobResult) }
  if (!('started' in record)) {
    record['finished'] = 1
    record['ansible_job_id'] = jid
  } else if (!('finished' in record)) record['finished'] = 0
  const lines: JobResult = {}
  if (typeof record['stdout'] === 'string' && !('stdout_lines' in record)) lines['stdout_lines'] = splitLines(record['stdout'])
  if (typeof record['stderr'] === 'string' && !('stderr_lines' in record)) lines['stderr_lines'] = splitLines(record['stderr'])
  return { ...base, ...record, ...lines, changed: record['changed'] === true }
}

/** async_status mode=cleanup: the file is gone. */
export function cleanupResult(jid: string, resultsFile: string): JobResult {
  return { ...actionBase(jid), erased: resultsFile, changed: false }
}

/** A status the poll loop stops at: finished, or failed (a job that cannot be found or read). */
export function pollDone(status: JobResult): boolean {
  return Number(status['finished']) === 1 || Boolean(status['failed']) || 'skipped' in status
}

/** The task's result when polling ran out of time (the job is then killed). */
export function timedOut(seconds: number, lastStatus: JobResult | undefined): JobResult {
  const msg = `async task did not complete within the requested time - ${seconds}s`
  return { failed: true, changed: false, msg, ...(lastStatus ? { async_result: lastStatus } : {}) }
}

/**
 * How long the host's watchdog lets a polled job run: past the controller's last poll (Ansible's
 * loop sleeps `poll` seconds until `async` seconds are used up), so the controller is the one
 * that decides the timeout and says so in Ansible's words; it then kills the job at once. Alone
 * (poll 0), the watchdog kills at the limit itself.
 */
export function watchdogSeconds(seconds: number, poll: number): number {
  if (poll <= 0) return seconds
  return Math.ceil(seconds / poll) * poll + 5
}
