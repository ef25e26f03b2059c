/** Per task of a batch: its banner, shown once, and run_once's one run shared by every host. */
import { pythonStr } from '../expr/index.js'
import type { Node, TaskNode } from '../playbook/types.js'
import type { RunContext } from './run-context.js'
import type { PlayVars, TaskOutcome, TaskSharing } from './env.js'
import { taskRef, type Frame } from './frame.js'
import type { HostRun } from './hosts.js'
import { recordOutcome } from './outcome.js'
import { buildScope } from './scope.js'

export class TaskBanners implements TaskSharing {
  private readonly announced = new Set<string>()
  private readonly shared = new Map<string, Promise<TaskOutcome>>()

  constructor(
    private readonly run: Pick<RunContext, 'emit' | 'hostRun'>,
    private readonly vars: PlayVars,
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
    this.announce(node, frame, host)
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

  /** Emits task:start once per task (the first host to reach it), its name templated with that host's variables. */
  announce(node: Node, frame: Frame, host?: HostRun): void {
    const key = [...frame.prefix, node.id].join('.')
    if (this.announced.has(key)) return
    this.announced.add(key)
    this.run.emit({ kind: 'task:start', task: taskRef(node, frame, host && this.bannerName(node, frame, host)) })
  }

  /**
   * Ansible templates the banner's name (only the banner's) with the first host's variables,
   * leaving it as written when a variable is not defined yet (a loop's `item`, a later fact).
   */
  private bannerName(node: Node, frame: Frame, host: HostRun): string | undefined {
    if (!node.name?.includes('{')) return undefined
    try {
      const rendered = buildScope(this.vars, host, frame, node.attrs.vars ? { taskVars: node.attrs.vars } : {}).render(node.name)
      return pythonStr(rendered)
    } catch {
      return undefined
    }
  }
}
