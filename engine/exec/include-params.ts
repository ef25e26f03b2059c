/**
 * What a dynamic include hands the tasks it includes, and what it reports itself. Ansible gives
 * included tasks the include's `vars:` and loop item as include params (above set_fact and role
 * params), and an include_role inside a role adds that role's params and the names and paths of
 * the roles it sits in (ansible_parent_role_names, nearest first). The include itself is a task
 * result: ok ("included"), or skipped when its `when:` is false.
 */
import type { TaskResultEvent } from '../events.js'
import type { IncludeRoleNode, IncludeTasksNode, RoleInstance } from '../playbook/types.js'
import { dataLayer, type VarLayer, type VarScope } from '../vars.js'
import type { Frame } from './frame.js'

type Include = IncludeTasksNode | IncludeRoleNode

/** The include params of one pass of an include, lowest first. */
export function includeParams(node: Include, frame: Frame, loopVars: Record<string, unknown> | undefined): VarLayer[] {
  const at = `${node.pos.file}:${node.pos.line}`
  const own = node.kind === 'include_tasks' ? node.attrs.vars : node.roleVars
  return [
    ...(own && Object.keys(own).length ? [{ source: `include params (${at})`, vars: own }] : []),
    // The item is a value already rendered: data, never a template.
    ...(loopVars ? [dataLayer(`include loop (${at})`, loopVars)] : []),
    ...(node.kind === 'include_role' && node.role ? parentRoleParams(node.role, frame) : []),
  ]
}

/** What include_role and import_role inside role `parent` pass on: its params, and the roles above. */
export function parentRoleParams(parent: RoleInstance, frame: Frame): VarLayer[] {
  const outer = (key: string): unknown[] => {
    const layer = [...(frame.includeParams ?? [])].reverse().find((l) => Array.isArray(l.vars[key]))
    return (layer?.vars[key] as unknown[] | undefined) ?? []
  }
  return [
    { source: `role params (${parent.def.name}, passed on by its include)`, vars: parent.params },
    dataLayer(`parent roles (${parent.def.name})`, {
      ansible_parent_role_names: [parent.def.name, ...outer('ansible_parent_role_names')],
      ansible_parent_role_paths: [parent.def.path, ...outer('ansible_parent_role_paths')],
    }),
  ]
}

/** What the include reports of one pass that ran: the file, or the role's name (Ansible's keys). */
export function includedWhat(node: Include, scope: VarScope): Record<string, unknown> {
  if (node.kind === 'include_tasks') return { include: String(scope.render(node.file)) }
  return { include_args: { name: String(scope.render(node.roleName)) } }
}

/** The include's own result on a host, from each pass's entry (`skipped: true` for a false when). */
export function includeResult(looped: boolean, passes: Record<string, unknown>[]): Pick<TaskResultEvent, 'status' | 'result'> {
  const ran = passes.some((p) => p['skipped'] !== true)
  const status = ran ? 'ok' : 'skipped'
  if (!looped) {
    const only = passes[0] ?? {}
    return { status, result: ran ? { ...only, changed: false } : { changed: false, skipped: true, skip_reason: 'Conditional result was False' } }
  }
  const msg = passes.length ? 'All items completed' : 'No items in the list'
  return { status, result: { results: passes, changed: false, msg, ...(ran ? {} : { skipped: true }) } }
}

/** How a pass's item reads on its result line (the loop variable's value). */
export function itemLabel(pass: Record<string, unknown>): string {
  const value = pass[typeof pass['ansible_loop_var'] === 'string' ? pass['ansible_loop_var'] : 'item']
  return typeof value === 'string' ? value : JSON.stringify(value)
}
