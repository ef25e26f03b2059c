/** A play's handlers: which exist, which each host has notified, and running them when flushed. */
import { PlaybookError } from '../errors.js'
import type { Node, Play, RoleInstance } from '../playbook/types.js'
import type { VarScope } from '../vars.js'
import type { Position } from './barrier.js'
import type { RunContext } from './run-context.js'
import type { NodeWalker, PlayHandlers, WalkResult } from './env.js'
import { childFrame, rootFrame, type Frame } from './frame.js'
import type { HostRun } from './hosts.js'

export interface HandlerEntry {
  node: Node
  /** The names it answers to: its name, and "role : name" for a role's handler. */
  names: string[]
  listen: string[]
  role?: RoleInstance
}

/** The handlers a play can notify: those of every role it reaches, then its own, in definition order. */
export function handlerEntries(play: Play): HandlerEntry[] {
  const entries: HandlerEntry[] = []
  const seenRoles = new Set<string>()
  const addRole = (role: RoleInstance): void => {
    // One role's handlers once, but handlers_from names another file of the same role.
    const key = `${role.def.path}\0${role.handlers[0]?.pos.file ?? ''}`
    if (seenRoles.has(key)) return
    seenRoles.add(key)
    for (const node of role.handlers) entries.push(entry(node, role))
  }
  forEachNode([...play.preTasks, ...play.roles, ...play.tasks, ...play.postTasks], (node) => {
    if (node.kind === 'role') addRole(node.instance)
  })
  for (const node of play.handlers) entries.push(entry(node))
  return entries
}

function entry(node: Node, role?: RoleInstance): HandlerEntry {
  const names = node.name ? [node.name, ...(role ? [`${role.def.name} : ${node.name}`] : [])] : []
  const listen = node.kind === 'task' || node.kind === 'meta' || node.kind === 'include_tasks' ? (node.attrs.listen ?? []) : []
  return { node, names, listen, ...(role ? { role } : {}) }
}

/** What each host has notified, run in definition order when the handlers are flushed. */
export class HandlerQueue implements PlayHandlers {
  readonly entries: HandlerEntry[]
  private readonly notified = new Map<string, Set<HandlerEntry>>()

  constructor(
    private readonly run: Pick<RunContext, 'emit'>,
    private readonly play: Play,
  ) {
    this.entries = handlerEntries(play)
  }

  notify(host: HostRun, names: readonly string[], scope: VarScope): void {
    let pending = this.notified.get(host.name)
    if (!pending) this.notified.set(host.name, (pending = new Set()))
    for (const raw of names) {
      const name = String(scope.render(raw))
      const matches = this.entries.filter((h) => h.names.includes(name) || h.listen.includes(name))
      if (!matches.length) {
        this.run.emit({ kind: 'warning', message: `[${host.name}] notified handler '${name}' does not exist` })
      }
      for (const m of matches) pending.add(m)
    }
  }

  /** Runs the host's notified handlers in definition order, each once. */
  async flush(walker: NodeWalker, prefix: Position): Promise<WalkResult> {
    const pending = this.notified.get(walker.host.name)
    if (!pending?.size) return 'ok'
    for (const [index, entry] of this.entries.entries()) {
      if (!pending.has(entry)) continue
      pending.delete(entry)
      let frame: Frame = rootFrame([...prefix, index], this.play.attrs, true)
      if (entry.role) frame = childFrame(frame, {}, `role ${entry.role.def.name}`, { role: entry.role })
      const result = await walker.walk([entry.node], frame)
      if (result !== 'ok') return result
    }
    return 'ok'
  }
}

/** Every notify in the play must name a handler (or a listen topic): checked before any host is contacted. */
export function checkNotifies(play: Play, handlers: HandlerEntry[]): void {
  const known = new Set(handlers.flatMap((h) => [...h.names, ...h.listen]))
  forEachNode([...play.preTasks, ...play.roles, ...play.tasks, ...play.postTasks, ...handlers.map((h) => h.node)], (node) => {
    if (node.kind !== 'task' && node.kind !== 'block') return
    for (const name of node.attrs.notify ?? []) {
      if (!name.includes('{{') && !known.has(name)) {
        throw new PlaybookError(`notify: no handler named '${name}' in this play (handlers: ${[...known].join(', ') || 'none'})`, node.pos)
      }
    }
  })
}

/**
 * Calls `each` for every node the tree reaches, in play order: a role after its dependencies and
 * before its tasks, a block before its block/rescue/always, includes known at load time entered.
 */
function forEachNode(nodes: readonly Node[], each: (node: Node) => void): void {
  for (const node of nodes) {
    if (node.kind === 'role') forEachNode(node.dependencies, each)
    each(node)
    if (node.kind === 'role') forEachNode(node.tasks, each)
    else if (node.kind === 'block') forEachNode([...node.block, ...node.rescue, ...node.always], each)
    else if (node.kind === 'include_tasks' && node.preloaded) forEachNode(node.preloaded, each)
    else if (node.kind === 'include_role' && node.preloaded) forEachNode([node.preloaded], each)
  }
}
