/**
 * Roles: finding a role's folder, reading its defaults, vars and meta once per folder, and
 * expanding a use of it (its dependencies first, then tasks and handlers) into a RoleNode.
 * `roles:` entries and meta dependencies are marked for the executor's once-per-play dedupe.
 */
import { existsSync, statSync } from 'node:fs'
import { dirname, isAbsolute, join, resolve } from 'node:path'
import { MissingFileError, PlaybookError, type SourcePos } from '../errors.js'
import { isTemplated } from '../expr/index.js'
import { loadYamlFileSync as readYaml, posOf } from '../yaml.js'
import { COMMON_KEYWORDS, checkBecomeVars, parseCommonAttrs, parse } from './attrs.js'
import type { LoadChain } from './chain.js'
import type { LoadContext, NodeStart, ParseScope } from './load-context.js'
import { parseTaskFile } from './tasks.js'
import type { Attrs, IncludeRoleNode, Node, RoleDef, RoleInstance, RoleNode, TaskAttrs } from './types.js'

type Raw = Record<string, unknown>

const ROLE_ACTION_ARGS = new Set(['name', 'tasks_from', 'allow_duplicates', 'public', 'apply', 'vars_from', 'defaults_from', 'handlers_from'])

export class RoleLoader {
  /** Role folders already read, by path: a role used twice is read once. */
  private readonly defs = new Map<string, RoleDef>()

  constructor(
    private readonly loader: LoadContext,
    private readonly chain: LoadChain,
    private readonly playbookDir: string,
    /** Extra folders to find roles in, after the playbook's roles/ and the parent role's folder. */
    private readonly rolesPath: string[],
  ) {}

  /** A role from `roles:` or a meta dependency: keywords on the line are attributes, other keys are params. */
  entry(entry: unknown, at: SourcePos, parent?: RoleInstance): RoleNode {
    if (typeof entry === 'string') return this.load(entry, {}, {}, 'main', at, parent, true)
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
    return this.load(name, { ...params, ...(vars ?? {}) }, rest, 'main', pos, parent, true)
  }

  /** include_role / import_role in a task list. */
  action(short: string, args: Raw, attrs: TaskAttrs, start: NodeStart, at: SourcePos): Node {
    for (const key of Object.keys(args)) {
      if (!ROLE_ACTION_ARGS.has(key)) throw new PlaybookError(`unknown ${short} argument '${key}'; expected one of: ${[...ROLE_ACTION_ARGS].join(', ')}`, at)
    }
    const roleName = args['name']
    if (typeof roleName !== 'string' || !roleName) throw new PlaybookError(`${short} needs name: ROLE`, at)
    const tasksFrom = typeof args['tasks_from'] === 'string' ? args['tasks_from'] : 'main'
    const { vars, ...rest } = attrs
    if (short === 'import_role') {
      if (isTemplated(roleName)) throw new PlaybookError('import_role is static: its name cannot hold a template; use include_role', at)
      const node = this.load(roleName, vars ?? {}, rest, tasksFrom, at, start.role, false)
      return { ...node, id: start.id, pos: start.pos, ...(start.name ? { name: start.name } : {}) }
    }
    const preloaded = isTemplated(roleName) ? undefined : this.preload(roleName, vars ?? {}, tasksFrom, at, start.role)
    const node: IncludeRoleNode = { ...start, kind: 'include_role', roleName, tasksFrom, roleVars: vars ?? {}, attrs: rest, ...(preloaded ? { preloaded } : {}) }
    return node
  }

  /** One use of a role, expanded; `dynamic` for include_role, whose recursion may end at run time. */
  load(name: string, params: Raw, attrs: Attrs, tasksFrom: string, at: SourcePos, parent: RoleInstance | undefined, dedupe: boolean, dynamic = false): RoleNode {
    const def = this.def(name, at, parent)
    return this.chain.within(roleKey(def, tasksFrom), roleLabel(name, tasksFrom), dynamic, at, () => this.expand(def, name, params, attrs, tasksFrom, at, parent, dedupe))
  }

  /** An include_role with a fixed name, read ahead for checking; none when the role includes itself (it loads at run time). */
  private preload(name: string, params: Raw, tasksFrom: string, at: SourcePos, parent: RoleInstance | undefined): RoleNode | undefined {
    if (this.chain.reading(roleKey(this.def(name, at, parent), tasksFrom))) return undefined
    return this.load(name, params, {}, tasksFrom, at, parent, false, true)
  }

  private expand(def: RoleDef, name: string, params: Raw, attrs: Attrs, tasksFrom: string, at: SourcePos, parent: RoleInstance | undefined, dedupe: boolean): RoleNode {
    const instance: RoleInstance = { def, params, handlers: [], ...(parent ? { parent } : {}) }
    const roleScope: ParseScope = { file: def.path, dir: join(def.path, 'tasks'), role: instance, loader: this.loader }
    const meta = readRoleFile(def.path, 'meta', 'main') as Raw | null
    const depsRaw = meta?.['dependencies']
    const dependencies = Array.isArray(depsRaw) ? depsRaw.map((d, i) => this.entry(d, posOf(depsRaw, i) ?? at, instance)) : []
    const tasksFile = roleFilePath(def.path, 'tasks', tasksFrom)
    if (!tasksFile && tasksFrom !== 'main') throw new PlaybookError(`role '${name}' has no tasks/${tasksFrom}.yml`, at)
    const tasks = tasksFile ? this.chain.withinTaskFile(resolve(tasksFile), false, at, () => parseTaskFile(resolve(tasksFile), roleScope, at)) : []
    const handlersFile = roleFilePath(def.path, 'handlers', 'main')
    if (handlersFile) instance.handlers = parseTaskFile(handlersFile, roleScope, at)
    return { id: this.loader.nextId(), kind: 'role', pos: at, dir: def.path, name: def.name, instance, dependencies, tasks, attrs, dedupe }
  }

  private def(name: string, at: SourcePos, parent?: RoleInstance): RoleDef {
    const searched = this.candidates(name, parent)
    const path = searched.find((p) => existsSync(p) && statSync(p).isDirectory())
    if (!path) throw new MissingFileError(`role '${name}' not found; searched: ${searched.join(', ')}`, at)
    const cached = this.defs.get(path)
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
    this.defs.set(path, def)
    return def
  }

  private candidates(name: string, parent?: RoleInstance): string[] {
    if (isAbsolute(name)) return [name]
    const dirs = [join(this.playbookDir, 'roles'), ...(parent ? [dirname(parent.def.path)] : []), ...this.rolesPath, this.playbookDir]
    return [...new Set(dirs.map((d) => join(d, name)))]
  }
}

/** TSPLAY_ROLES_PATH, then ANSIBLE_ROLES_PATH: the roles path when the run names none. */
export function defaultRolesPath(): string[] {
  const fromEnv = [process.env['TSPLAY_ROLES_PATH'], process.env['ANSIBLE_ROLES_PATH']]
  return fromEnv.flatMap((v) => (v ? v.split(':').filter(Boolean) : [])).map((p) => resolve(p))
}

const roleKey = (def: RoleDef, tasksFrom: string): string => `role:${def.path}:${tasksFrom}`
const roleLabel = (name: string, tasksFrom: string): string => (tasksFrom === 'main' ? `role ${name}` : `role ${name} (tasks_from ${tasksFrom})`)

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
