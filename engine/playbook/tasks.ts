/** Parses task lists: module tasks, blocks, includes/imports, roles in tasks, meta. */
import { dirname } from 'node:path'
import { closest, keepWrittenText, validateArgs } from '../args.js'
import { ArgsError, PlaybookError, formatPos, type SourcePos } from '../errors.js'
import { holdsUnsafe, isTemplated, parseExpression } from '../expr/index.js'
import { posOf, rawScalarOf } from '../yaml.js'
import { COMMON_KEYWORDS, TASK_KEYWORDS, parseCommonAttrs, parseTaskAttrs, parse } from './attrs.js'
import { checkIncludeKeywords, parseApply } from './include-args.js'
import { parseKv } from './kv.js'
import { missingModule } from './missing-module.js'
import type { NodeStart, ParseScope } from './load-context.js'
import type { AnyModule } from '../module.js'
import type { ModuleRegistry } from '../registry.js'
import type { BlockNode, MetaNode, Node, TaskAttrs } from './types.js'

type Raw = Record<string, unknown>

const BLOCK_KEYS = new Set(['block', 'rescue', 'always', 'name', 'notify', ...COMMON_KEYWORDS])
const INCLUDE_TASKS = new Set(['include_tasks', 'import_tasks', 'include'])
const ROLE_ACTIONS = new Set(['include_role', 'import_role'])
const META_ACTIONS = new Set(['flush_handlers', 'noop', 'end_play', 'end_host', 'clear_facts', 'clear_host_errors', 'refresh_inventory', 'reset_connection'])

/** ansible.builtin.include_tasks -> include_tasks, for the actions the loader itself handles. */
function shortAction(name: string): string {
  return name.replace(/^ansible\.(builtin|legacy)\./, '')
}

/** A task file's tasks; relative paths in them start at the file's folder. */
export function parseTaskFile(path: string, scope: ParseScope, at: SourcePos): Node[] {
  return parseTaskList(scope.loader.readYaml(path, at) ?? [], { ...scope, file: path, dir: dirname(path) })
}

export function parseTaskList(list: unknown, scope: ParseScope, at?: SourcePos): Node[] {
  if (list === null || list === undefined) return []
  if (!Array.isArray(list)) throw new PlaybookError('expected a list of tasks', at ?? posOf(list) ?? { file: scope.file, line: 1, col: 1 })
  return list.map((entry, i) => parseTask(entry, scope, posOf(list, i) ?? at))
}

export function parseTask(entry: unknown, scope: ParseScope, at: SourcePos | undefined): Node {
  const pos = posOf(entry) ?? at ?? { file: scope.file, line: 1, col: 1 }
  if (!entry || typeof entry !== 'object' || Array.isArray(entry)) {
    throw new PlaybookError('a task must be a mapping such as `- name: ...` with one module', pos)
  }
  const raw = entry as Raw
  const base: NodeStart = { id: scope.loader.nextId(), pos, dir: scope.dir, ...(scope.role ? { role: scope.role } : {}) }
  const name = raw['name'] !== undefined ? parse.str(raw['name'], posOf(raw, 'name'), 'name') : undefined
  if (name !== undefined) base.name = name

  if ('block' in raw) {
    for (const key of Object.keys(raw)) {
      if (!BLOCK_KEYS.has(key)) throw new PlaybookError(`'${key}' is not valid on a block; expected one of: ${[...BLOCK_KEYS].join(', ')}`, posOf(raw, key))
    }
    const node: BlockNode = {
      ...base,
      kind: 'block',
      block: parseTaskList(raw['block'], scope, posOf(raw, 'block')),
      rescue: parseTaskList(raw['rescue'], scope, posOf(raw, 'rescue')),
      always: parseTaskList(raw['always'], scope, posOf(raw, 'always')),
      attrs: parseCommonAttrs(raw),
    }
    if (raw['notify'] !== undefined && raw['notify'] !== null) node.attrs.notify = parse.stringList(raw['notify'], posOf(raw, 'notify'), 'notify')
    checkConditions(node.attrs.when, raw, 'when')
    return node
  }

  const modules = scope.loader.modules
  const { action, args, rawArgs, actionPos } = findAction(raw, pos, modules)
  const attrs = parseTaskAttrs(raw)
  checkConditions(attrs.when, raw, 'when')
  checkConditions(attrs.changedWhen, raw, 'changed_when')
  checkConditions(attrs.failedWhen, raw, 'failed_when')
  const short = shortAction(action)

  if (short === 'include_tasks' || short === 'include_role') checkIncludeKeywords(raw, action, short)
  if (INCLUDE_TASKS.has(short)) return parseIncludeTasks(short, args, attrs, base, scope, actionPos)
  if (ROLE_ACTIONS.has(short)) return scope.loader.roleAction(short, args, attrs, base, actionPos)
  if (short === 'meta') {
    const what = typeof args['_raw'] === 'string' ? args['_raw'] : ''
    if (!META_ACTIONS.has(what)) {
      throw new PlaybookError(`unknown meta action '${what}'; expected one of: ${[...META_ACTIONS].join(', ')}`, actionPos)
    }
    const node: MetaNode = { ...base, kind: 'meta', action: what as MetaNode['action'], attrs }
    return node
  }

  const mod = modules.find(action)
  if (!mod) {
    const hint = closest(short, modules.names())
    const unknown = `unknown module '${action}'${hint ? ` (did you mean '${hint}'?)` : ''}`
    if (!scope.loader.insideDynamicInclude()) throw new PlaybookError(`${unknown}. tsplay has: ${modules.names().join(', ')}`, actionPos)
    scope.loader.warn(`${formatPos(actionPos)}: ${unknown}, in a dynamically included file: a host that reaches this task fails it`)
    return { ...base, kind: 'task', moduleName: action, module: missingModule(action, actionPos, `${unknown}: tsplay has no such module`), args, attrs }
  }
  let moduleArgs = args
  if (typeof args['_raw'] === 'string') {
    const { _raw, ...rest } = args
    if (!mod.freeForm) {
      throw new PlaybookError(`module '${mod.name}' takes key=value arguments, not free-form text '${_raw}'`, actionPos)
    }
    moduleArgs = { ...rest, [mod.freeForm]: _raw }
  }
  moduleArgs = keepWrittenText(mod, moduleArgs, (key, index) => (index === undefined ? rawArgs[key] : rawScalarOf(args[key], index)))
  const { known, missingArgs } = checkArgsAtLoad(mod, moduleArgs, actionPos)
  const problem = mod.checkAtLoad?.(Object.fromEntries(Object.entries(known).filter(([, v]) => !isTemplated(v) && !holdsUnsafe(v))))
  if (problem) throw new ArgsError(`module '${mod.name}': ${problem}`, actionPos)
  if (mod.anyArgs) {
    // set_fact's argument names are variable names.
    for (const key of Object.keys(moduleArgs)) {
      if (!(key in mod.args) && !key.includes('{{') && !/^[A-Za-z_][A-Za-z0-9_]*$/.test(key)) throw new PlaybookError(`${mod.name}: '${key}' is not a valid variable name`, actionPos)
    }
  }
  return { ...base, kind: 'task', moduleName: action, module: mod, args: moduleArgs, attrs, ...(missingArgs ? { missingArgs } : {}) }
}

/** The arguments checked against the schema; a required one missing is kept for later (module_defaults may give it). */
function checkArgsAtLoad(mod: AnyModule, args: Record<string, unknown>, at: SourcePos): { known: Record<string, unknown>; missingArgs?: Error } {
  try {
    return { known: validateArgs(mod, args, { pos: at, allowTemplates: true }) }
  } catch (err) {
    if (!(err instanceof ArgsError)) throw err
    return { known: validateArgs(mod, args, { pos: at, allowTemplates: true, skipRequired: true }), missingArgs: err }
  }
}

function isArgName(mod: AnyModule, key: string): boolean {
  return Object.entries(mod.args).some(([name, spec]) => name === key || (spec.aliases ?? []).includes(key))
}

interface FoundAction {
  action: string
  args: Record<string, unknown>
  rawArgs: Record<string, string>
  actionPos: SourcePos
}

/** The one key that is not a keyword names the module; its value (mapping or k=v text) gives the arguments. */
function findAction(raw: Raw, pos: SourcePos, modules: ModuleRegistry): FoundAction {
  const candidates = Object.keys(raw).filter((k) => !TASK_KEYWORDS.has(k))
  let action: string
  let value: unknown
  let actionPos: SourcePos
  if (raw['action'] !== undefined || raw['local_action'] !== undefined) {
    const key = raw['action'] !== undefined ? 'action' : 'local_action'
    actionPos = posOf(raw, key) ?? pos
    const text = raw[key]
    if (typeof text === 'string') {
      const [first, ...rest] = text.trim().split(/\s+/)
      action = first ?? ''
      value = rest.join(' ')
    } else if (text && typeof text === 'object' && typeof (text as Raw)['module'] === 'string') {
      const { module, ...rest } = text as Raw
      action = module as string
      value = rest
    } else {
      throw new PlaybookError(`'${key}' must name a module`, actionPos)
    }
    if (key === 'local_action') raw['delegate_to'] = 'localhost'
    if (candidates.length) throw new PlaybookError(`unknown task keyword '${candidates[0]}'`, posOf(raw, candidates[0]))
  } else {
    if (candidates.length === 0) {
      throw new PlaybookError(`no module in this task: expected a module name (such as copy, command, file) next to the keywords ${Object.keys(raw).join(', ') || '(none)'}`, pos)
    }
    if (candidates.length > 1) {
      const unknown = candidates.filter((c) => !modules.find(c) && !['include_tasks', 'import_tasks', 'include_role', 'import_role', 'meta', 'include'].includes(shortAction(c)))
      const bad = unknown[0] ?? candidates[1] ?? ''
      const hint = closest(bad, [...TASK_KEYWORDS])
      throw new PlaybookError(
        unknown.length
          ? `unknown task keyword '${bad}'${hint ? ` (did you mean '${hint}'?)` : ''}`
          : `a task may call only one module, found: ${candidates.join(', ')}`,
        posOf(raw, bad),
      )
    }
    action = candidates[0] as string
    value = raw[action]
    actionPos = posOf(raw, action) ?? pos
  }
  const rawArgs: Record<string, string> = {}
  let args: Record<string, unknown>
  if (value === null || value === undefined) args = {}
  else if (typeof value === 'string' || typeof value === 'number') {
    // A free-form module (command, shell) takes out only its own keys; `FOO=1` stays in the command.
    const mod = modules.find(action)
    const own = mod?.freeForm ? (key: string) => key !== mod.freeForm && isArgName(mod, key) : undefined
    const kv = parseKv(String(value), own)
    args = { ...kv.args }
    if (kv.freeForm) args['_raw'] = kv.freeForm
  } else if (typeof value === 'object' && !Array.isArray(value)) {
    args = { ...(value as Raw) }
    for (const key of Object.keys(args)) {
      const text = rawScalarOf(value, key)
      if (text !== undefined) rawArgs[key] = text
    }
  } else {
    throw new PlaybookError(`arguments of '${action}' must be a mapping or key=value text`, actionPos)
  }
  if (raw['args'] !== undefined) {
    const extra = parse.mapping(raw['args'], posOf(raw, 'args'), 'args')
    for (const key of Object.keys(extra)) {
      const text = rawScalarOf(extra, key)
      if (text !== undefined) rawArgs[key] = text
    }
    args = { ...extra, ...args }
  }
  return { action, args, rawArgs, actionPos }
}

function parseIncludeTasks(
  short: string,
  args: Record<string, unknown>,
  attrs: TaskAttrs,
  base: NodeStart,
  scope: ParseScope,
  at: SourcePos,
): Node {
  const file = args['_raw'] ?? args['file']
  if (typeof file !== 'string' || !file) throw new PlaybookError(`${short} needs a file name`, at)
  const unknown = Object.keys(args).filter((k) => !['_raw', 'file', 'apply'].includes(k))
  if (unknown.length) throw new PlaybookError(`unknown ${short} argument '${unknown[0]}'; expected: file${short === 'import_tasks' ? '' : ', apply'}`, at)
  const isStatic = short === 'import_tasks'
  // An import is already a block: its own keywords reach every task, so apply has no place there.
  if (isStatic && args['apply'] !== undefined) throw new PlaybookError('import_tasks takes no apply: its keywords already apply to every imported task', at)
  const apply = parseApply(args['apply'], at, short)
  checkConditions(apply?.when, args['apply'] as Raw, 'when')
  if (isStatic && (isTemplated(file) || attrs.loop)) {
    throw new PlaybookError('import_tasks is static: its file name cannot hold a template and it cannot loop; use include_tasks', at)
  }
  if (isStatic) {
    const tasks = scope.loader.loadTaskFile(file, scope, at)
    const { register: _r, notify: _n, listen: _l, changedWhen: _c, failedWhen: _f, until: _u, retries: _re, delay: _d, loop: _lo, loopControl: _lc, ...common } = attrs
    return { ...base, kind: 'block', block: tasks, rescue: [], always: [], attrs: common }
  }
  const preloaded = isTemplated(file) ? undefined : scope.loader.preloadTaskFile(file, scope, at)
  return { ...base, kind: 'include_tasks', file, attrs, ...(preloaded ? { preloaded } : {}), ...(apply ? { apply } : {}) }
}

/** Bare expressions are parsed at load time so a typo shows before any host is contacted. */
function checkConditions(list: string[] | undefined, raw: Raw, key: string): void {
  for (const expression of list ?? []) {
    try {
      parseExpression(expression)
    } catch (err) {
      throw new PlaybookError(`bad '${key}' expression: ${(err as Error).message}`, posOf(raw, key))
    }
  }
}
