/**
 * A play's handlers as Ansible 2.14 keeps them (strategy/__init__.py, play_iterator.py): which
 * exist, which each host has notified, and running them when flushed.
 */
import { errorMessage, TsplayError } from '../errors.js'
import type { BlockNode, Node, Play, RoleInstance, RoleNode } from '../playbook/types.js'
import type { VarScope } from '../vars.js'
import type { Position } from './barrier.js'
import type { NodeWalker, PlayHandlers, PlayVars, WalkResult } from './env.js'
import { childFrame, rootFrame, type Frame } from './frame.js'
import type { HostRun } from './hosts.js'
import { playLevelScope } from './scope.js'

export interface HandlerEntry {
  /** A task, a meta task or an include_tasks. */
  node: Node
  /** The blocks around it in the handlers list (a written block, an import_tasks): their keywords apply. */
  parents: BlockNode[]
  role?: RoleInstance
  /** Ansible's handler block: a lookup by name tries the last block first, each block's handlers in order. */
  group: number
  /** Topics it answers to, as written (Ansible does not template them). */
  listen: string[]
}

/**
 * The handlers a play can notify, in Ansible's order: those of the roles it reaches statically,
 * then its own; an include_role adds its role's when it runs (roleIncluded).
 */
class HandlerList {
  readonly entries: HandlerEntry[] = []
  private readonly seenRoles = new Set<string>()
  private group = 0

  constructor(play: Play) {
    forEachNode([...play.preTasks, ...play.roles, ...play.tasks, ...play.postTasks], (node, dynamic) => {
      if (node.kind === 'role' && !dynamic) this.addRole(node.instance)
    })
    this.addList(play.handlers, undefined, [])
  }

  /** The roles a role use reaches (itself, its dependencies, its imports), not those it includes. */
  addRoles(node: RoleNode): void {
    forEachNode([node], (inner, dynamic) => {
      if (inner.kind === 'role' && !dynamic) this.addRole(inner.instance)
    })
  }

  private addRole(role: RoleInstance): void {
    // One role's handlers once, but handlers_from names another file of the same role.
    const key = `${role.def.path}\0${role.handlers[0]?.pos.file ?? ''}`
    if (this.seenRoles.has(key)) return
    this.seenRoles.add(key)
    this.addList(role.handlers, role, [])
  }

  /** Bare handlers in a row share a block; a written block is one of its own; an import joins the row. */
  private addList(nodes: readonly Node[], role: RoleInstance | undefined, parents: BlockNode[]): void {
    this.group++
    for (const node of nodes) {
      if (node.kind !== 'block') this.entries.push({ node, parents, group: this.group, listen: listenOf(node), ...(role ? { role } : {}) })
      else if (node.imported) this.addList(node.block, role, [...parents, node])
      else {
        this.addList(node.block, role, [...parents, node])
        this.group++
      }
    }
  }
}

function listenOf(node: Node): string[] {
  return node.kind === 'task' || node.kind === 'meta' || node.kind === 'include_tasks' ? (node.attrs.listen ?? []) : []
}

/** What each host has notified, run in definition order when the handlers are flushed. */
export class HandlerQueue implements PlayHandlers {
  private readonly list: HandlerList
  private readonly notified = new Map<string, Set<HandlerEntry>>()
  /** Handler names rendered once, as Ansible caches them; a name that did not render is tried again. */
  private readonly names = new Map<HandlerEntry, string | undefined>()

  constructor(private readonly vars: PlayVars) {
    this.list = new HandlerList(vars.play)
  }

  private get entries(): readonly HandlerEntry[] {
    return this.list.entries
  }

  /** As Ansible's include_role, which adds its role's handlers to the play's when it runs. */
  roleIncluded(node: RoleNode): void {
    this.list.addRoles(node)
  }

  notify(host: HostRun, names: readonly string[], scope: VarScope): void {
    let pending = this.notified.get(host.name)
    if (!pending) this.notified.set(host.name, (pending = new Set()))
    // `notify: "{{ list }}"` names every handler of the list.
    for (const name of names.flatMap((raw) => [scope.render(raw)].flat().map(String))) {
      const matches = [this.byName(name), ...this.entries.filter((h) => h.listen.includes(name))].filter((h) => h !== undefined)
      if (!matches.length) {
        const message = `The requested handler '${name}' was not found in either the main handlers list nor in the listening handlers list`
        if (this.vars.run.options.errorOnMissingHandler !== false) throw new TsplayError(message)
        this.vars.run.emit({ kind: 'warning', message })
      }
      for (const m of matches) {
        if (pending.has(m)) continue
        pending.add(m)
        this.vars.run.emit({ kind: 'log', host: host.name, level: 2, message: `NOTIFIED HANDLER ${this.bannerName(m)} for ${host.name}` })
      }
    }
  }

  /** Ansible's search_handler_blocks_by_name: the last block first, its handlers in order; the first match wins. */
  private byName(name: string): HandlerEntry | undefined {
    const groups = [...new Set(this.entries.map((h) => h.group))].reverse()
    for (const group of groups) {
      for (const entry of this.entries.filter((h) => h.group === group)) {
        const own = this.nameOf(entry)
        if (own === undefined) continue
        const role = entry.role?.def.name
        if (own === name || (role !== undefined && `${role} : ${own}` === name)) return entry
      }
    }
    return undefined
  }

  /**
   * A handler's name, rendered with the play's variables (no host's): one that cannot be rendered
   * makes the handler reachable only by its listen topics, with Ansible's warning when it has none.
   */
  private nameOf(entry: HandlerEntry): string | undefined {
    const written = entry.node.name
    if (written === undefined || !written.includes('{')) return written
    if (this.names.has(entry)) return this.names.get(entry)
    try {
      const rendered = String(playLevelScope(this.vars, entry.role).render(written))
      this.names.set(entry, rendered)
      return rendered
    } catch (err) {
      if (!entry.listen.length) {
        const why = 'because it has no listen topics and the name could not be templated (host-specific variables are not supported in handler names)'
        this.vars.run.emit({ kind: 'warning', message: `Handler '${written}' is unusable ${why}. The error: ${errorMessage(err)}` })
      }
      return undefined
    }
  }

  private bannerName(entry: HandlerEntry): string {
    const name = this.names.get(entry) ?? entry.node.name ?? (entry.node.kind === 'task' ? entry.node.moduleName : entry.node.kind)
    return entry.role ? `${entry.role.def.name} : ${name}` : name
  }

  /** Runs the host's notified handlers in definition order, each once; one a handler notifies further on runs in this flush too. */
  async flush(walker: NodeWalker, prefix: Position): Promise<WalkResult> {
    const pending = this.notified.get(walker.host.name)
    if (!pending?.size) return 'ok'
    for (const [index, entry] of this.entries.entries()) {
      if (!pending.has(entry)) continue
      pending.delete(entry)
      let frame: Frame = rootFrame([...prefix, index], this.vars.play.attrs, true)
      if (entry.role) frame = childFrame(frame, {}, `role ${entry.role.def.name}`, { role: entry.role })
      for (const block of entry.parents) frame = childFrame(frame, block.attrs, `block vars (${block.pos.file}:${block.pos.line})`)
      // As Ansible, which stores the rendered name on the handler: its banner and results show it.
      const rendered = this.names.get(entry)
      const result = await walker.walk([rendered === undefined ? entry.node : { ...entry.node, name: rendered }], frame)
      if (result !== 'ok') return result
    }
    return 'ok'
  }
}

/**
 * Calls `each` for every node the tree reaches, in play order: a role after its dependencies and
 * before its tasks, a block before its block/rescue/always, includes known at load time entered
 * (`dynamic` below an include_role).
 */
function forEachNode(nodes: readonly Node[], each: (node: Node, dynamic: boolean) => void, dynamic = false): void {
  for (const node of nodes) {
    if (node.kind === 'role') forEachNode(node.dependencies, each, dynamic)
    each(node, dynamic)
    if (node.kind === 'role') forEachNode(node.tasks, each, dynamic)
    else if (node.kind === 'block') forEachNode([...node.block, ...node.rescue, ...node.always], each, dynamic)
    else if (node.kind === 'include_tasks' && node.preloaded) forEachNode(node.preloaded, each, dynamic)
    else if (node.kind === 'include_role' && node.preloaded) forEachNode([node.preloaded], each, true)
  }
}
