/** Per task of a batch: its banner, shown once, and run_once's one run shared by every host. */
import type { Node, TaskNode } from '../playbook/types.js'
import type { RunContext } from './run-context.js'
import type { PlayVars, TaskOutcome, TaskSharing } from './env.js'
import { taskRef, type Frame } from './frame.js'
import type { HostRun } from './hosts.js'
import { recordOutcome } from './outcome.js'

export class TaskBanners implements TaskSharing {
  private readonly announced = new Set<string>()
  private readonly shared = new Map<string, Promise<TaskOutcome>>()

  constructor(
    private readonly run: Pick<RunContext, 'emit'>,
    private readonly vars: Pick<PlayVars, 'varsChanged'>,
  ) {}

  /** Each batch shows every task's banner again, as Ansible does. */
  newBatch(): void {
    this.announced.clear()
  }

  /** run_once: the first host runs the task; the others take its result. */
  async runShared(host: HostRun, node: TaskNode, frame: Frame, run: () => Promise<TaskOutcome>): Promise<TaskOutcome> {
    const key = [...frame.prefix, node.id].join('.')
    this.announce(node, frame)
    if (!(node.attrs.runOnce ?? frame.attrs.runOnce)) return run()
    const first = this.shared.get(key)
    if (!first) {
      const promise = run()
      this.shared.set(key, promise)
      return promise
    }
    const outcome = await first
    if (recordOutcome(host, node, outcome.status, outcome.result)) this.vars.varsChanged()
    return outcome
  }

  /** Emits task:start once per task (the first host to reach it). */
  announce(node: Node, frame: Frame): void {
    const key = [...frame.prefix, node.id].join('.')
    if (this.announced.has(key)) return
    this.announced.add(key)
    this.run.emit({ kind: 'task:start', task: taskRef(node, frame) })
  }
}
