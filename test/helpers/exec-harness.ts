/**
 * The executor in process: a playbook's files and a local inventory in, the list of RunEvents out.
 * Executor behaviour (handlers, run_once, blocks, stats) is tested here without a CLI subprocess
 * or a build; what a user reads on screen is the CLI tests' business.
 */
import { mkdtempSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import type { HostStats, Reporter, RunEvent } from '../../engine/events.js'
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
 * into `dir`, a new temporary folder unless given, and runs the playbook there.
 */
export async function runExec(files: Record<string, string>, options: Partial<RunOptions> & { dir?: string } = {}): Promise<ExecRun> {
  const { dir = mkdtempSync(join(tmpdir(), 'tsplay-exec-')), ...overrides } = options
  writeTree(dir, { hosts: LOCAL_HOSTS, ...files })
  const file = join(dir, 'site.yml')
  const runOptions = defaultRunOptions(overrides)
  const loaded = loadPlaybook(file, defaultModules(), runOptions)
  const inventory = await prepareInventory([join(dir, 'hosts')], loaded.playbook.dir)
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
