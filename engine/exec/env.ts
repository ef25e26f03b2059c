/**
 * What the parts of the executor need from the play they run in, as records of small parts
 * (stats, handlers, run_once sharing, the play's variables) rather than the play's runner:
 * a task's outcome goes to the part that keeps it, never back up into the caller.
 * Types only, so that every part may import it without an import cycle.
 */
import type { TaskResultEvent, TaskStatus } from '../events.js'
import type { Node, Play, RoleInstance, RoleNode, TaskNode } from '../playbook/types.js'
import type { VarLayer, VarScope } from '../vars.js'
import type { Barrier, Position } from './barrier.js'
import type { RunContext } from './run-context.js'
import type { Frame } from './frame.js'
import type { HostRun } from './hosts.js'

/** How a walk ended: carry on, the host failed, the host is unreachable, or the host/play ended. */
export type WalkResult = 'ok' | 'failed' | 'unreachable' | 'stop'

export interface TaskOutcome {
  status: TaskStatus
  ignored: boolean
  result: Record<string, unknown>
  msg?: string
  /** any_errors_fatal as the task rendered it on the host. */
  anyErrorsFatal?: boolean
  /** With delegate_facts: per execution (loop item), the host its facts went to. */
  factsHosts?: (string | undefined)[]
}

/** The variables a play gives its hosts' tasks. */
export interface PlayVars {
  readonly run: RunContext
  readonly play: Play
  /** Variables that are the same for every host of the batch (groups, hostvars, play_hosts, ...). */
  magic(): Record<string, unknown>
  varsFileLayers(host: string): VarLayer[]
  /** set_fact/register changed a host's variables: `hostvars` must be read afresh. */
  varsChanged(): void
  /** The play's roles with their dependencies, whose defaults (and vars) every task sees (play-roles.ts). */
  sharedRoles(): RoleInstance[]
  /** An include_role with `public: true`, or an import_role in a file included at run time, joins them. */
  makePublic(roles: readonly RoleInstance[]): void
}

/** Where results go: the recap's counts, and each host's last failure for its rescue (stats.ts). */
export interface PlayResults {
  /** Counts `event` and emits `shown`: the same, or its no_log censored copy. */
  record(event: TaskResultEvent, shown?: TaskResultEvent): void
  /** An include's own result, which the recap counts its own way (stats.ts). */
  included(event: TaskResultEvent, filesRead: number): void
  lastFailure(host: HostRun): Record<string, unknown>
  rescued(host: HostRun): void
}

/** The play's handlers: notified by tasks, run when flushed (handlers.ts). */
export interface PlayHandlers {
  notify(host: HostRun, names: readonly string[], scope: VarScope): void
  /** An include_role ran: its role's handlers can be notified from now on. */
  roleIncluded(node: RoleNode): void
  flush(walker: NodeWalker, prefix: Position): Promise<WalkResult>
}

/** Each task's banner once per batch, and run_once's one run shared by every host (run-once.ts). */
export interface TaskSharing {
  /** `runOnce`: the task's run_once as this host renders it (the first host that says yes runs it for all). */
  runShared(host: HostRun, node: TaskNode, frame: Frame, runOnce: boolean, run: () => Promise<TaskOutcome>): Promise<TaskOutcome>
  announce(node: Node, frame: Frame, host?: HostRun): void
}

/** Admits a host to a task while fewer than `limit` hosts run it (throttle.ts). */
export interface TaskThrottle {
  enter(task: string, limit: number): Promise<() => void>
}

/** What one task needs from its play. */
export interface TaskEnv {
  readonly run: RunContext
  readonly vars: PlayVars
  readonly stats: PlayResults
  readonly handlers: Pick<PlayHandlers, 'notify'>
}

/** What the walker of one host needs from its play, for one batch. */
export interface WalkEnv extends TaskEnv {
  readonly handlers: PlayHandlers
  readonly barrier: Barrier
  readonly sharing: TaskSharing
  /** The throttle keyword: how many hosts run each task at once. */
  readonly throttle: TaskThrottle
  /** Whether the play has ended (end_play, any_errors_fatal, max_fail_percentage). */
  stopped(): boolean
  end(reason: string): void
  /** Whether a role with these parameters runs for the first time on the host (roles run once). */
  firstRun(host: HostRun, node: RoleNode): boolean
}

/** Walks nodes for one host: how handlers, flushed, run on the host's walker. */
export interface NodeWalker {
  readonly host: HostRun
  walk(nodes: readonly Node[], frame: Frame): Promise<WalkResult>
}
