/** What a task inherits from the blocks, roles and includes around it. */
import type { VarLayer } from '../vars.js'
import type { TaskRef } from '../events.js'
import type { Attrs, Node, RoleInstance } from '../playbook/types.js'
import type { Position } from './barrier.js'

export type InheritedAttrs = Omit<Attrs, 'when' | 'tags' | 'vars'>

export interface Frame {
  /** Conditions of enclosing blocks/roles/includes: ANDed with the task's own, evaluated per task. */
  conditions: string[]
  tags: string[]
  /** Block vars and include params, lowest first (task vars go on top of these). */
  layers: VarLayer[]
  role?: RoleInstance
  attrs: InheritedAttrs
  /** Position prefix for tasks of dynamic includes and handlers. */
  prefix: Position
  handler: boolean
  /** How many dynamic includes (include_tasks, include_role) enclose this frame. */
  includeDepth?: number
  /**
   * Include params, lowest first: the vars and loop item of enclosing include_tasks/include_role,
   * and what an include_role in a role passes on (Ansible's get_include_params). They sit above
   * set_fact and role params, below extra vars.
   */
  includeParams?: VarLayer[]
  /** `environment:` of the play, roles, blocks and includes around, outer first: Ansible extends it, the inner wins per variable. */
  environments?: Environment[]
}

type Environment = NonNullable<Attrs['environment']>

/** The play's frame; play vars are not a frame layer (they sit below role vars). */
export function rootFrame(prefix: Position, attrs: Attrs = {}, handler = false): Frame {
  const { when, tags, vars: _playVars, ...rest } = attrs
  return {
    conditions: [...(when ?? [])],
    tags: [...(tags ?? [])],
    layers: [],
    attrs: rest,
    prefix,
    handler,
    environments: rest.environment !== undefined ? [rest.environment] : [],
  }
}

/** The frame inside a block/role/include with attributes `attrs`. */
export function childFrame(parent: Frame, attrs: Attrs, source: string, extra: Partial<Pick<Frame, 'role' | 'prefix' | 'includeDepth'>> = {}): Frame {
  const { when, tags, vars, ...rest } = attrs
  const frame: Frame = {
    conditions: [...parent.conditions, ...(when ?? [])],
    tags: [...parent.tags, ...(tags ?? [])],
    layers: vars ? [...parent.layers, { source, vars }] : parent.layers,
    attrs: { ...parent.attrs, ...definedOnly(rest), ...joinedDefaults(parent.attrs, rest) },
    prefix: extra.prefix ?? parent.prefix,
    handler: parent.handler,
    environments: [...(parent.environments ?? []), ...(rest.environment !== undefined ? [rest.environment] : [])],
  }
  const role = extra.role ?? parent.role
  if (role) frame.role = role
  const includeDepth = extra.includeDepth ?? parent.includeDepth
  if (includeDepth !== undefined) frame.includeDepth = includeDepth
  if (parent.includeParams) frame.includeParams = parent.includeParams
  return frame
}

/** module_defaults extend, outer first (Ansible's `extend=True, prepend=True`): the inner mapping wins per module. */
export function joinedDefaults(parent: InheritedAttrs, own: InheritedAttrs): Pick<InheritedAttrs, 'moduleDefaults'> {
  const joined = [...(parent.moduleDefaults ?? []), ...(own.moduleDefaults ?? [])]
  return joined.length ? { moduleDefaults: joined } : {}
}

function definedOnly<T extends object>(value: T): Partial<T> {
  return Object.fromEntries(Object.entries(value).filter(([, v]) => v !== undefined)) as Partial<T>
}

/** How events name a task: "role : name", its position, whether it is a handler, its module. */
/** `name` replaces the task's own name (the banner's templated one). */
export function taskRef(node: Node, frame: Frame, name?: string): TaskRef {
  // Ansible names an include_role by its role alone, inside a role too.
  const own = { name: node.name ?? '', action: node.kind === 'task' ? node.moduleName : node.kind }
  if (node.kind === 'include_role') return { name: name ?? node.name ?? `include_role : ${node.roleName}`, pos: node.pos, handler: frame.handler, own }
  const role = node.role ?? frame.role
  const base = name ?? node.name ?? (node.kind === 'task' ? node.moduleName : node.kind)
  return { name: role ? `${role.def.name} : ${base}` : base, pos: node.pos, handler: frame.handler, own, ...(node.kind === 'task' ? { module: node.module.name } : {}) }
}
