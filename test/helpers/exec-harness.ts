/**
 * The executor in process: a playbook's files and a local inventory in, the list of RunEvents out.
 * Executor behaviour (handlers, run_once, blocks, stats) is tested here without a CLI subprocess
 * or a build; what a user reads on screen is the CLI tests' business.
 */
import { mkdtempSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import type { HostStats, Reporter, RunEvent, TaskResultEvent } from '../../engine/events.js'
import { defaultRunOptions, type RunOptions } from '../../engine/exec/options.js'
import { loadPlaybook, prepareInventory, Runner } from '../../engine/exec/run.js'
import { writeTree } from './cli.js'
import { defaultModules } from './module-harness.js'

/** Hosts on this machine, each an inventory host of its own (the local connection). */
export const LOCAL_HOSTS = '[app]\nh1 ansible_connection=local\nh2 ansible_connection=local\n'

export interface ExecRun {
  exitCode: number
  events: RunEvent[]
  stats: Record<string, HostStats>
  /** The folder the playbook ran in (its playbook_dir). */
  dir: string
}

/**
 * Writes `files` (with `site.yml` the playbook and `hosts` the inventory, LOCAL_HOSTS unless given)
 * into `dir`, a new temporary folder unless given, and runs the playbook there. `inventory` names
 * another inventory among the files (an inventory folder with group_vars, say).
 */
export async function runExec(files: Record<string, string>, options: Partial<RunOptions> & { dir?: string; inventory?: string } = {}): Promise<ExecRun> {
  const { dir = mkdtempSync(join(tmpdir(), 'tsplay-exec-')), inventory: inventoryFile = 'hosts', ...overrides } = options
  writeTree(dir, { hosts: LOCAL_HOSTS, ...files })
  const file = join(dir, 'site.yml')
  const runOptions = defaultRunOptions(overrides)
  const loaded = loadPlaybook(file, defaultModules(), runOptions)
  const inventory = await prepareInventory([join(dir, inventoryFile)], loaded.playbook.dir)
  const events: RunEvent[] = []
  const reporter: Reporter = { handle: (event) => events.push(event), close: () => {} }
  const summary = await new Runner(loaded, inventory, runOptions, reporter).run()
  return { exitCode: summary.exitCode, events, stats: summary.stats, dir }
}

/** The tasks shown, in order (each once per play batch, as their banners). */
export function taskNames(run: ExecRun): string[] {
  return run.events.flatMap((e) => (e.kind === 'task:start' ? [e.task.name] : []))
}

export function totalChanged(run: ExecRun): number {
  return Object.values(run.stats).reduce((n, s) => n + s.changed, 0)
}

/** A task as run: its name and each host's final result (loop items folded in, as --json shows it). */
export interface TaskRun {
  name: string
  handler: boolean
  hosts: Record<string, TaskResultEvent>
}

/** Every task shown, in order, with the results that belong to it (as the --json reporter groups them). */
export function tasksRun(run: ExecRun): TaskRun[] {
  const tasks: TaskRun[] = []
  for (const event of run.events) {
    if (event.kind === 'task:start') tasks.push({ name: event.task.name, handler: event.task.handler, hosts: {} })
    if (event.kind !== 'task:result') continue
    const task = tasks.findLast((t) => t.name === event.task.name)
    if (task) task.hosts[event.host] = event
  }
  return tasks
}

/** The tasks of a run with each host's status: [[taskName, {host: status}]] (as helpers/cli.ts reads --json). */
export function statuses(run: ExecRun): [string, Record<string, string>][] {
  return tasksRun(run).map((t) => [t.name, Object.fromEntries(Object.entries(t.hosts).map(([host, r]) => [host, r.status]))])
}

/** The result of the named task on a host: its status, message and the module's values. */
export function resultOf(run: ExecRun, task: string, host = 'h1'): TaskResultEvent {
  const found = tasksRun(run).find((t) => t.name === task)?.hosts[host]
  if (!found) throw new Error(`no result of task '${task}' on ${host}: ${JSON.stringify(taskNames(run))}`)
  return found
}

/** The messages of the failed results, in order (what the CLI prints after `fatal:`); ignored ones only when asked. */
export function failures(run: ExecRun, options: { ignored?: boolean } = {}): string[] {
  return run.events.flatMap((e) => (e.kind === 'task:result' && e.status === 'failed' && (options.ignored || !e.ignored) ? [e.msg ?? ''] : []))
}
