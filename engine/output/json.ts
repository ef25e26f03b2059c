/** --json: one JSON document on stdout with every play, task, per-host result and the recap (Ansible's json callback shape). */
import type { FileDiff } from '../diff.js'
import type { HostStats, Reporter, RunEvent, TaskResultEvent } from '../events.js'
import { maskDiff } from './mask-diff.js'

interface JsonTask {
  task: { name: string; path?: string; handler: boolean }
  hosts: Record<string, Record<string, unknown>>
}
interface JsonPlay {
  play: { name: string; hosts: string[] }
  tasks: JsonTask[]
}

export class JsonReporter implements Reporter {
  private readonly plays: JsonPlay[] = []
  private readonly warnings: string[] = []
  private stats: Record<string, HostStats> = {}
  private aborted: string | undefined
  private readonly byTask = new Map<string, JsonTask>()
  /** A loop's item diffs, per task and host, in item order, until the task's result comes. */
  private readonly itemDiffs = new Map<string, FileDiff[][]>()

  constructor(private readonly write: (text: string) => void = (t) => process.stdout.write(t + '\n')) {}

  handle(event: RunEvent): void {
    switch (event.kind) {
      case 'play:start':
        this.plays.push({ play: { name: event.name, hosts: event.hosts }, tasks: [] })
        this.byTask.clear()
        break
      case 'task:start': {
        const task: JsonTask = { task: { name: event.task.name, handler: event.task.handler, ...(event.task.pos ? { path: `${event.task.pos.file}:${event.task.pos.line}` } : {}) }, hosts: {} }
        this.plays.at(-1)?.tasks.push(task)
        this.byTask.set(key(event.task.name, event.task.pos?.file, event.task.pos?.line), task)
        break
      }
      case 'task:item': {
        const k = `${key(event.result.task.name, event.result.task.pos?.file, event.result.task.pos?.line)}\0${event.result.host}`
        this.itemDiffs.set(k, [...(this.itemDiffs.get(k) ?? []), event.result.diff])
        break
      }
      case 'task:result': {
        const k = `${key(event.task.name, event.task.pos?.file, event.task.pos?.line)}\0${event.host}`
        this.taskOf(event).hosts[event.host] = withItemDiffs(hostResult(event), this.itemDiffs.get(k))
        this.itemDiffs.delete(k)
        break
      }
      case 'warning':
        this.warnings.push(event.message)
        break
      case 'recap':
        this.stats = event.stats
        this.aborted = event.aborted
        break
      default:
        break
    }
  }

  private taskOf(event: TaskResultEvent): JsonTask {
    const found = this.byTask.get(key(event.task.name, event.task.pos?.file, event.task.pos?.line))
    if (found) return found
    const task: JsonTask = { task: { name: event.task.name, handler: event.task.handler }, hosts: {} }
    this.plays.at(-1)?.tasks.push(task)
    return task
  }

  close(): void {
    this.write(JSON.stringify({ plays: this.plays, stats: this.stats, warnings: this.warnings, ...(this.aborted ? { aborted: this.aborted } : {}) }, null, 2))
  }
}

function key(name: string, file?: string, line?: number): string {
  return `${name}\0${file ?? ''}\0${line ?? ''}`
}

function hostResult(event: TaskResultEvent): Record<string, unknown> {
  return {
    ...event.result,
    status: event.status,
    changed: event.status === 'changed' || event.result['changed'] === true,
    ...(event.status === 'failed' ? { failed: true } : {}),
    ...(event.status === 'skipped' ? { skipped: true } : {}),
    ...(event.status === 'unreachable' ? { unreachable: true } : {}),
    ...(event.ignored ? { ignored: true } : {}),
    ...(event.msg !== undefined ? { msg: event.msg } : {}),
    ...(event.diff.length ? { diff: jsonDiff(event.diff) } : {}),
    ...(event.delegatedTo ? { delegated_to: event.delegatedTo } : {}),
    duration_ms: event.durationMs,
  }
}

function jsonDiff(diffs: FileDiff[]): Record<string, unknown>[] {
  return diffs.map(maskDiff).map((d) => ({ before_header: d.beforeHeader ?? d.header, after_header: d.afterHeader ?? d.header, before: d.before, after: d.after }))
}

/** As Ansible's json callback: each item of a loop's `results` carries its own `diff` (with --diff). */
function withItemDiffs(host: Record<string, unknown>, diffs: FileDiff[][] | undefined): Record<string, unknown> {
  const results = host['results']
  if (!diffs?.some((d) => d.length) || !Array.isArray(results)) return host
  return { ...host, results: results.map((r: unknown, i) => (diffs[i]?.length && r !== null && typeof r === 'object' ? { ...(r as Record<string, unknown>), diff: jsonDiff(diffs[i] ?? []) } : r)) }
}
