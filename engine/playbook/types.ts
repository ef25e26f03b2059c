/** The typed plan the loader builds from YAML: plays, task trees and roles, each node keeping its file:line. */
import type { SourcePos } from '../errors.js'
import type { AnyModule } from '../module.js'

/**
 * A keyword written as a template (`ignore_errors: "{{ x }}"`): a string holding `{{`, rendered per
 * host when the task runs and converted as Ansible converts the keyword (engine/exec/keywords.ts).
 * Never read such a field directly: a template string is truthy whatever it renders to.
 */
export type KeywordTemplate = string

/** One `module_defaults:` mapping: module name (as written) -> its default arguments, or a template giving them. */
export interface ModuleDefaults {
  pos: SourcePos
  /** Where each module's entry was written, for load-time errors. */
  positions: Record<string, SourcePos>
  entries: Record<string, Record<string, unknown> | KeywordTemplate>
}

/** Keywords that tasks, blocks, roles and plays share; children inherit them (when is ANDed, tags unioned). */
export interface Attrs {
  when?: string[]
  tags?: string[]
  vars?: Record<string, unknown>
  become?: boolean | KeywordTemplate
  becomeUser?: string
  becomeMethod?: string
  becomeFlags?: string
  ignoreErrors?: boolean | KeywordTemplate
  ignoreUnreachable?: boolean | KeywordTemplate
  checkMode?: boolean | KeywordTemplate
  diff?: boolean | KeywordTemplate
  noLog?: boolean | KeywordTemplate
  delegateTo?: string
  /** With delegate_to: the facts the task returns go to the delegated host. */
  delegateFacts?: boolean | KeywordTemplate
  runOnce?: boolean | KeywordTemplate
  anyErrorsFatal?: boolean | KeywordTemplate
  environment?: Record<string, unknown> | string
  /** A block's notify reaches each of its tasks (a task's own notify wins). */
  notify?: string[]
  /** At most this many hosts run the task at once (0: no limit). */
  throttle?: number | KeywordTemplate
  /** Seconds before the task is stopped and fails (0: no limit). */
  timeout?: number | KeywordTemplate
  /** Outermost first (play, role, block, task): inner mappings replace outer ones per module, as in Ansible. */
  moduleDefaults?: ModuleDefaults[]
  /** The connection plugin for the task (local or ssh); the host's ansible_connection wins, as in Ansible. */
  connection?: string
  remoteUser?: string
  port?: number | KeywordTemplate
}

export interface LoopControl {
  loopVar: string
  indexVar?: string
  label?: string
  pause?: number
  extended?: boolean
  /** `extended_allitems: false` leaves `ansible_loop.allitems` out (large loops). */
  extendedAllitems?: boolean
}

/** Keywords only a task (or include) has. */
export interface TaskAttrs extends Attrs {
  register?: string
  notify?: string[]
  listen?: string[]
  changedWhen?: string[]
  failedWhen?: string[]
  until?: string
  /** Whole numbers, or templates rendered when the task runs. */
  retries?: number | string
  delay?: number | string
  /** The list to loop over (a list, or a template that yields one) and the keyword that gave it. */
  loop?: { kind: string; value: unknown }
  loopControl?: LoopControl
  /** `async:` seconds the task may run in the background (0 or unset: not async); a template rendered when the task runs. */
  async?: number | string
  /** `poll:` seconds between status checks of an async task (0: fire and forget; unset: Ansible's 15). */
  poll?: number | string
}

interface NodeBase {
  /** Unique within the run, in document order: the executor's position for the linear strategy. */
  id: number
  pos: SourcePos
  name?: string
  /** Folder of the file this node was written in (relative `src:` and include paths start here). */
  dir: string
  /** The role the node belongs to, if any. */
  role?: RoleInstance
}

export interface TaskNode extends NodeBase {
  kind: 'task'
  moduleName: string
  module: AnyModule
  args: Record<string, unknown>
  attrs: TaskAttrs
  /**
   * What the task's own arguments lack (a required one), which module_defaults around it may
   * give: check-module-defaults.ts raises it once the playbook is loaded, if none do.
   */
  missingArgs?: Error
}

export interface MetaNode extends NodeBase {
  kind: 'meta'
  action: 'flush_handlers' | 'noop' | 'end_play' | 'end_host' | 'clear_facts' | 'clear_host_errors' | 'refresh_inventory' | 'reset_connection'
  attrs: TaskAttrs
}

export interface BlockNode extends NodeBase {
  kind: 'block'
  block: Node[]
  rescue: Node[]
  always: Node[]
  attrs: Attrs
}

/** include_tasks: the file is chosen per host at run time (when/loop apply to the include itself). */
export interface IncludeTasksNode extends NodeBase {
  kind: 'include_tasks'
  file: string
  attrs: TaskAttrs
  /** Loaded at load time when the file name holds no template, so errors show before any host is contacted. */
  preloaded?: Node[]
  /** `apply:` keywords: they go onto the included tasks, as a block around them would (the include's own keywords do not). */
  apply?: Attrs
}

/** include_role: like include_tasks, for a role. */
export interface IncludeRoleNode extends NodeBase {
  kind: 'include_role'
  roleName: string
  tasksFrom: string
  /** The include's `vars:`: include params, above set_fact and role params, for the role's tasks. */
  roleVars: Record<string, unknown>
  attrs: TaskAttrs
  preloaded?: RoleNode
  /** `apply:` keywords for the role's tasks (as include_tasks' apply). */
  apply?: Attrs
  /** `public: true`: the role's defaults and vars are seen by the rest of the play once it is included. */
  public?: boolean
  /** include_role's own `allow_duplicates` (default true): false skips a role that already ran on the host with the same vars. */
  allowDuplicates?: boolean
  /** vars_from, defaults_from, handlers_from (tasks_from is tasksFrom); templates rendered when the include runs. */
  from?: RoleFromFiles
}

/** The files of a role an include or import reads instead of main (its `*_from` options). */
export interface RoleFromFiles {
  vars?: string
  defaults?: string
  handlers?: string
}

/** A role's tasks in place (from `roles:`, import_role, or a meta dependency). */
export interface RoleNode extends NodeBase {
  kind: 'role'
  instance: RoleInstance
  /** Dependencies from meta/main.yml, run first. */
  dependencies: RoleNode[]
  tasks: Node[]
  attrs: Attrs
  /** From `roles:` or a dependency: runs once per play for the same params (unless allow_duplicates). */
  dedupe: boolean
  /** From import_role: its defaults and vars are the play's from the start, as Ansible makes them public at load. */
  imported?: boolean
  /** From import_role/include_role: its own allow_duplicates, which replaces the role's meta setting. */
  allowDuplicates?: boolean
}

export type Node = TaskNode | MetaNode | BlockNode | IncludeTasksNode | IncludeRoleNode | RoleNode

/** A role as found on disk. */
export interface RoleDef {
  name: string
  path: string
  defaults: Record<string, unknown>
  vars: Record<string, unknown>
  allowDuplicates: boolean
}

/** One use of a role, with its parameters. */
export interface RoleInstance {
  def: RoleDef
  /** Role params from the role line (and its `vars:`), at role-vars precedence. */
  params: Record<string, unknown>
  /** The role that depends on this one, for variable inheritance. */
  parent?: RoleInstance
  /** handlers/main.yml of this role. */
  handlers: Node[]
  /**
   * `vars:` on the role's line (`roles:`, import_role, include_role): Ansible's role `vars`
   * attribute, at role-vars precedence just below the role's own vars/main.yml.
   */
  lineVars?: Record<string, unknown>
  /** The roles of meta/main.yml's dependencies, as used here: their defaults and vars are the role's too. */
  dependencies?: RoleInstance[]
}

/** One `vars_prompt:` entry: its fields as written, rendered when the play starts (they may use play vars and extra vars). */
export interface VarPrompt {
  name: string
  pos: SourcePos
  /** prompt, default, private, confirm, encrypt, salt_size, salt, unsafe. */
  fields: Record<string, unknown>
}

export interface Play {
  name: string
  pos: SourcePos
  dir: string
  hosts: string
  attrs: Attrs
  varsFiles: unknown[]
  /** Questions asked when the play starts; their answers are play vars (unless an extra var answers them). */
  varsPrompt?: VarPrompt[]
  /** The vars files parsed at load time (their names hold no template), by path. */
  parsedVarsFiles: ReadonlyMap<string, unknown>
  /** Unset: gather unless ansible.cfg says `gathering = explicit`. */
  gatherFacts?: boolean
  serial: (number | string)[]
  /** Unset: ansible.cfg's `strategy`, else linear. */
  strategy?: 'linear' | 'free'
  maxFailPercentage?: number
  forceHandlers: boolean
  remoteUser?: string
  connection?: string
  order: 'inventory' | 'sorted' | 'reverse_sorted' | 'reverse_inventory' | 'shuffle'
  preTasks: Node[]
  /** The play's roles, each expanded with its dependencies. */
  roles: RoleNode[]
  tasks: Node[]
  postTasks: Node[]
  handlers: Node[]
}

export interface Playbook {
  file: string
  dir: string
  plays: Play[]
}
