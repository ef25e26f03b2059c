/**
 * `async:` and `poll:` on a task, as Ansible 2.14's task executor runs them: the module becomes a
 * background job on the host (async-start.ts); with `poll: 0` the task registers the job at once,
 * else the controller sleeps `poll` seconds between status reads until the job is done or `async`
 * seconds are used up, then removes the job file (or kills the job and fails the task).
 */
import { errorMessage } from '../errors.js'
import type { AnyModule } from '../module.js'
import type { TaskRuntime } from '../module-context.js'
import type { TaskNode } from '../playbook/types.js'
import { runModule, type ModuleOutcome } from '../run-module.js'
import type { VarScope } from '../vars.js'
import { pollDone, startedResult, timedOut, type JobResult } from './async-job.js'
import { startJob, type AsyncSettings, type Job } from './async-start.js'

/** Ansible's DEFAULT_POLL_INTERVAL. */
export const DEFAULT_POLL_SECONDS = 15

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms))

/** A keyword's seconds: a whole number as written, or a template that renders to one. */
function keywordSeconds(scope: VarScope, keyword: 'async' | 'poll', value: number | string): number {
  const rendered = typeof value === 'number' ? value : scope.render(value)
  const text = String(rendered).trim()
  if (typeof rendered === 'number' ? Number.isInteger(rendered) && rendered >= 0 : /^\d+$/.test(text)) return Number(text)
  throw new Error(`'${keyword}' must be a whole number of seconds, got '${String(rendered)}'`)
}

/** The task's async settings, or undefined when it is not async (no `async:`, or 0). */
export function asyncSettings(node: TaskNode, scope: VarScope): AsyncSettings | undefined {
  if (node.attrs.async === undefined) return undefined
  const seconds = keywordSeconds(scope, 'async', node.attrs.async)
  if (seconds === 0) return undefined
  const poll = node.attrs.poll === undefined ? DEFAULT_POLL_SECONDS : keywordSeconds(scope, 'poll', node.attrs.poll)
  return { seconds, poll }
}

/** Runs the task's module once: as an async job when the task says so, else as usual. `notice` prints a line without -v. */
export async function runTaskModule(node: TaskNode, args: Record<string, unknown>, rt: TaskRuntime, scope: VarScope, notice: (line: string) => void): Promise<ModuleOutcome> {
  const settings = asyncSettings(node, scope)
  if (!settings) return runModule(node.module, args, rt)
  return runAsync(node.module, args, rt, settings, notice)
}

async function runAsync(mod: AnyModule, args: Record<string, unknown>, rt: TaskRuntime, settings: AsyncSettings, notice: (line: string) => void): Promise<ModuleOutcome> {
  // Ansible's action plugins, in their order: a module whose action takes no async, then check mode.
  if (mod.controllerOnly || mod.noAsync) return outcomeOf({ failed: true, msg: 'async is not supported for this task.' })
  if (rt.check) return outcomeOf({ failed: true, changed: false, msg: 'check mode and async cannot be used on same task.' })
  const started = await startJob(mod, args, rt, settings)
  if ('outcome' in started) return started.outcome
  const { job } = started
  if (settings.poll === 0) return outcomeOf(startedResult(job.jid, job.path))
  const result = await pollJob(job, rt, settings, notice)
  notice(`ASYNC ${result['failed'] ? 'FAILED' : 'OK'} on ${rt.host.name}: jid=${job.jid}`)
  return outcomeOf(result)
}

/** Ansible's _poll_async_result: a read that fails (a connection bounced) is retried until the time is up. */
async function pollJob(job: Job, rt: TaskRuntime, settings: AsyncSettings, notice: (line: string) => void): Promise<JobResult> {
  let timeLeft = settings.seconds
  let status: JobResult | undefined
  while (timeLeft > 0) {
    await sleep(settings.poll * 1000)
    timeLeft -= settings.poll
    try {
      status = await job.status()
    } catch (err) {
      rt.log(`Exception during async poll, retrying... (${errorMessage(err)})`, 4)
      if (timeLeft <= 0) throw err
      continue
    }
    if (pollDone(status)) break
    notice(`ASYNC POLL on ${rt.host.name}: jid=${job.jid} started=${String(status['started'])} finished=${String(status['finished'])}`)
  }
  if (!status || Number(status['finished']) !== 1) {
    await job.expire()
    return timedOut(settings.seconds, status)
  }
  await job.cleanup()
  return status
}

/** A job's result as the task's outcome: its status from the result's own flags. */
function outcomeOf(result: JobResult): ModuleOutcome {
  const failed = Boolean(result['failed'])
  const status = failed ? 'failed' : result['skipped'] === true ? 'skipped' : result['changed'] === true ? 'changed' : 'ok'
  const msg = typeof result['msg'] === 'string' && result['msg'] !== '' ? result['msg'] : undefined
  return { status, diff: [], actions: [], result, ...(failed && msg !== undefined ? { msg } : {}) }
}
