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
import { boolOption, fileOption, parseApply } from './include-args.js'
import type { Attrs, IncludeRoleNode, Node, RoleDef, RoleFromFiles, RoleInstance, RoleNode, TaskAttrs } from './types.js'

type Raw = Record<string, unknown>

const ROLE_ACTION_ARGS = new Set(['name', 'role', 'tasks_from', 'allow_duplicates', 'public', 'apply', 'vars_from', 'defaults_from', 'handlers_from', 'rolespec_validate'])

/** How a role is used: the `*_from` files it reads and the `vars:` on its line. */
export interface RoleUse extends RoleFromFiles {
  lineVars?: Record<string, unknown>
}

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
    // `vars:` on the line is the role's vars attribute (below its vars/main.yml), not a param: Ansible 2.14.
    const { vars, ...rest } = attrs
    return this.load(name, params, rest, 'main', pos, parent, true, false, vars ? { lineVars: vars } : {})
  }

  /** include_role / import_role in a task list. */
  action(short: string, args: Raw, attrs: TaskAttrs, start: NodeStart, at: SourcePos): Node {
    for (const key of Object.keys(args)) {
      if (!ROLE_ACTION_ARGS.has(key)) throw new PlaybookError(`unknown ${short} argument '${key}'; expected one of: ${[...ROLE_ACTION_ARGS].join(', ')}`, at)
    }
    const roleName = args['name'] ?? args['role']
    if (typeof roleName !== 'string' || !roleName) throw new PlaybookError(`${short} needs name: ROLE`, at)
    const tasksFrom = fileOption(args, 'tasks_from', at) ?? 'main'
    const from = fromFiles(args, at)
    const allowDuplicates = boolOption(args, 'allow_duplicates', at) ?? true
    // rolespec_validate is accepted; checking meta/argument_specs.yml is not done yet (docs/decisions.md).
    boolOption(args, 'rolespec_validate', at)
    const { vars, ...rest } = attrs
    if (short === 'import_role') {
      for (const key of ['apply', 'public']) if (args[key] !== undefined) throw new PlaybookError(`import_role takes no ${key}: an import's keywords already reach every task, and its defaults and vars are public`, at)
      if ([roleName, tasksFrom, ...Object.values(from)].some(isTemplated)) throw new PlaybookError('import_role is static: its name and *_from files cannot hold a template; use include_role', at)
      // Its vars are the role's vars attribute and, as keywords of the import, vars of every task in it.
      const node = this.load(roleName, {}, attrs, tasksFrom, at, start.role, !allowDuplicates, false, { ...from, ...(vars ? { lineVars: vars } : {}) })
      return { ...node, id: start.id, pos: start.pos, ...(start.name ? { name: start.name } : {}), imported: true, allowDuplicates }
    }
    const isPublic = boolOption(args, 'public', at)
    const apply = parseApply(args['apply'], at, short)
    const fixed = ![roleName, tasksFrom, ...Object.values(from)].some(isTemplated)
    const preloaded = fixed ? this.preload(roleName, tasksFrom, { ...from, ...(vars ? { lineVars: vars } : {}) }, at, start.role) : undefined
    const node: IncludeRoleNode = {
      ...start,
      kind: 'include_role',
      roleName,
      tasksFrom,
      roleVars: vars ?? {},
      attrs: rest,
      allowDuplicates,
      ...(Object.keys(from).length ? { from } : {}),
      ...(isPublic !== undefined ? { public: isPublic } : {}),
      ...(apply ? { apply } : {}),
      ...(preloaded ? { preloaded } : {}),
    }
    return node
  }

  /** One use of a role, expanded; `dynamic` for include_role, whose recursion may end at run time. */
  load(name: string, params: Raw, attrs: Attrs, tasksFrom: string, at: SourcePos, parent: RoleInstance | undefined, dedupe: boolean, dynamic = false, use: RoleUse = {}): RoleNode {
    const def = this.def(name, at, parent, use)
    return this.chain.within(roleKey(def, tasksFrom), roleLabel(name, tasksFrom), dynamic, at, () => this.expand(def, name, params, attrs, tasksFrom, at, parent, dedupe, use))
  }

  /** An include_role with a fixed name, read ahead for checking; none when the role includes itself (it loads at run time). */
  private preload(name: string, tasksFrom: string, from: RoleUse, at: SourcePos, parent: RoleInstance | undefined): RoleNode | undefined {
    if (this.chain.reading(roleKey(this.def(name, at, parent, from), tasksFrom))) return undefined
    return this.load(name, {}, {}, tasksFrom, at, parent, false, true, from)
  }

  private expand(def: RoleDef, name: string, params: Raw, attrs: Attrs, tasksFrom: string, at: SourcePos, parent: RoleInstance | undefined, dedupe: boolean, use: RoleUse): RoleNode {
    const instance: RoleInstance = { def, params, handlers: [], ...(parent ? { parent } : {}), ...(use.lineVars ? { lineVars: use.lineVars } : {}) }
    const roleScope: ParseScope = { file: def.path, dir: join(def.path, 'tasks'), role: instance, loader: this.loader }
    const meta = readRoleFile(def.path, 'meta', 'main') as Raw | null
    const depsRaw = meta?.['dependencies']
    const dependencies = Array.isArray(depsRaw) ? depsRaw.map((d, i) => this.entry(d, posOf(depsRaw, i) ?? at, instance)) : []
    instance.dependencies = dependencies.map((d) => d.instance)
    const tasksFile = roleFilePath(def.path, 'tasks', tasksFrom)
    if (!tasksFile && tasksFrom !== 'main') throw new PlaybookError(`role '${name}' has no tasks/${tasksFrom}.yml`, at)
    const tasks = tasksFile ? this.chain.withinTaskFile(resolve(tasksFile), false, at, () => parseTaskFile(resolve(tasksFile), roleScope, at)) : []
    const handlersFile = roleFilePath(def.path, 'handlers', use.handlers ?? 'main')
    if (!handlersFile && use.handlers) throw new PlaybookError(`role '${name}' has no handlers/${use.handlers}.yml`, at)
    if (handlersFile) instance.handlers = parseTaskFile(handlersFile, { ...roleScope, handlers: 'top' }, at)
    return { id: this.loader.nextId(), kind: 'role', pos: at, dir: def.path, name: def.name, instance, dependencies, tasks, attrs, dedupe }
  }

  /** The role's folder, read once per folder and choice of defaults/vars files. */
  private def(name: string, at: SourcePos, parent: RoleInstance | undefined, from: RoleFromFiles): RoleDef {
    const searched = this.candidates(name, parent)
    const path = searched.find((p) => existsSync(p) && statSync(p).isDirectory())
    if (!path) throw new MissingFileError(`role '${name}' not found; searched: ${searched.join(', ')}`, at)
    const key = [path, from.defaults ?? '', from.vars ?? ''].join('\0')
    const cached = this.defs.get(key)
    if (cached) return cached
    const meta = (readRoleFile(path, 'meta', 'main') ?? {}) as Raw
    const galaxy = meta['galaxy_info'] as Raw | undefined
    const def: RoleDef = {
      name: typeof galaxy?.['role_name'] === 'string' ? galaxy['role_name'] : name.split('/').pop() ?? name,
      path,
      defaults: asVars(readFromFile(path, 'defaults', from.defaults, at), path, 'defaults'),
      vars: asVars(readFromFile(path, 'vars', from.vars, at), path, 'vars'),
      allowDuplicates: meta['allow_duplicates'] !== undefined ? parse.bool(meta['allow_duplicates'], posOf(meta, 'allow_duplicates'), 'allow_duplicates') : false,
    }
    this.defs.set(key, def)
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

/** defaults_from / vars_from name a file that must exist; main may be absent. */
function readFromFile(rolePath: string, folder: string, base: string | undefined, at: SourcePos): unknown {
  if (base !== undefined && !roleFilePath(rolePath, folder, base)) throw new MissingFileError(`role ${rolePath} has no ${folder}/${base}.yml (${folder}_from)`, at)
  return readRoleFile(rolePath, folder, base ?? 'main')
}

/** include_role's and import_role's vars_from, defaults_from, handlers_from. */
function fromFiles(args: Raw, at: SourcePos): RoleFromFiles {
  const from: RoleFromFiles = {}
  for (const kind of ['vars', 'defaults', 'handlers'] as const) {
    const file = fileOption(args, `${kind}_from`, at)
    if (file !== undefined) from[kind] = file
  }
  return from
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
