/**
 * Hides secrets from every reporter: wraps one, and hands it each event with every registered
 * secret masked (results, messages, item labels, actions, log lines, warnings, task names).
 * Diffs are left whole for the reporters to mask after diffing (mask-diff.ts), so that a
 * changed secret line still reads as changed; every reporter renders diffs through it.
 */
import type { Reporter, RunEvent, TaskResultEvent } from '../events.js'
import { scrubDeep } from '../secrets.js'

export class ScrubbingReporter implements Reporter {
  constructor(private readonly inner: Reporter) {}

  handle(event: RunEvent): void {
    this.inner.handle(scrubEvent(event))
  }

  close(): Promise<void> | void {
    return this.inner.close()
  }
}

export function scrubEvent(event: RunEvent): RunEvent {
  if (event.kind === 'task:result') return scrubResult(event)
  if (event.kind === 'task:item') return { ...event, result: scrubResult(event.result) }
  return scrubDeep(event)
}

function scrubResult(event: TaskResultEvent): TaskResultEvent {
  const { diff, ...rest } = event
  return { ...scrubDeep(rest), diff }
}
