/**
 * Starting an async job on a host. A module that is one command (command, shell) runs it detached
 * on the host under a supervisor (async-script.ts): it outlives the connection and the run. Any
 * other module runs its plan and apply on the controller while the job's record sits on the host
 * (a "held" job): async_status and users' scripts read the same file either way.
 */
import type { AnyModule, BackgroundCommand, VarsView } from '../module.js'
import { createApplyContext, type TaskRuntime } from '../module-context.js'
import { runModule, type ModuleOutcome } from '../run-module.js'
import { jobStatus, newJidPrefix, startedResult, watchdogSeconds, type JobResult } from './async-job.js'
import { expireJobCommand, heldJobCommand, launchCommand, readJobCommand, removeJobCommand, writeJobCommand } from './async-script.js'

export interface AsyncSettings {
  /** `async:` seconds the job may run. */
  seconds: number
  /** `poll:` seconds between checks; 0 is fire and forget. */
  poll: number
}

/** A job as the controller sees it: its id, its file on the host, and what can be done to it. */
export interface Job {
  jid: string
  path: string
  /** The job's status now, as async_status reads it from the host. */
  status(): Promise<JobResult>
  /** The controller gave up: the job is killed and its record says so. */
  expire(): Promise<void>
  /** The final status was read: the job file goes (Ansible's mode=cleanup after a poll). */
  cleanup(): Promise<void>
}

/** A job that started, or the task's outcome when it could not (bad arguments, a failed launch). */
export type Started = { job: Job } | { outcome: ModuleOutcome }

const TIMEOUT_RECORD = (pid: number): string => JSON.stringify({ msg: 'Timeout exceeded', failed: true, child_pid: pid })

/** Where job files go: ansible_async_dir, else Ansible's ~/.ansible_async (a ~ is the become user's home). */
export function asyncDir(vars: VarsView): string {
  const dir = vars.has('ansible_async_dir') ? vars.get('ansible_async_dir') : undefined
  return typeof dir === 'string' && dir !== '' ? dir : '~/.ansible_async'
}

function jobOf(rt: TaskRuntime, jid: string, path: string, expire: () => Promise<void>): Job {
  const ctx = createApplyContext(rt)
  return {
    jid,
    path,
    status: async () => {
      const read = await ctx.probe(readJobCommand(path))
      if (read.code !== 0 && read.code !== 3) throw new Error(`cannot read ${path}: ${read.stderr.trim() || `exit code ${String(read.code)}`}`)
      return jobStatus(jid, path, read.code === 3 ? undefined : read.stdout)
    },
    expire,
    cleanup: async () => void (await ctx.exec(removeJobCommand(path))),
  }
}

/** The two lines the launchers print: the job id and the job file's path. */
function printedJob(stdout: string): { jid: string; path: string } {
  const [jid = '', path = ''] = stdout.trim().split('\n').slice(-2)
  return { jid, path }
}

/** Starts the task's module as a job: detached when it is one command, else held by the controller. */
export async function startJob(mod: AnyModule, args: Record<string, unknown>, rt: TaskRuntime, settings: AsyncSettings): Promise<Started> {
  const background = mod.background
  if (!background) return startHeld(rt, settings, () => runModule(mod, args, rt))
  let job: Job | undefined
  // The module's own plan runs first (arguments, creates/removes); only its apply is replaced.
  const launching: AnyModule = {
    ...mod,
    apply: async (ctx, validArgs) => {
      const command: BackgroundCommand = background(validArgs)
      const launch = launchCommand({
        asyncDir: asyncDir(rt.vars),
        jidPrefix: newJidPrefix(),
        limit: watchdogSeconds(settings.seconds, settings.poll),
        display: command.display,
        stripEmptyEnds: command.stripEmptyEnds,
        cwd: command.cwd,
        command: command.command,
      })
      const { jid, path } = printedJob((await ctx.run(launch, { stdin: command.stdin ?? '' })).stdout)
      job = jobOf(rt, jid, path, async () => void (await ctx.exec(expireJobCommand(path))))
      return startedResult(jid, path)
    },
  }
  const outcome = await runModule(launching, args, rt)
  if (job) return { job }
  if (outcome.status === 'failed') return { outcome }
  // The plan decided without running anything (creates/removes): a job that is done at once.
  return startHeld(rt, settings, () => Promise.resolve(outcome))
}

/**
 * A job the controller runs: the running record goes to the host first, the module's result
 * replaces it when the module is done, or the timeout record when the time limit comes first.
 * The run waits for held jobs before it closes their host's connection.
 */
async function startHeld(rt: TaskRuntime, settings: AsyncSettings, work: () => Promise<ModuleOutcome>): Promise<Started> {
  const ctx = createApplyContext(rt)
  const { jid, path } = printedJob((await ctx.run(heldJobCommand(asyncDir(rt.vars), newJidPrefix()))).stdout)
  let settled = false
  const record = async (text: string): Promise<void> => {
    if (settled) return
    settled = true
    await ctx.run(writeJobCommand(path), { stdin: text })
  }
  let timer: NodeJS.Timeout | undefined
  const expire = (): Promise<void> => {
    clearTimeout(timer)
    return record(TIMEOUT_RECORD(process.pid))
  }
  const done = new Promise<void>((resolve) => {
    timer = setTimeout(() => void expire().then(resolve, resolve), settings.seconds * 1000)
    work()
      .then((outcome) => record(JSON.stringify(outcome.result)))
      .catch((err: unknown) => record(JSON.stringify({ failed: true, msg: err instanceof Error ? err.message : String(err) })))
      .catch(() => undefined)
      .finally(() => {
        clearTimeout(timer)
        resolve()
      })
  })
  rt.host.jobs ??= new Set()
  rt.host.jobs.add(done)
  void done.then(() => rt.host.jobs?.delete(done))
  return { job: jobOf(rt, jid, path, expire) }
}
