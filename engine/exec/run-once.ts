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
    private readonly run: Pick<RunContext, 'emit' | 'hostRun'>,
    private readonly vars: Pick<PlayVars, 'varsChanged'>,
  ) {}

  /** Each batch shows every task's banner again, as Ansible does. */
  newBatch(): void {
    this.announced.clear()
  }

  /**
   * run_once: the first host that renders it true runs the task; every host after it takes that
   * result (in Ansible's linear strategy the hosts after it are not even asked).
   */
  async runShared(host: HostRun, node: TaskNode, frame: Frame, runOnce: boolean, run: () => Promise<TaskOutcome>): Promise<TaskOutcome> {
    const key = [...frame.prefix, node.id].join('.')
    this.announce(node, frame)
    const first = this.shared.get(key)
    if (!first) {
      if (!runOnce) return run()
      const promise = run()
      this.shared.set(key, promise)
      return promise
    }
    const outcome = await first
    const factsHostOf = (index: number): HostRun | undefined => {
      const name = outcome.factsHosts?.[index]
      return name === undefined ? undefined : this.run.hostRun(name)
    }
    if (recordOutcome(host, node, outcome.status, outcome.result, factsHostOf)) this.vars.varsChanged()
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
