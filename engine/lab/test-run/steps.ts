/**
 * The Molecule sequence on hosts that already exist: converge; idempotence (a second run changes
 * nothing); check mode on the converged hosts (predicts no change and writes nothing); verify.
 * It stops at the first step that fails, as Molecule does: later steps would only repeat the news.
 */
import type { Reporter, TaskResultEvent } from '../../events.js'
import { EXIT } from '../../errors.js'
import type { RunOptions } from '../../exec/options.js'
import type { ModuleRegistry } from '../../registry.js'
import { checkPlaybook, runPlaybook, type PlaybookRun } from './playbook-run.js'
import type { TestTarget } from './target.js'
import { markHosts, scanWrites } from './writes.js'

export const STEPS = ['converge', 'idempotence', 'check', 'verify'] as const
export type StepName = (typeof STEPS)[number]

export interface StepTask {
  task: string
  host: string
  status: string
  msg?: string
}

export interface StepResult {
  name: StepName
  status: 'passed' | 'failed' | 'skipped' | 'not run'
  seconds: number
  /** Why it failed (or was skipped), in one paragraph. */
  reason?: string
  /** The tasks that made it fail. */
  tasks: StepTask[]
}

export interface TestReport {
  target: { kind: TestTarget['kind']; name: string; path: string; verify?: string }
  hosts: string
  passed: boolean
  failedStep?: StepName
  exitCode: number
  steps: StepResult[]
}

export interface TestRunOptions {
  modules: ModuleRegistry
  sources: string[]
  hosts: string
  run: RunOptions
  /** The visible reporter for a step's run (undefined: silent, as with --json). */
  reporterFor(step: StepName): Promise<Reporter | undefined>
}

type Outcome = Omit<StepResult, 'name' | 'seconds'> & { exitCode?: number }

export async function runTest(target: TestTarget, options: TestRunOptions): Promise<TestReport> {
  const run = { ...options.run, limit: options.hosts }
  // Every file any step runs is loaded and checked before a host is contacted.
  checkPlaybook(options.modules, target.playbook, run)
  if (target.verify) checkPlaybook(options.modules, target.verify, run)
  const play = async (file: string, step: StepName, check = false): Promise<PlaybookRun> => runPlaybook(options.modules, file, options.sources, { ...run, check }, await options.reporterFor(step))

  const bodies: Record<StepName, () => Promise<Outcome>> = {
    converge: async () => judgeRun(await play(target.playbook, 'converge'), 'converge'),
    idempotence: async () => {
      const r = await play(target.playbook, 'idempotence')
      if (r.exitCode !== EXIT.ok) return judgeRun(r, 'the second run')
      return noChanges(r.results, (n) => `not idempotent: ${n} changed on the second run`)
    },
    check: async () => {
      const unmarked = await markHosts(options.modules, target.workDir, options.sources, options.hosts, run)
      if (Object.keys(unmarked).length) return { status: 'failed', reason: `cannot prepare the check: ${describeHosts(unmarked)}`, tasks: [], exitCode: EXIT.unreachable }
      const r = await play(target.playbook, 'check', true)
      if (r.exitCode !== EXIT.ok) return judgeRun(r, 'check mode')
      const predicted = noChanges(r.results, (n) => `check mode predicted ${n === '1 task' ? 'a change' : 'changes'} on the converged hosts (${n})`)
      const scan = await scanWrites(options.modules, target.workDir, options.sources, options.hosts, run)
      if (Object.keys(scan.errors).length) return { status: 'failed', reason: `cannot look for writes after check mode: ${describeHosts(scan.errors)}`, tasks: [], exitCode: EXIT.unreachable }
      if (predicted.status === 'failed') return predicted
      const written = Object.entries(scan.written)
      if (!written.length) return predicted
      return {
        status: 'failed',
        reason: `check mode wrote to the hosts: ${written.map(([h, files]) => `${h}: ${files.join(', ')}`).join('; ')}`,
        tasks: [],
        exitCode: EXIT.failed,
      }
    },
    verify: async () => {
      if (!target.verify) return { status: 'skipped', reason: `no ${target.kind === 'role' ? 'tests/verify.yml in the role' : 'tests/verify.yml beside the playbook'}`, tasks: [] }
      return judgeRun(await play(target.verify, 'verify'), 'verify')
    },
  }

  const steps: StepResult[] = []
  let exitCode: number = EXIT.ok
  let failedStep: StepName | undefined
  for (const name of STEPS) {
    if (failedStep) {
      steps.push({ name, status: 'not run', seconds: 0, tasks: [] })
      continue
    }
    const started = Date.now()
    const { exitCode: code, ...outcome } = await bodies[name]()
    steps.push({ name, seconds: (Date.now() - started) / 1000, ...outcome })
    if (outcome.status === 'failed') {
      failedStep = name
      exitCode = code && code !== EXIT.ok ? code : EXIT.failed
    }
  }
  return {
    target: { kind: target.kind, name: target.name, path: target.path, ...(target.verify ? { verify: target.verify } : {}) },
    hosts: options.hosts,
    passed: !failedStep,
    ...(failedStep ? { failedStep } : {}),
    exitCode,
    steps,
  }
}

/** A run passes when every host got through every task; otherwise name the tasks that failed. */
function judgeRun(r: PlaybookRun, what: string): Outcome {
  const bad = r.results.filter((e) => (e.status === 'failed' && !e.ignored) || e.status === 'unreachable')
  if (r.exitCode === EXIT.ok) return { status: 'passed', tasks: [] }
  const tasks = bad.map(taskOf)
  const noHosts = Object.keys(r.stats).length === 0 ? ': no host matched' : ''
  const reason = tasks.length ? `${what} failed: ${describeTasks(tasks)}` : `${what} failed (exit ${r.exitCode})${noHosts}`
  return { status: 'failed', reason, tasks, exitCode: r.exitCode }
}

/** Fails naming every task that reported a change; `what` gets "1 task" or "N tasks". */
function noChanges(results: TaskResultEvent[], what: (count: string) => string): Outcome {
  const changed = results.filter((e) => e.status === 'changed').map(taskOf)
  if (!changed.length) return { status: 'passed', tasks: [] }
  const count = new Set(changed.map((t) => t.task)).size
  return { status: 'failed', reason: `${what(count === 1 ? '1 task' : `${count} tasks`)}: ${describeTasks(changed)}`, tasks: changed, exitCode: EXIT.failed }
}

function taskOf(e: TaskResultEvent): StepTask {
  return { task: e.task.name, host: e.host, status: e.status, ...(e.msg ? { msg: e.msg } : {}) }
}

/** "task" on a, b (msg); grouped by task so ten hosts failing the same way read as one line. */
function describeTasks(tasks: StepTask[]): string {
  const byTask = new Map<string, StepTask[]>()
  for (const t of tasks) byTask.set(t.task, [...(byTask.get(t.task) ?? []), t])
  return [...byTask.entries()]
    .map(([task, list]) => {
      const msg = list.find((t) => t.msg)?.msg
      return `"${task}" ${list[0]?.status ?? ''} on ${list.map((t) => t.host).join(', ')}${msg ? ` (${firstLine(msg)})` : ''}`
    })
    .join('; ')
}

function describeHosts(byHost: Record<string, string>): string {
  return Object.entries(byHost).map(([h, why]) => `${h}: ${firstLine(why)}`).join('; ')
}

function firstLine(text: string): string {
  const line = text.split('\n')[0] ?? ''
  return line.length > 200 ? line.slice(0, 197) + '...' : line
}
