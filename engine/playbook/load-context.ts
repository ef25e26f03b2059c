/**
 * What the parts of the loader (plays.ts, tasks.ts, roles.ts) call back into while they parse:
 * reading a file, following an import or a role, the next node id, the modules. The parts import
 * it as a type only; Loader (loader.ts) implements it and is the one file that imports the parts,
 * so no part imports another back.
 */
import type { SourcePos } from '../errors.js'
import type { ModuleRegistry } from '../registry.js'
import type { Node, RoleInstance, RoleNode, TaskAttrs } from './types.js'

/** Where a task list is being read: its file and folder, the role it belongs to, and the loader. */
export interface ParseScope {
  file: string
  dir: string
  role?: RoleInstance
  loader: LoadContext
  /**
   * The list is a play's or a role's handlers ('top'), or a block's tasks there ('nested'): as
   * Ansible, a block is a handler list's grouping only, never a handler, and no role is one.
   */
  handlers?: 'top' | 'nested'
}

/** What every node of a task list starts with, before its kind is known. */
export interface NodeStart {
  id: number
  pos: SourcePos
  dir: string
  role?: RoleInstance
  name?: string
}

export interface LoadContext {
  /** The modules tasks may call: each task's arguments are checked against its module's schema. */
  readonly modules: ModuleRegistry
  /**
   * Whether the file being read is reached only through a dynamic include: what it names that
   * tsplay lacks is then a warning at load, and a failure only on a host that reaches it.
   */
  insideDynamicInclude(): boolean
  /** A warning shown before the run starts (or when a file included at run time is read). */
  warn(message: string): void
  /** A node id, unique within the run, in document order. */
  nextId(): number
  /** Reads a YAML file (with positions) or fails naming the file that included it. */
  readYaml(path: string, at?: SourcePos): unknown
  /** Reads a playbook (the first, or one from import_playbook); a playbook that imports itself is an error. */
  withPlaybook<T>(path: string, at: SourcePos | undefined, read: () => T): T
  /** import_tasks (static) or include_tasks (dynamic, at run time). */
  loadTaskFile(file: string, scope: ParseScope, at: SourcePos, dynamic?: boolean): Node[]
  /** An include_tasks with a fixed name, read ahead for checking; none when it includes itself. */
  preloadTaskFile(file: string, scope: ParseScope, at: SourcePos): Node[] | undefined
  /** A role from `roles:` or a meta dependency. */
  loadRoleEntry(entry: unknown, at: SourcePos, parent?: RoleInstance): RoleNode
  /** include_role / import_role in a task list. */
  roleAction(short: string, args: Record<string, unknown>, attrs: TaskAttrs, start: NodeStart, at: SourcePos): Node
}
