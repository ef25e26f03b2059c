/** One in-process run of a playbook for `tsplay test`: the engine's Runner, with every result collected. */
import type { HostStats, Reporter, RunEvent, TaskResultEvent } from '../../events.js'
import { loadPlaybook, prepareInventory, Runner } from '../../exec/run.js'
import type { RunOptions } from '../../exec/options.js'
import type { ModuleRegistry } from '../../registry.js'

/** Keeps what a step needs to judge the run, and passes every event on to the visible reporter. */
export class Collector implements Reporter {
  readonly results: TaskResultEvent[] = []
  stats: Record<string, HostStats> = {}

  constructor(private readonly inner?: Reporter) {}

  handle(event: RunEvent): void {
    if (event.kind === 'task:result') this.results.push(event)
    if (event.kind === 'recap') this.stats = event.stats
    this.inner?.handle(event)
  }

  async close(): Promise<void> {
    await this.inner?.close()
  }
}

export interface PlaybookRun {
  exitCode: number
  results: TaskResultEvent[]
  stats: Record<string, HostStats>
}

/** Loads and checks the playbook (PlaybookError before any host is contacted), then runs it. */
export async function runPlaybook(modules: ModuleRegistry, file: string, sources: string[], options: RunOptions, reporter?: Reporter): Promise<PlaybookRun> {
  const loaded = loadPlaybook(file, modules, options)
  const inventory = await prepareInventory(sources, loaded.playbook.dir)
  const collector = new Collector(reporter)
  try {
    const summary = await new Runner(loaded, inventory, options, collector).run()
    return { exitCode: summary.exitCode, results: collector.results, stats: collector.stats }
  } finally {
    await collector.close()
  }
}

/** Only checks that a playbook loads: every step's files are checked before the first step runs. */
export function checkPlaybook(modules: ModuleRegistry, file: string, options: RunOptions): void {
  loadPlaybook(file, modules, options)
}
