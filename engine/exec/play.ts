/** Runs one play: host selection, serial batches, facts, sections, handlers, failure rules. */
import { PlaybookError } from '../errors.js'
import { emptyStats, type TaskRef, type TaskResultEvent } from '../events.js'
import { findModule } from '../registry.js'
import { VarScope, type VarLayer } from '../vars.js'
import type { Node, Play, RoleNode, TaskNode } from '../playbook/types.js'
import { freeBarrier, LinearBarrier, type Barrier, type Position } from './barrier.js'
import type { RunContext } from './context.js'
import { childFrame, rootFrame, type Frame } from './frame.js'
import type { HostRun } from './hosts.js'
import { factsLayer, hostMagic, playMagic } from './scope.js'
import type { TaskOutcome } from './task.js'
import { HostWalker, type WalkResult } from './walk.js'
import { handlerEntries, type HandlerEntry } from './handlers.js'
import { loadVarsFiles } from './vars-files.js'
import { recordOutcome } from './outcome.js'

const SECTION = { facts: 0, pre: 1, preHandlers: 2, roles: 3, tasks: 4, taskHandlers: 5, post: 6, postHandlers: 7 } as const

export class PlayRun {
  barrier: Barrier = freeBarrier
  batch: string[] = []
  private ended: string | undefined
  private magicCache: Record<string, unknown> | undefined
  private readonly notified = new Map<string, Set<HandlerEntry>>()
  private readonly rolesRun = new Map<string, Set<string>>()
  private readonly shared = new Map<string, Promise<TaskOutcome>>()
  private readonly failures = new Map<string, Record<string, unknown>>()
  private readonly varsFiles = new Map<string, VarLayer[]>()
  private readonly parsedVarsFiles: Map<string, unknown>
  private readonly announced = new Set<string>()
  readonly handlers: HandlerEntry[]

  constructor(
    readonly run: RunContext,
    readonly play: Play,
    readonly playHosts: string[],
  ) {
    this.handlers = handlerEntries(play)
    this.parsedVarsFiles = new Map(play.parsedVarsFiles)
  }

  /** Runs every batch; returns why the play stopped early, if it did. */
  async execute(): Promise<string | undefined> {
    for (const batch of batches(this.playHosts, this.play.serial)) {
      this.batch = batch.filter((h) => !this.run.hostRun(h).failed && !this.run.hostRun(h).unreachable)
      if (!this.batch.length) continue
      // As in Ansible, each batch starts the play anew: its banner, then every task's banner again
      // (a later batch's results under the last task's banner read as that task's results).
      this.run.emit({ kind: 'play:start', name: this.play.name, hosts: this.batch, pos: this.play.pos })
      this.announced.clear()
      this.magicCache = undefined
      this.barrier = (this.play.strategy ?? this.run.options.strategy) === 'free' ? freeBarrier : new LinearBarrier(this.batch)
      await Promise.all(this.batch.map((h) => this.runHost(this.run.hostRun(h))))
      if (this.ended && this.ended !== 'end_play') return this.ended
      if (this.ended === 'end_play' || this.run.interrupted) return this.ended
    }
    return undefined
  }

  private async runHost(host: HostRun): Promise<void> {
    const walker = new HostWalker(this, host)
    try {
      let result: WalkResult = await this.gather(walker)
      const sections: [readonly Node[], number, number][] = [
        [this.play.preTasks, SECTION.pre, SECTION.preHandlers],
        [this.play.roles, SECTION.roles, -1],
        [this.play.tasks, SECTION.tasks, SECTION.taskHandlers],
        [this.play.postTasks, SECTION.post, SECTION.postHandlers],
      ]
      for (const [nodes, section, handlerSection] of sections) {
        if (result !== 'ok') break
        result = await walker.walk(nodes, rootFrame([section], this.play.attrs))
        if (handlerSection >= 0 && (result === 'ok' || (result === 'failed' && this.play.forceHandlers))) {
          const flushed = await this.flushHandlers(walker, [handlerSection])
          if (result === 'ok') result = flushed
        }
      }
      if (result === 'failed') this.hostFailed(host, walker.fatal)
      if (result === 'unreachable') {
        host.unreachable = true
        this.magicCache = undefined
      }
    } finally {
      this.barrier.leave(host.name)
    }
  }

  private async gather(walker: HostWalker): Promise<WalkResult> {
    const host = walker.host
    const gather = this.play.gatherFacts ?? !this.run.options.gatherExplicitly
    if (!gather || host.gathered) return 'ok'
    const setup = findModule('setup')
    if (!setup) return 'ok'
    const node: TaskNode = { id: 0, kind: 'task', pos: this.play.pos, dir: this.play.dir, name: 'Gathering Facts', moduleName: 'setup', module: setup, args: {}, attrs: { tags: ['always'], checkMode: false } }
    const result = await walker.walk([node], rootFrame([SECTION.facts], this.play.attrs))
    if (result === 'ok') host.gathered = true
    return result
  }

  /** Runs the host's notified handlers in definition order, each once. */
  async flushHandlers(walker: HostWalker, prefix: Position): Promise<WalkResult> {
    const pending = this.notified.get(walker.host.name)
    if (!pending?.size) return 'ok'
    for (const [index, entry] of this.handlers.entries()) {
      if (!pending.has(entry)) continue
      pending.delete(entry)
      let frame: Frame = rootFrame([...prefix, index], this.play.attrs, true)
      if (entry.role) frame = childFrame(frame, {}, `role ${entry.role.def.name}`, { role: entry.role })
      const result = await walker.walk([entry.node], frame)
      if (result !== 'ok') return result
    }
    return 'ok'
  }

  notify(host: HostRun, names: readonly string[], scope: VarScope): void {
    let pending = this.notified.get(host.name)
    if (!pending) this.notified.set(host.name, (pending = new Set()))
    for (const raw of names) {
      const name = String(scope.render(raw))
      const matches = this.handlers.filter((h) => h.names.includes(name) || h.listen.includes(name))
      if (!matches.length) {
        this.run.emit({ kind: 'warning', message: `[${host.name}] notified handler '${name}' does not exist` })
      }
      for (const m of matches) pending.add(m)
    }
  }

  taskRef(node: Node, frame: Frame): TaskRef {
    const role = node.role ?? frame.role
    const base = node.name ?? (node.kind === 'task' ? node.moduleName : node.kind)
    return { name: role ? `${role.def.name} : ${base}` : base, pos: node.pos, handler: frame.handler, ...(node.kind === 'task' ? { module: node.module.name } : {}) }
  }

  /** run_once: the first host runs the task; the others take its result. */
  async runShared(host: HostRun, node: TaskNode, frame: Frame, run: () => Promise<TaskOutcome>): Promise<TaskOutcome> {
    const key = [...frame.prefix, node.id].join('.')
    this.announce(key, node, frame)
    if (!(node.attrs.runOnce ?? frame.attrs.runOnce)) return run()
    const first = this.shared.get(key)
    if (!first) {
      const promise = run()
      this.shared.set(key, promise)
      return promise
    }
    const outcome = await first
    if (recordOutcome(host, node, outcome.status, outcome.result)) this.varsChanged()
    return outcome
  }

  /** Emits task:start once per task (the first host to reach it). */
  private announce(key: string, node: Node, frame: Frame): void {
    if (this.announced.has(key)) return
    this.announced.add(key)
    this.run.emit({ kind: 'task:start', task: this.taskRef(node, frame) })
  }

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
          this.failures.set(event.host, { ansible_failed_task: { name: event.task.name }, ansible_failed_result: event.result })
        }
        break
      case 'unreachable':
        if (event.ignored) stats.ignored++
        else stats.unreachable++
        break
    }
  }

  /** A failure outside a module (a bad include, a template error in a loop) reported as the task's result. */
  recordFailure(host: HostRun, node: Node, frame: Frame, msg: string): void {
    this.announce([...frame.prefix, node.id].join('.'), node, frame)
    this.record({ kind: 'task:result', task: this.taskRef(node, frame), host: host.name, status: 'failed', ignored: false, diff: [], actions: [], result: { failed: true, msg }, msg, durationMs: 0 })
  }

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

  hostFailed(host: HostRun, fatal: boolean): void {
    host.failed = true
    this.magicCache = undefined
    if (fatal || this.play.attrs.anyErrorsFatal) {
      this.end(`any_errors_fatal: ${host.name} failed`)
      return
    }
    const max = this.play.maxFailPercentage
    if (max !== undefined) {
      const failed = this.batch.filter((h) => this.run.hostRun(h).failed || this.run.hostRun(h).unreachable).length
      if ((failed / this.batch.length) * 100 > max) this.end(`max_fail_percentage ${max}% exceeded (${failed} of ${this.batch.length} hosts failed)`)
    }
  }

  firstRun(host: HostRun, node: RoleNode): boolean {
    if (node.instance.def.allowDuplicates) return true
    let done = this.rolesRun.get(host.name)
    if (!done) this.rolesRun.set(host.name, (done = new Set()))
    const key = `${node.instance.def.path}\0${JSON.stringify(node.instance.params)}`
    if (done.has(key)) return false
    done.add(key)
    return true
  }

  end(reason: string): void {
    this.ended ??= reason
  }

  stopped(): boolean {
    return this.ended !== undefined
  }

  activeHosts(): string[] {
    return this.batch.filter((h) => !this.run.hostRun(h).failed && !this.run.hostRun(h).unreachable)
  }

  /** set_fact/register changed a host's variables: `hostvars` must read them afresh. */
  varsChanged(): void {
    this.magicCache = undefined
  }

  magic(): Record<string, unknown> {
    this.magicCache ??= playMagic(this)
    return this.magicCache
  }

  varsFileLayers(host: string): VarLayer[] {
    if (!this.play.varsFiles.length) return []
    let layers = this.varsFiles.get(host)
    if (!layers) {
      const hostRun = this.run.hostRun(host)
      const scope = new VarScope([
        ...this.run.inventoryLayers(host),
        factsLayer(hostRun),
        { source: 'play vars', vars: this.play.attrs.vars ?? {} },
        { source: 'extra vars', vars: this.run.options.extraVars },
        { source: 'magic', vars: { ...this.magic(), ...hostMagic(this.run.inventory, host) } },
      ])
      layers = loadVarsFiles(this.play, scope, this.parsedVarsFiles)
      this.varsFiles.set(host, layers)
    }
    return layers
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

/** Every notify in the play must name a handler (or a listen topic): checked before any host is contacted. */
export function checkNotifies(play: Play, handlers: HandlerEntry[]): void {
  const known = new Set(handlers.flatMap((h) => [...h.names, ...h.listen]))
  const visit = (nodes: readonly Node[]): void => {
    for (const node of nodes) {
      if (node.kind === 'task') {
        for (const name of node.attrs.notify ?? []) {
          if (!name.includes('{{') && !known.has(name)) {
            throw new PlaybookError(`notify: no handler named '${name}' in this play (handlers: ${[...known].join(', ') || 'none'})`, node.pos)
          }
        }
      } else if (node.kind === 'block') visit([...node.block, ...node.rescue, ...node.always])
      else if (node.kind === 'role') visit([...node.dependencies, ...node.tasks])
      else if (node.kind === 'include_tasks' && node.preloaded) visit(node.preloaded)
      else if (node.kind === 'include_role' && node.preloaded) visit([node.preloaded])
    }
  }
  visit([...play.preTasks, ...play.roles, ...play.tasks, ...play.postTasks, ...handlers.map((h) => h.node)])
}
