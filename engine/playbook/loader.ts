/**
 * Loads a playbook and everything it reaches (imports, includes with static names, roles
 * and their dependencies) into typed plan objects, so every error in any of them is found
 * before a host is contacted. The run keeps this loader for include_tasks and include_role,
 * whose files are only known per host.
 *
 * Loader is the LoadContext the parts (plays.ts, tasks.ts, roles.ts) call back into; it is the
 * only file that imports them, so they never import one another back.
 */
import { existsSync, statSync } from 'node:fs'
import { dirname, isAbsolute, join, resolve } from 'node:path'
import { MissingFileError, type SourcePos } from '../errors.js'
import type { ModuleRegistry } from '../registry.js'
import { loadYamlFileSync as readYaml } from '../yaml.js'
import { LoadChain } from './chain.js'
import type { LoadContext, NodeStart, ParseScope } from './load-context.js'
import { parsePlays } from './plays.js'
import { defaultRolesPath, RoleLoader, type RoleUse } from './roles.js'
import { parseTaskFile } from './tasks.js'
import type { Attrs, Node, Playbook, RoleInstance, RoleNode, TaskAttrs } from './types.js'

export interface LoaderOptions {
  /** Extra folders to find roles in (TSPLAY_ROLES_PATH, then ANSIBLE_ROLES_PATH). */
  rolesPath?: string[]
}

export class Loader implements LoadContext {
  private id = 0
  private readonly included = new Map<string, unknown>()
  readonly playbookDir: string
  private readonly chain: LoadChain
  private readonly roles: RoleLoader

  constructor(
    readonly playbookFile: string,
    readonly modules: ModuleRegistry,
    options: LoaderOptions = {},
  ) {
    this.playbookDir = dirname(resolve(playbookFile))
    this.chain = new LoadChain(this.playbookDir)
    this.roles = new RoleLoader(this, this.chain, this.playbookDir, options.rolesPath ?? defaultRolesPath())
  }

  private warnings: string[] = []

  insideDynamicInclude(): boolean {
    return this.chain.insideDynamic()
  }

  warn(message: string): void {
    this.warnings.push(message)
  }

  /** The warnings found since the last call, for the run to show. */
  takeWarnings(): string[] {
    const taken = this.warnings
    this.warnings = []
    return taken
  }

  nextId(): number {
    return ++this.id
  }

  loadPlaybook(): Playbook {
    return this.playbookOf(() => readYaml(resolve(this.playbookFile)))
  }

  /** Plays given as data (ad-hoc's one-task play): playbookFile names them, no file is read. */
  loadPlays(plays: unknown[]): Playbook {
    return this.playbookOf(() => plays)
  }

  private playbookOf(read: () => unknown): Playbook {
    const file = resolve(this.playbookFile)
    return { file, named: this.playbookFile, dir: this.playbookDir, plays: this.withPlaybook(file, undefined, () => parsePlays(read(), file, this)) }
  }

  withPlaybook<T>(path: string, at: SourcePos | undefined, read: () => T): T {
    return this.chain.within(`playbook:${resolve(path)}`, this.chain.fileLabel(resolve(path)), false, at, read)
  }

  readYaml(path: string, at?: SourcePos): unknown {
    return readYaml(path, at)
  }

  loadTaskFile(file: string, scope: ParseScope, at: SourcePos, dynamic = false): Node[] {
    const path = this.taskFilePath(file, scope, at)
    return this.chain.withinTaskFile(path, dynamic, at, () => parseTaskFile(path, scope, at))
  }

  /**
   * What a dynamic include loads at run time, loaded once per include and name: every host that
   * includes the same file from the same include runs the same nodes, so the linear strategy lines
   * them up and run_once runs once, as in Ansible, where hosts that include one file share it.
   */
  includedOnce<T>(includeId: number, name: string, load: () => T): T {
    const key = `${includeId}\0${name}`
    if (!this.included.has(key)) this.included.set(key, load())
    return this.included.get(key) as T
  }

  preloadTaskFile(file: string, scope: ParseScope, at: SourcePos): Node[] | undefined {
    const path = this.taskFilePath(file, scope, at)
    if (this.chain.readingTaskFile(path)) return undefined
    return this.chain.withinTaskFile(path, true, at, () => parseTaskFile(path, scope, at))
  }

  loadRoleEntry(entry: unknown, at: SourcePos, parent?: RoleInstance): RoleNode {
    return this.roles.entry(entry, at, parent)
  }

  roleAction(short: string, args: Record<string, unknown>, attrs: TaskAttrs, start: NodeStart, at: SourcePos): Node {
    return this.roles.action(short, args, attrs, start, at)
  }

  /** A role by name: include_role at run time (`dynamic`), whose name is only known per host. */
  loadRole(name: string, params: Record<string, unknown>, attrs: Attrs, tasksFrom: string, at: SourcePos, parent: RoleInstance | undefined, dedupe: boolean, dynamic = false, use: RoleUse = {}): RoleNode {
    return this.roles.load(name, params, attrs, tasksFrom, at, parent, dedupe, dynamic, use)
  }

  /** The including file's folder, then the role's tasks/, then the playbook's folder. */
  private taskFilePath(file: string, scope: ParseScope, at: SourcePos): string {
    const candidates = isAbsolute(file)
      ? [file]
      : [join(scope.dir, file), ...(scope.role ? [join(scope.role.def.path, 'tasks', file)] : []), join(this.playbookDir, file)]
    const path = candidates.find((p) => existsSync(p) && statSync(p).isFile())
    if (!path) throw new MissingFileError(`task file '${file}' not found; looked in: ${candidates.join(', ')}`, at)
    return resolve(path)
  }
}
