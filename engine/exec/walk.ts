/** Walks a host through a task tree: blocks with rescue/always, roles, includes, meta. */
import { PlaybookError, TemplateError, TsplayError, taskFailureMessage } from '../errors.js'
import type { TaskResultEvent } from '../events.js'
import { truthy } from '../expr/index.js'
import { dataLayer, type VarLayer, type VarScope } from '../vars.js'
import type { NodeWalker, TaskOutcome, WalkEnv, WalkResult } from './env.js'
import { childFrame, taskRef, type Frame } from './frame.js'
import type { HostRun } from './hosts.js'
import { includedWhat, includeParams, includeResult, itemLabel, parentRoleParams } from './include-params.js'
import { itemLoopVars, loopItems, renderedLoopControl } from './loop.js'
import { searchPath } from './magic.js'
import { importedRoles } from './play-roles.js'
import { buildScope, playLevelScope } from './scope.js'
import { renderedTags, selectedByTags } from './tags.js'
import { includeKeywords, queueKeywords, type QueueKeywords } from './queue-keywords.js'
import { runTask } from './task.js'
import type { BlockNode, IncludeRoleNode, IncludeTasksNode, MetaNode, Node, RoleFromFiles, RoleNode, TaskNode } from '../playbook/types.js'

/**
 * A recursive include_tasks/include_role is fine while its `when:` stops it (as in Ansible);
 * one that never stops fails the host at this depth, naming the file, instead of running forever.
 */
export const MAX_INCLUDE_DEPTH = 200

export class HostWalker implements NodeWalker {
  constructor(
    private readonly env: WalkEnv,
    readonly host: HostRun,
  ) {}

  async walk(nodes: readonly Node[], frame: Frame): Promise<WalkResult> {
    for (const node of nodes) {
      const result = await this.node(node, frame)
      if (result !== 'ok') return result
    }
    return 'ok'
  }

  private node(node: Node, frame: Frame): Promise<WalkResult> {
    switch (node.kind) {
      case 'task':
        return this.task(node, frame)
      case 'meta':
        return this.meta(node, frame)
      case 'block':
        return this.block(node, frame)
      case 'role':
        return this.role(node, frame)
      case 'include_tasks':
        return this.includeTasks(node, frame)
      case 'include_role':
        return this.includeRole(node, frame)
    }
  }

  /** Waits for its turn (linear strategy), then reports whether the host should still run. */
  private async arrive(node: Node, frame: Frame): Promise<boolean> {
    if (this.env.stopped() || this.env.run.interrupted) return false
    await this.env.barrier.arrive(this.host.name, [...frame.prefix, node.id])
    return !this.env.stopped() && !this.env.run.interrupted
  }

  private selected(node: TaskNode | MetaNode | IncludeTasksNode | IncludeRoleNode, frame: Frame): boolean {
    // As Ansible 2.14: a notified handler runs whatever --tags says, and so do the tasks it includes.
    if (frame.handler) return true
    const opts = this.env.run.options
    const tags = renderedTags([...frame.tags, ...(node.attrs.tags ?? [])], () => playLevelScope(this.env.vars, frame.role))
    return selectedByTags(tags, opts.tags, opts.skipTags)
  }

  private async task(node: TaskNode, frame: Frame): Promise<WalkResult> {
    if (!this.selected(node, frame)) return 'ok'
    if (!(await this.arrive(node, frame))) return 'stop'
    let queueing: QueueKeywords
    try {
      queueing = queueKeywords(this.env, this.host, node, frame)
    } catch (err) {
      this.recordFailure(this.host, node, frame, taskFailureMessage(err, node.pos))
      return this.verdict('failed', false, false)
    }
    const { runOnce, throttle } = queueing
    const key = [...frame.prefix, node.id].join('.')
    const outcome = await this.env.sharing.runShared(this.host, node, frame, runOnce, async () => {
      // As Ansible, throttle does not apply to a run_once task (one host runs it anyway).
      const leave = throttle > 0 && !runOnce ? await this.env.throttle.enter(key, throttle) : undefined
      try {
        return (await this.env.run.queue.add(() => runTask(this.env, this.host, node, frame))) as TaskOutcome
      } finally {
        leave?.()
      }
    })
    return this.verdict(outcome.status, outcome.ignored, outcome.anyErrorsFatal)
  }

  /** any_errors_fatal of the task that failed last (the play decides once the failure is not rescued). */
  fatal = false

  /** How many times meta clear_host_errors ran: one in a block's always ends that block's failure. */
  private errorsCleared = 0

  private verdict(status: string, ignored: boolean, anyErrorsFatal: boolean | undefined): WalkResult {
    if (ignored) return 'ok'
    if (status === 'unreachable') return 'unreachable'
    if (status === 'failed') {
      this.fatal = anyErrorsFatal ?? false
      return 'failed'
    }
    return 'ok'
  }

  private async meta(node: MetaNode, frame: Frame): Promise<WalkResult> {
    if (node.action !== 'flush_handlers' && !this.selected(node, frame)) return 'ok'
    if (!(await this.arrive(node, frame))) return 'stop'
    // As Ansible's _execute_meta: the task's banner, then (at -vv) what it did or why not.
    this.env.sharing.announce(node, frame, this.host)
    const said = (message: string): void => this.env.run.emit({ kind: 'log', host: this.host.name, level: 2, message: `META: ${message}` })
    const scope = buildScope(this.env.vars, this.host, frame)
    try {
      for (const condition of [...frame.conditions, ...(node.attrs.when ?? [])]) {
        if (!truthy(scope.evaluate(condition))) {
          said(`${node.action} conditional evaluated to False${metaSkipped(node.action, this.host.name)}`)
          return 'ok'
        }
      }
    } catch (err) {
      // ansible-playbook 2.14 stops the whole run here (exit 1); it names the task, and so do we.
      if (err instanceof TemplateError) throw new TemplateError(taskFailureMessage(err, node.pos), { cause: err })
      throw err
    }
    // Ansible stops the run here (exit 1): a flush inside a flush has no meaning.
    if (node.action === 'flush_handlers' && frame.handler) throw new TsplayError('flush_handlers cannot be used as a handler')
    said(metaDone(node.action, this.host.name))
    switch (node.action) {
      case 'flush_handlers':
        return this.env.handlers.flush(this, [...frame.prefix, node.id])
      case 'end_host':
        return 'stop'
      case 'end_play':
        this.env.end('end_play')
        return 'stop'
      case 'clear_facts':
        this.host.state.facts = {}
        this.host.gathered = false
        return 'ok'
      case 'reset_connection':
        await this.host.close()
        return 'ok'
      case 'clear_host_errors':
        this.errorsCleared++
        return 'ok'
      default:
        return 'ok'
    }
  }

  private async block(node: BlockNode, frame: Frame): Promise<WalkResult> {
    const inner = childFrame(frame, node.attrs, `block vars (${node.pos.file}:${node.pos.line})`)
    let result = await this.walk(node.block, inner)
    if (result === 'failed' && node.rescue.length) {
      this.env.stats.rescued(this.host)
      const failure = this.env.stats.lastFailure(this.host)
      // The failed task's result is what the host said: data, never a template.
      const rescueFrame: Frame = { ...inner, layers: [...inner.layers, dataLayer('rescue', failure)] }
      result = await this.walk(node.rescue, rescueFrame)
    }
    if ((result === 'ok' || result === 'failed') && node.always.length) {
      const cleared = this.errorsCleared
      const always = await this.walk(node.always, inner)
      if (always !== 'ok') result = always
      // As Ansible's iterator: clear_host_errors resets the host's failed state, so it goes on after the block.
      else if (result === 'failed' && this.errorsCleared > cleared) {
        result = 'ok'
        this.host.clearedFailures++
      }
    }
    return result
  }

  async role(node: RoleNode, frame: Frame): Promise<WalkResult> {
    if (!this.env.firstRun(this.host, node)) return 'ok'
    let roleFrame = childFrame(frame, node.attrs, `role ${node.instance.def.name}`, { role: node.instance })
    // An import_role inside a role passes on what an include_role there would.
    if (node.imported && node.instance.parent) roleFrame = { ...roleFrame, includeParams: [...(frame.includeParams ?? []), ...parentRoleParams(node.instance.parent, frame)] }
    for (const dep of node.dependencies) {
      const result = await this.role(dep, { ...roleFrame, role: node.instance })
      if (result !== 'ok') return result
    }
    return this.walk(node.tasks, roleFrame)
  }

  private async includeTasks(node: IncludeTasksNode, frame: Frame): Promise<WalkResult> {
    return this.include(node, frame, (scope) => {
      const loader = this.env.run.loader
      const file = node.preloaded ? '' : String(scope.render(node.file))
      const nodes =
        node.preloaded ??
        loader.includedOnce(node.id, file, () => loader.loadTaskFile(file, { file: node.pos.file, dir: node.dir, loader, ...(node.role ? { role: node.role } : {}), ...(frame.handler ? { handlers: 'top' as const } : {}) }, node.pos, true))
      this.env.run.emitLoadWarnings()
      // Ansible adds an import_role to the play's roles when its file is read: here, when included.
      this.env.vars.makePublic(importedRoles(nodes))
      return (itemFrame) => this.walk(nodes, itemFrame)
    })
  }

  private async includeRole(node: IncludeRoleNode, frame: Frame): Promise<WalkResult> {
    return this.include(node, frame, (scope) => {
      const roleNode = node.preloaded ?? this.loadIncludedRole(node, scope)
      this.env.run.emitLoadWarnings()
      this.env.vars.makePublic([...(node.public ? [roleNode.instance] : []), ...importedRoles([roleNode])])
      this.env.handlers.roleIncluded(roleNode)
      // include_role runs its role every time unless its own allow_duplicates is false.
      return (itemFrame) => this.role({ ...roleNode, allowDuplicates: node.allowDuplicates ?? true }, itemFrame)
    })
  }

  /** A role whose name or `*_from` files are templates: rendered per host, loaded once per result. */
  private loadIncludedRole(node: IncludeRoleNode, scope: VarScope): RoleNode {
    const loader = this.env.run.loader
    const name = String(scope.render(node.roleName))
    const tasksFrom = String(scope.render(node.tasksFrom))
    const from = Object.fromEntries(Object.entries(node.from ?? {}).map(([kind, file]) => [kind, String(scope.render(file))])) as RoleFromFiles
    const use = { ...from, ...(Object.keys(node.roleVars).length ? { lineVars: node.roleVars } : {}) }
    return loader.includedOnce(node.id, JSON.stringify([name, tasksFrom, from]), () => loader.loadRole(name, {}, {}, tasksFrom, node.pos, node.role, false, true, use))
  }

  /**
   * Dynamic includes: when and loop apply to the include, per host and item; the include's own
   * keywords stay on it (Ansible skips a dynamic parent when tasks inherit), `apply:` goes onto the
   * included tasks, and its vars and item are include params. Each pass gets its own positions.
   * `load` reads what a pass includes (an error there fails the include) and gives what runs it.
   */
  private async include(node: IncludeTasksNode | IncludeRoleNode, frame: Frame, load: (scope: VarScope) => (itemFrame: Frame) => Promise<WalkResult>): Promise<WalkResult> {
    if (!this.selected(node, frame)) return 'ok'
    if (!(await this.arrive(node, frame))) return 'stop'
    const started = Date.now()
    const { when, vars, loop } = node.attrs
    // An include's file name may come from a lookup (`include_tasks: "{{ lookup('first_found', files) }}"`): it searches as a task's would.
    const taskMagic = { ansible_search_path: searchPath(node.role ?? frame.role, node.dir, this.env.run.playbookDir) }
    const taskVars = vars ? { taskVars: vars, taskMagic } : { taskMagic }
    const passes: { index: number; params: VarLayer[]; scope: VarScope }[] = []
    try {
      const scope = buildScope(this.env.vars, this.host, frame, taskVars)
      const includeDepth = (frame.includeDepth ?? 0) + 1
      if (includeDepth > MAX_INCLUDE_DEPTH) {
        const what = node.kind === 'include_tasks' ? `include_tasks ${String(scope.render(node.file))}` : `include_role ${String(scope.render(node.roleName))}`
        throw new PlaybookError(`${what}: includes nested more than ${MAX_INCLUDE_DEPTH} deep; a recursive include needs a when: that stops it`, node.pos)
      }
      const items = loop ? loopItems(loop.kind, scope.render(loop.value), scope) : [undefined]
      const loopControl = loop ? renderedLoopControl(node.attrs.loopControl, scope) : undefined
      const reported: Record<string, unknown>[] = []
      for (const index of items.keys()) {
        const loopVars = loop ? itemLoopVars(loopControl, items, index) : undefined
        const params = includeParams(node, frame, loopVars)
        const itemScope = buildScope(this.env.vars, this.host, { ...frame, includeParams: [...(frame.includeParams ?? []), ...params] }, taskVars)
        const included = [...frame.conditions, ...(when ?? [])].every((condition) => truthy(itemScope.evaluate(condition)))
        reported.push(included ? { ...includedWhat(node, itemScope), ...loopVars } : { changed: false, skipped: true, ...loopVars })
        if (included) passes.push({ index, params, scope: itemScope })
      }
      this.env.sharing.announce(node, frame, this.host)
      const { status, result } = includeResult(loop !== undefined, reported)
      const event: TaskResultEvent = { kind: 'task:result', task: taskRef(node, frame), host: this.host.name, status, ignored: false, diff: [], actions: [], result, durationMs: Date.now() - started }
      if (loop) for (const pass of reported) this.env.run.emit({ kind: 'task:item', result: { ...event, status: pass['skipped'] === true ? 'skipped' : 'ok', result: pass, item: itemLabel(pass) } })
      this.env.stats.included(event, node.kind === 'include_tasks' ? passes.length : 0)
    } catch (err) {
      return this.includeFailed(node, frame, err)
    }
    // The included tasks' own errors are theirs: only an error in reading the file fails the include.
    for (const pass of passes) {
      const applied = childFrame(frame, node.apply ?? {}, `apply vars (${node.pos.file}:${node.pos.line})`, { prefix: [...frame.prefix, node.id, pass.index], includeDepth: (frame.includeDepth ?? 0) + 1 })
      const itemFrame = { ...applied, includeParams: [...(frame.includeParams ?? []), ...pass.params] }
      let run: (itemFrame: Frame) => Promise<WalkResult>
      try {
        run = load(pass.scope)
      } catch (err) {
        return this.includeFailed(node, frame, err)
      }
      const result = await run(itemFrame)
      if (result !== 'ok') return result
    }
    return 'ok'
  }

  private includeFailed(node: IncludeTasksNode | IncludeRoleNode, frame: Frame, err: unknown): WalkResult {
    const msg = taskFailureMessage(err, node.pos)
    this.recordFailure(this.host, node, frame, msg)
    const keywords = includeKeywords(this.env, this.host, node, frame)
    return this.verdict('failed', keywords.ignoreErrors, keywords.anyErrorsFatal)
  }

  /** A failure outside a module (a bad include, a template error in a loop) reported as the task's result. */
  private recordFailure(host: HostRun, node: Node, frame: Frame, msg: string): void {
    this.env.sharing.announce(node, frame, host)
    this.env.stats.record({ kind: 'task:result', task: taskRef(node, frame), host: host.name, status: 'failed', ignored: false, diff: [], actions: [], result: { failed: true, msg }, msg, durationMs: 0 })
  }
}

/** Ansible's words (strategy/__init__.py, _execute_meta) for what a meta task did on `host`. */
function metaDone(action: MetaNode['action'], host: string): string {
  const words: Partial<Record<MetaNode['action'], string>> = {
    flush_handlers: `triggered running handlers for ${host}`,
    end_host: `ending play for ${host}`,
    end_play: 'ending play',
    clear_facts: 'facts cleared',
    clear_host_errors: 'cleared host errors',
    refresh_inventory: 'inventory successfully refreshed',
    reset_connection: 'reset connection',
  }
  return words[action] ?? action
}

/** What Ansible adds to "<action> conditional evaluated to False" for a meta task whose when: is false. */
function metaSkipped(action: MetaNode['action'], host: string): string {
  const words: Partial<Record<MetaNode['action'], string>> = {
    flush_handlers: `, not running handlers for ${host}`,
    end_host: `, continuing execution for ${host}`,
    end_play: ', continuing play',
    clear_facts: `, not clearing facts and fact cache for ${host}`,
    clear_host_errors: `, not clearing host error state for ${host}`,
  }
  return words[action] ?? ''
}
