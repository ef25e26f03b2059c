/** Runs one play: host selection, serial batches, facts, sections, handlers, failure rules. */
import type { Node, Play, RoleNode, TaskNode } from '../playbook/types.js'
import { freeBarrier, LinearBarrier, type Barrier } from './barrier.js'
import type { RunContext } from './run-context.js'
import type { WalkEnv, WalkResult } from './env.js'
import { rootFrame } from './frame.js'
import { HandlerQueue } from './handlers.js'
import type { HostRun } from './hosts.js'
import { TaskBanners } from './run-once.js'
import { allowsDuplicates, roleRunKey } from './play-roles.js'
import { Throttle } from './throttle.js'
import { PlayScope } from './scope.js'
import { PlayStats } from './stats.js'
import { HostWalker } from './walk.js'

const SECTION = { facts: 0, pre: 1, preHandlers: 2, roles: 3, tasks: 4, taskHandlers: 5, post: 6, postHandlers: 7 } as const

export class PlayRun {
  private barrier: Barrier = freeBarrier
  private batch: string[] = []
  private ended: string | undefined
  private readonly rolesRun = new Map<string, Set<string>>()
  private readonly vars: PlayScope
  private readonly stats: PlayStats
  private readonly handlers: HandlerQueue
  private readonly sharing: TaskBanners
  private readonly throttle = new Throttle()

  constructor(
    readonly run: RunContext,
    readonly play: Play,
    readonly playHosts: string[],
  ) {
    this.vars = new PlayScope(run, play, playHosts)
    this.stats = new PlayStats(run)
    this.handlers = new HandlerQueue(this.vars)
    this.sharing = new TaskBanners(run, this.vars)
  }

  /** Runs every batch; returns why the play stopped early, if it did. */
  async execute(): Promise<string | undefined> {
    for (const batch of batches(this.playHosts, this.play.serial)) {
      this.batch = batch.filter((h) => !this.run.hostRun(h).failed && !this.run.hostRun(h).unreachable)
      if (!this.batch.length) continue
      // As in Ansible, each batch starts the play anew: its banner, then every task's banner again
      // (a later batch's results under the last task's banner read as that task's results).
      this.run.emit({ kind: 'play:start', name: this.play.name, hosts: this.batch, pos: this.play.pos })
      this.sharing.newBatch()
      this.vars.newBatch(this.batch)
      this.barrier = (this.play.strategy ?? this.run.options.strategy) === 'free' ? freeBarrier : new LinearBarrier(this.batch)
      const env = this.walkEnv()
      await Promise.all(this.batch.map((h) => this.runHost(env, this.run.hostRun(h))))
      if (this.ended && this.ended !== 'end_play') return this.ended
      if (this.ended === 'end_play' || this.run.interrupted) return this.ended
      // As in Ansible, a batch that failed on every host stops the play and the playbook: a
      // rolling change (serial: 1) that broke one host never goes on to the next.
      if (this.batch.every((h) => this.run.hostRun(h).failed || this.run.hostRun(h).unreachable)) {
        return `every host of a batch failed (${this.batch.join(', ')}): the play's later batches and the playbook's later plays do not run`
      }
    }
    return undefined
  }

  /** What the batch's walkers see of the play. */
  private walkEnv(): WalkEnv {
    return {
      run: this.run,
      vars: this.vars,
      stats: this.stats,
      handlers: this.handlers,
      sharing: this.sharing,
      throttle: this.throttle,
      barrier: this.barrier,
      stopped: () => this.ended !== undefined,
      end: (reason) => this.end(reason),
      firstRun: (host, node) => this.firstRun(host, node),
    }
  }

  private async runHost(env: WalkEnv, host: HostRun): Promise<void> {
    const walker = new HostWalker(env, host)
    try {
      let result: WalkResult = await this.gather(walker)
      // As Ansible's Play.compile: handlers flush after pre_tasks, after roles and tasks (one
      // section), after post_tasks; with force_handlers each flush is the section's `always`.
      const sections: [[readonly Node[], number][], number][] = [
        [[[this.play.preTasks, SECTION.pre]], SECTION.preHandlers],
        [[[this.play.roles, SECTION.roles], [this.play.tasks, SECTION.tasks]], SECTION.taskHandlers],
        [[[this.play.postTasks, SECTION.post]], SECTION.postHandlers],
      ]
      const force = this.play.forceHandlers ?? this.run.options.forceHandlers === true
      for (const [parts, handlerSection] of sections) {
        if (result !== 'ok') break
        for (const [nodes, section] of parts) {
          if (result === 'ok') result = await walker.walk(nodes, rootFrame([section], this.play.attrs))
        }
        if (result === 'ok' || (result === 'failed' && force)) {
          const flushed = await this.handlers.flush(walker, [handlerSection])
          if (result === 'ok') result = flushed
        }
      }
      if (result === 'failed') this.hostFailed(host, walker.fatal)
      if (result === 'unreachable') {
        host.unreachable = true
        this.vars.varsChanged()
      }
    } finally {
      this.barrier.leave(host.name)
    }
  }

  private async gather(walker: HostWalker): Promise<WalkResult> {
    const host = walker.host
    const gather = this.play.gatherFacts ?? !this.run.options.gatherExplicitly
    if (!gather || host.gathered) return 'ok'
    const setup = this.run.modules.find('setup')
    if (!setup) return 'ok'
    const node: TaskNode = { id: 0, kind: 'task', pos: this.play.pos, dir: this.play.dir, name: 'Gathering Facts', moduleName: 'setup', module: setup, args: {}, attrs: { tags: ['always'], checkMode: false } }
    const result = await walker.walk([node], rootFrame([SECTION.facts], this.play.attrs))
    if (result === 'ok') host.gathered = true
    return result
  }

  private hostFailed(host: HostRun, fatal: boolean): void {
    host.failed = true
    this.vars.varsChanged()
    // A template in the play's any_errors_fatal is rendered by each task, which inherits it (`fatal`).
    if (fatal || this.play.attrs.anyErrorsFatal === true) {
      this.end(`any_errors_fatal: ${host.name} failed`)
      return
    }
    const max = this.play.maxFailPercentage
    if (max !== undefined) {
      const failed = this.batch.filter((h) => this.run.hostRun(h).failed || this.run.hostRun(h).unreachable).length
      if ((failed / this.batch.length) * 100 > max) this.end(`max_fail_percentage ${max}% exceeded (${failed} of ${this.batch.length} hosts failed)`)
    }
  }

  /**
   * Roles run once per host and parameters, unless they allow duplicates. Every run is remembered,
   * also of a role that allows duplicates: a later use that does not (include_role's
   * allow_duplicates: false) is then skipped, as in Ansible.
   */
  private firstRun(host: HostRun, node: RoleNode): boolean {
    let done = this.rolesRun.get(host.name)
    if (!done) this.rolesRun.set(host.name, (done = new Set()))
    const key = roleRunKey(node)
    const seen = done.has(key)
    done.add(key)
    return allowsDuplicates(node) || !seen
  }

  private end(reason: string): void {
    this.ended ??= reason
  }
}

/** serial: numbers, percentages, or a list of them (the last repeats), as in Ansible. */
export function batches(hosts: readonly string[], serial: readonly (number | string)[]): string[][] {
  if (!serial.length) return [hosts.slice()]
  const out: string[][] = []
  let i = 0
  let step = 0
  while (i < hosts.length) {
    const spec = serial[Math.min(step, serial.length - 1)] as number | string
    let size = typeof spec === 'string' ? Math.floor((hosts.length * parseInt(spec, 10)) / 100) : spec
    if (size <= 0) size = typeof spec === 'number' && spec === 0 ? hosts.length : 1
    out.push(hosts.slice(i, i + size))
    i += size
    step++
  }
  return out
}
