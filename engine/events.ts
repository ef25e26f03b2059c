/** The executor emits typed events; the live view, plain output and JSON are reporters that consume them. */
import type { FileDiff } from './diff.js'
import type { SourcePos } from './errors.js'

export type TaskStatus = 'ok' | 'changed' | 'failed' | 'skipped' | 'unreachable'

export interface HostStats {
  ok: number
  changed: number
  unreachable: number
  failed: number
  skipped: number
  rescued: number
  ignored: number
}

export function emptyStats(): HostStats {
  return { ok: 0, changed: 0, unreachable: 0, failed: 0, skipped: 0, rescued: 0, ignored: 0 }
}

export interface TaskRef {
  /** The task's name as shown (role prefix included: "nginx : install"). */
  name: string
  /**
   * The task's own name, rendered with its variables, without the role prefix ('' when it has
   * none): what Ansible's `ansible_failed_task.name` holds.
   */
  ownName?: string
  pos?: SourcePos
  handler: boolean
  /** The module it calls (debug results are shown at every verbosity, as in Ansible). */
  module?: string
}

export interface TaskResultEvent {
  kind: 'task:result'
  task: TaskRef
  host: string
  status: TaskStatus
  /** A failure that ignore_errors/ignore_unreachable let pass. */
  ignored: boolean
  /** Delegated: where it ran. */
  delegatedTo?: string
  msg?: string
  /** Per-item label when this result is one loop item. */
  item?: string
  diff: FileDiff[]
  /** The module's result (censored when no_log, in what reporters get). */
  result: Record<string, unknown>
  /** Lines of detail (actions) for -v. */
  actions: string[]
  durationMs: number
}

export type RunEvent =
  | { kind: 'playbook:start'; file: string; check: boolean }
  | { kind: 'play:start'; name: string; hosts: string[]; pos: SourcePos }
  | { kind: 'task:start'; task: TaskRef }
  | TaskResultEvent
  | { kind: 'task:item'; result: TaskResultEvent }
  | { kind: 'handlers:start' }
  | { kind: 'play:end'; name: string }
  | { kind: 'warning'; message: string }
  /** level: the -v count from which the line shows (0: always, as Ansible's retry lines). */
  | { kind: 'log'; host?: string; level: 0 | 1 | 2 | 3 | 4; message: string }
  | { kind: 'no-hosts'; play: string; pattern: string }
  | { kind: 'recap'; stats: Record<string, HostStats>; aborted?: string }

export interface Reporter {
  handle(event: RunEvent): void
  /** Called once at the end (flush output, stop the live view). */
  close(): Promise<void> | void
}
