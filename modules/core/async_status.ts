/** async_status: the status of an async job (`poll: 0`) from its file on the host, or its removal (Ansible's async_status). */
import { defineModule, type ArgValues, type PlanContext } from '../../engine/module.js'
import { asyncDir } from '../../engine/exec/async-start.js'
import { cleanupResult, jobStatus } from '../../engine/exec/async-job.js'
import { jobPathCommand, readJobCommand, removeJobCommand } from '../../engine/exec/async-script.js'
import { ModuleError } from '../../engine/errors.js'

const args = {
  jid: { type: 'str', required: true, description: 'The job id an async task registered (its ansible_job_id).' },
  mode: { type: 'str', default: 'status', choices: ['status', 'cleanup'], description: 'status reads the job; cleanup removes its file.' },
} as const

type Values = ArgValues<typeof args>

/** Ansible's words: the module runs on the host, and says it cannot in check mode. */
const NO_CHECK_MODE = 'remote module (ansible.legacy.async_status) does not support check mode'

async function jobPath(ctx: PlanContext, jid: string): Promise<string> {
  return (await ctx.read(jobPathCommand(asyncDir(ctx.vars), jid))).stdout
}

/** Exit 3 from the job commands: there is no such job file. */
const NOT_FOUND = 3

export default defineModule({
  name: 'async_status',
  description: 'Reports the status of an async job (or removes its file with mode=cleanup), for tasks started with poll: 0.',
  args,
  async plan(ctx, a: Values) {
    const path = await jobPath(ctx, a.jid)
    const result = a.mode === 'cleanup' ? cleanupResult(a.jid, path) : jobStatus(a.jid, path, '')
    // Reading a job is harmless, but Ansible's module takes no check mode: the task is skipped there.
    return { changed: false, unknowable: NO_CHECK_MODE, result, data: path }
  },
  async apply(ctx, a: Values, path: string) {
    const run = await ctx.exec(a.mode === 'cleanup' ? removeJobCommand(path) : readJobCommand(path))
    if (run.code === NOT_FOUND) throw new ModuleError('could not find job', { ...jobStatus(a.jid, path, undefined), ...(a.mode === 'cleanup' ? cleanupResult(a.jid, path) : {}), started: 1, finished: 1 })
    if (run.code !== 0) throw new ModuleError(run.stderr.trim() || `exit code ${String(run.code)}`)
    if (a.mode === 'cleanup') return cleanupResult(a.jid, path)
    const status = jobStatus(a.jid, path, run.stdout)
    if (status['failed']) throw new ModuleError(String(status['msg'] ?? 'the job failed'), status)
    return status
  },
})
