/** A play's results: counted into the recap, and each host's last failure kept for its rescue. */
import { emptyStats, type TaskResultEvent } from '../events.js'
import type { RunContext } from './run-context.js'
import type { PlayResults } from './env.js'
import type { HostRun } from './hosts.js'

export class PlayStats implements PlayResults {
  private readonly failures = new Map<string, Record<string, unknown>>()

  constructor(private readonly run: Pick<RunContext, 'emit' | 'stats'>) {}

  /** Counts `event` and emits `shown`: the same, or its no_log censored copy. */
  record(event: TaskResultEvent, shown: TaskResultEvent = event): void {
    this.run.emit(shown)
    let stats = this.run.stats.get(event.host)
    if (!stats) this.run.stats.set(event.host, (stats = emptyStats()))
    switch (event.status) {
      case 'ok':
        stats.ok++
        break
      case 'changed':
        stats.ok++
        stats.changed++
        break
      case 'skipped':
        stats.skipped++
        break
      case 'failed':
        if (event.ignored) {
          // As Ansible counts an ignored failure: ok, ignored, and changed if it changed something.
          stats.ok++
          stats.ignored++
          if (event.result['changed'] === true) stats.changed++
        } else {
          stats.failed++
          this.failures.set(event.host, { ansible_failed_task: { name: event.task.ownName ?? event.task.name }, ansible_failed_result: event.result })
        }
        break
      case 'unreachable':
        if (event.ignored) stats.ignored++
        else stats.unreachable++
        break
    }
  }

  /**
   * An include's own result: Ansible counts a skipped include as skipped, but an include that ran
   * not as ok: instead each file an include_tasks read counts ok once (include_role: never).
   */
  included(event: TaskResultEvent, filesRead: number): void {
    if (event.status !== 'ok') return this.record(event)
    this.run.emit(event)
    let stats = this.run.stats.get(event.host)
    if (!stats) this.run.stats.set(event.host, (stats = emptyStats()))
    stats.ok += filesRead
  }

  /** The variables a rescue section sees: the failed task and its result. */
  lastFailure(host: HostRun): Record<string, unknown> {
    return this.failures.get(host.name) ?? {}
  }

  rescued(host: HostRun): void {
    const stats = this.run.stats.get(host.name)
    if (stats) {
      stats.failed = Math.max(0, stats.failed - 1)
      stats.rescued++
    }
  }
}
