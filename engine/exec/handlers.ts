/** The handlers a play can notify: those of every role it reaches, then its own, in definition order. */
import type { Node, Play, RoleInstance } from '../playbook/types.js'

export interface HandlerEntry {
  node: Node
  /** The names it answers to: its name, and "role : name" for a role's handler. */
  names: string[]
  listen: string[]
  role?: RoleInstance
}

export function handlerEntries(play: Play): HandlerEntry[] {
  const entries: HandlerEntry[] = []
  const seenRoles = new Set<string>()
  const addRole = (role: RoleInstance): void => {
    const key = role.def.path
    if (seenRoles.has(key)) return
    seenRoles.add(key)
    for (const node of role.handlers) entries.push(entry(node, role))
  }
  const visit = (nodes: readonly Node[]): void => {
    for (const node of nodes) {
      if (node.kind === 'role') {
        visit(node.dependencies)
        addRole(node.instance)
        visit(node.tasks)
      } else if (node.kind === 'block') visit([...node.block, ...node.rescue, ...node.always])
      else if (node.kind === 'include_tasks' && node.preloaded) visit(node.preloaded)
      else if (node.kind === 'include_role' && node.preloaded) visit([node.preloaded])
    }
  }
  visit([...play.preTasks, ...play.roles, ...play.tasks, ...play.postTasks])
  for (const node of play.handlers) entries.push(entry(node))
  return entries
}

function entry(node: Node, role?: RoleInstance): HandlerEntry {
  const names = node.name ? [node.name, ...(role ? [`${role.def.name} : ${node.name}`] : [])] : []
  const listen = node.kind === 'task' || node.kind === 'meta' || node.kind === 'include_tasks' ? (node.attrs.listen ?? []) : []
  return { node, names, listen, ...(role ? { role } : {}) }
}
