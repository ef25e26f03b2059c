/**
 * Loads a playbook and everything it reaches (imports, includes with static names, roles
 * and their dependencies) into typed plan objects, so every error in any of them is found
 * before a host is contacted.
 */
import { existsSync, statSync } from 'node:fs'
import { dirname, isAbsolute, join, resolve } from 'node:path'
import { MissingFileError, PlaybookError, type SourcePos } from '../errors.js'
import { isTemplated } from '../expr/index.js'
import type { ModuleRegistry } from '../registry.js'
import { loadYamlFileSync as readYaml, posOf } from '../yaml.js'
import { COMMON_KEYWORDS, checkBecomeVars, parseCommonAttrs, parse } from './attrs.js'
import { LoadChain } from './chain.js'
import { parsePlays } from './plays.js'
import { parseTaskList, type ParseScope } from './tasks.js'
import type { Attrs, IncludeRoleNode, Node, Playbook, RoleDef, RoleInstance, RoleNode, TaskAttrs } from './types.js'

type Raw = Record<string, unknown>

export interface LoaderOptions {
  /** Extra folders to find roles in (TSPLAY_ROLES_PATH, then ANSIBLE_ROLES_PATH). */
  rolesPath?: string[]
}

export class Loader {
  private id = 0
  private readonly roleDefs = new Map<string, RoleDef>()
  readonly playbookDir: string
  private readonly rolesPath: string[]
  private readonly chain: LoadChain

  constructor(
    readonly playbookFile: string,
    /** The modules tasks may call: each task's arguments are checked against its module's schema. */
    readonly modules: ModuleRegistry,
    options: LoaderOptions = {},
  ) {
    this.playbookDir = dirname(resolve(playbookFile))
    this.rolesPath = options.rolesPath ?? defaultRolesPath()
    this.chain = new LoadChain(this.playbookDir)
  }

  nextId(): number {
    return ++this.id
  }

  loadPlaybook(): Playbook {
    const file = resolve(this.playbookFile)
    return { file, dir: this.playbookDir, plays: this.withPlaybook(file, undefined, () => parsePlays(readYaml(file), file, this)) }
  }

  /** Reads a playbook (the first, or one from import_playbook); a playbook that imports itself, through any chain, is an error. */
  withPlaybook<T>(path: string, at: SourcePos | undefined, read: () => T): T {
    return this.chain.within(`playbook:${resolve(path)}`, this.chain.fileLabel(resolve(path)), false, at, read)
  }

  /** Reads a YAML file (with positions) or fails naming the file that included it. */
  readYaml(path: string, at?: SourcePos): unknown {
    return readYaml(path, at)
  }

  /** Resolves and parses a task file for import_tasks (static) or include_tasks (dynamic, at run time). */
  loadTaskFile(file: string, scope: ParseScope, at: SourcePos, dynamic = false): Node[] {
    const path = this.taskFilePath(file, scope, at)
    return this.chain.within(`tasks:${path}`, this.chain.fileLabel(path), dynamic, at, () => this.parseTaskFile(path, scope, at))
  }

  /** An include_tasks with a fixed name, read ahead for checking; none when it includes itself (it loads at run time). */
  preloadTaskFile(file: string, scope: ParseScope, at: SourcePos): Node[] | undefined {
    const path = this.taskFilePath(file, scope, at)
    if (this.chain.reading(`tasks:${path}`)) return undefined
    return this.chain.within(`tasks:${path}`, this.chain.fileLabel(path), true, at, () => this.parseTaskFile(path, scope, at))
  }

  private taskFilePath(file: string, scope: ParseScope, at: SourcePos): string {
    const candidates = isAbsolute(file)
      ? [file]
      : [join(scope.dir, file), ...(scope.role ? [join(scope.role.def.path, 'tasks', file)] : []), join(this.playbookDir, file)]
    const path = candidates.find((p) => existsSync(p) && statSync(p).isFile())
    if (!path) throw new MissingFileError(`task file '${file}' not found; looked in: ${candidates.join(', ')}`, at)
    return resolve(path)
  }

  private parseTaskFile(path: string, scope: ParseScope, at: SourcePos): Node[] {
    return parseTaskList(readYaml(path, at) ?? [], { ...scope, file: path, dir: dirname(path) })
  }

  /** A role from `roles:` or a meta dependency: keywords on the line are attributes, other keys are params. */
  loadRoleEntry(entry: unknown, at: SourcePos, parent?: RoleInstance): RoleNode {
    if (typeof entry === 'string') return this.loadRole(entry, {}, {}, 'main', at, parent, true)
    if (!entry || typeof entry !== 'object' || Array.isArray(entry)) {
      throw new PlaybookError('a role entry must be a role name or a mapping with `role:`', at)
    }
    const raw = entry as Raw
    const pos = posOf(raw) ?? at
    const name = raw['role'] ?? raw['name']
    if (typeof name !== 'string') throw new PlaybookError('a role entry needs `role: NAME`', pos)
    const attrs = parseCommonAttrs(raw)
    const params: Raw = {}
    for (const [key, value] of Object.entries(raw)) {
      if (key === 'role' || key === 'name' || COMMON_KEYWORDS.has(key)) continue
      params[key] = value
    }
    // `vars:` on the role line are role params too (role-vars precedence, scoped to the role).
    const { vars, ...rest } = attrs
    return this.loadRole(name, { ...params, ...(vars ?? {}) }, rest, 'main', pos, parent, true)
  }

  loadRole(name: string, params: Raw, attrs: Attrs, tasksFrom: string, at: SourcePos, parent: RoleInstance | undefined, dedupe: boolean, dynamic = false): RoleNode {
    const def = this.roleDef(name, at, parent)
    return this.chain.within(roleKey(def, tasksFrom), roleLabel(name, tasksFrom), dynamic, at, () => this.expandRole(def, name, params, attrs, tasksFrom, at, parent, dedupe))
  }

  /** An include_role with a fixed name, read ahead for checking; none when the role includes itself (it loads at run time). */
  private preloadRole(name: string, params: Raw, tasksFrom: string, at: SourcePos, parent: RoleInstance | undefined): RoleNode | undefined {
    if (this.chain.reading(roleKey(this.roleDef(name, at, parent), tasksFrom))) return undefined
    return this.loadRole(name, params, {}, tasksFrom, at, parent, false, true)
  }

  private expandRole(def: RoleDef, name: string, params: Raw, attrs: Attrs, tasksFrom: string, at: SourcePos, parent: RoleInstance | undefined, dedupe: boolean): RoleNode {
    const instance: RoleInstance = { def, params, handlers: [], ...(parent ? { parent } : {}) }
    const roleScope: ParseScope = { file: def.path, dir: join(def.path, 'tasks'), role: instance, loader: this }
    const meta = readRoleFile(def.path, 'meta', 'main') as Raw | null
    const depsRaw = meta?.['dependencies']
    const dependencies = Array.isArray(depsRaw) ? depsRaw.map((d, i) => this.loadRoleEntry(d, posOf(depsRaw, i) ?? at, instance)) : []
    const tasksFile = roleFilePath(def.path, 'tasks', tasksFrom)
    if (!tasksFile && tasksFrom !== 'main') throw new PlaybookError(`role '${name}' has no tasks/${tasksFrom}.yml`, at)
    const tasks = tasksFile
      ? this.chain.within(`tasks:${resolve(tasksFile)}`, this.chain.fileLabel(resolve(tasksFile)), false, at, () => this.parseTaskFile(resolve(tasksFile), roleScope, at))
      : []
    const handlersFile = roleFilePath(def.path, 'handlers', 'main')
    if (handlersFile) {
      instance.handlers = parseTaskList(readYaml(handlersFile, at) ?? [], { ...roleScope, file: handlersFile, dir: dirname(handlersFile) })
    }
    return { id: this.nextId(), kind: 'role', pos: at, dir: def.path, name: def.name, instance, dependencies, tasks, attrs, dedupe }
  }

  /** include_role / import_role in a task list. */
  parseRoleAction(short: string, args: Raw, attrs: TaskAttrs, base: { id: number; pos: SourcePos; dir: string; role?: RoleInstance; name?: string }, _scope: ParseScope, at: SourcePos): Node {
    const allowed = new Set(['name', 'tasks_from', 'allow_duplicates', 'public', 'apply', 'vars_from', 'defaults_from', 'handlers_from'])
    for (const key of Object.keys(args)) {
      if (!allowed.has(key)) throw new PlaybookError(`unknown ${short} argument '${key}'; expected one of: ${[...allowed].join(', ')}`, at)
    }
    const roleName = args['name']
    if (typeof roleName !== 'string' || !roleName) throw new PlaybookError(`${short} needs name: ROLE`, at)
    const tasksFrom = typeof args['tasks_from'] === 'string' ? args['tasks_from'] : 'main'
    const { vars, ...rest } = attrs
    if (short === 'import_role') {
      if (isTemplated(roleName)) throw new PlaybookError('import_role is static: its name cannot hold a template; use include_role', at)
      const node = this.loadRole(roleName, vars ?? {}, rest, tasksFrom, at, base.role, false)
      return { ...node, id: base.id, pos: base.pos, ...(base.name ? { name: base.name } : {}) }
    }
    const preloaded = isTemplated(roleName) ? undefined : this.preloadRole(roleName, vars ?? {}, tasksFrom, at, base.role)
    const node: IncludeRoleNode = { ...base, kind: 'include_role', roleName, tasksFrom, roleVars: vars ?? {}, attrs: rest, ...(preloaded ? { preloaded } : {}) }
    return node
  }

  private roleDef(name: string, at: SourcePos, parent?: RoleInstance): RoleDef {
    const searched = this.roleCandidates(name, parent)
    const path = searched.find((p) => existsSync(p) && statSync(p).isDirectory())
    if (!path) throw new MissingFileError(`role '${name}' not found; searched: ${searched.join(', ')}`, at)
    const cached = this.roleDefs.get(path)
    if (cached) return cached
    const meta = (readRoleFile(path, 'meta', 'main') ?? {}) as Raw
    const galaxy = meta['galaxy_info'] as Raw | undefined
    const def: RoleDef = {
      name: typeof galaxy?.['role_name'] === 'string' ? galaxy['role_name'] : name.split('/').pop() ?? name,
      path,
      defaults: asVars(readRoleFile(path, 'defaults', 'main'), path, 'defaults'),
      vars: asVars(readRoleFile(path, 'vars', 'main'), path, 'vars'),
      allowDuplicates: meta['allow_duplicates'] !== undefined ? parse.bool(meta['allow_duplicates'], posOf(meta, 'allow_duplicates'), 'allow_duplicates') : false,
    }
    this.roleDefs.set(path, def)
    return def
  }

  private roleCandidates(name: string, parent?: RoleInstance): string[] {
    if (isAbsolute(name)) return [name]
    const dirs = [join(this.playbookDir, 'roles'), ...(parent ? [dirname(parent.def.path)] : []), ...this.rolesPath, this.playbookDir]
    return [...new Set(dirs.map((d) => join(d, name)))]
  }
}

const roleKey = (def: RoleDef, tasksFrom: string): string => `role:${def.path}:${tasksFrom}`
const roleLabel = (name: string, tasksFrom: string): string => (tasksFrom === 'main' ? `role ${name}` : `role ${name} (tasks_from ${tasksFrom})`)

function defaultRolesPath(): string[] {
  const fromEnv = [process.env['TSPLAY_ROLES_PATH'], process.env['ANSIBLE_ROLES_PATH']]
  return fromEnv.flatMap((v) => (v ? v.split(':').filter(Boolean) : [])).map((p) => resolve(p))
}

/** roles/x/tasks/main.yml, main.yaml, main.json, or main (no extension). */
function roleFilePath(rolePath: string, folder: string, base: string): string | undefined {
  const names = /\.(ya?ml|json)$/.test(base) ? [base] : [`${base}.yml`, `${base}.yaml`, `${base}.json`, base]
  return names.map((n) => join(rolePath, folder, n)).find((p) => existsSync(p) && statSync(p).isFile())
}

function readRoleFile(rolePath: string, folder: string, base: string): unknown {
  const path = roleFilePath(rolePath, folder, base)
  return path ? readYaml(path) : null
}

function asVars(data: unknown, rolePath: string, folder: string): Raw {
  if (data === null || data === undefined) return {}
  if (typeof data !== 'object' || Array.isArray(data)) {
    throw new PlaybookError(`${folder}/main.yml of role ${rolePath} must be a mapping of variables`, posOf(data) ?? { file: join(rolePath, folder), line: 1, col: 1 })
  }
  return checkBecomeVars(data as Raw)
}
