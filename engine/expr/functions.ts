/** Functions callable by name: range(), lookup()/query(), dict(). */
import { readFileSync, statSync } from 'node:fs'
import { isAbsolute, join } from 'node:path'
import { describe, isInt, keyOf, toStr, truthy } from './python.js'
import { needString, params, type CallArgs, type Ctx, type FunctionFn } from './types.js'
import { ExprFailure, fail, isDict, MISSING, setKey, type Dict } from './values.js'

const MAX_RANGE = 1_000_000

const range: FunctionFn = (call, ctx) => {
  const args = params(call, ['start', 'stop', 'step'], ctx).filter((a) => a !== undefined)
  if (args.length === 0) fail('range() needs at least one argument')
  for (const a of args) if (!isInt(a)) fail(`range() takes integers, not ${describe(a)}`)
  const [start, stop, step = 1] = (args.length === 1 ? [0, args[0]] : args) as number[]
  if (step === 0) fail('range() step cannot be zero')
  const count = Math.max(0, Math.ceil(((stop as number) - (start as number)) / step))
  if (count > MAX_RANGE) fail(`range() of ${count} items is too large`)
  return Array.from({ length: count }, (_, i) => (start as number) + i * step)
}

/**
 * Where `lookup('file', 'x')` looks for a relative path: the role's files/, the role, the
 * playbook's files/, the playbook's directory (as Ansible does), then the working directory.
 */
function findFile(path: string, ctx: Ctx): string {
  if (isAbsolute(path)) return path
  const dirs: string[] = []
  for (const v of ['role_path', 'playbook_dir']) {
    const dir = ctx.scope.lookup(v)
    if (typeof dir === 'string') dirs.push(join(dir, 'files'), dir)
  }
  for (const dir of dirs) {
    const candidate = join(dir, path)
    try {
      if (statSync(candidate).isFile()) return candidate
    } catch {
      // not there: try the next place
    }
  }
  return path
}

type Plugin = (term: unknown, options: Dict, ctx: Ctx) => unknown

/** lookup('template'): set by engine/expr/jinja/lookup.ts (the file renderer needs this evaluator). */
let templateLookup: Plugin = () => fail("lookup('template') is not available")
export function setTemplateLookup(plugin: Plugin): void {
  templateLookup = plugin
}

const PLUGINS: Record<string, Plugin> = {
  env: (term, options) => {
    const value = process.env[needString(term, 'the environment variable name')]
    return value ?? (options['default'] !== undefined ? options['default'] : '')
  },
  file: (term, options, ctx) => {
    const path = findFile(needString(term, 'the file name'), ctx)
    let text: string
    try {
      text = readFileSync(path, 'utf8')
    } catch (err) {
      throw new ExprFailure(`lookup('file') could not read '${path}': ${(err as NodeJS.ErrnoException).code ?? String(err)}`, undefined, { cause: err })
    }
    // Ansible strips the trailing newline unless rstrip=False.
    return truthy(options['rstrip'] ?? true) ? text.replace(/\s+$/, '') : text
  },
  vars: (term, options, ctx) => {
    const value = ctx.scope.lookup(needString(term, 'the variable name'))
    if (value !== MISSING) return value
    return options['default'] !== undefined ? options['default'] : fail(`lookup('vars'): '${toStr(term)}' is not defined`)
  },
  items: (term) => term,
  list: (term) => term,
  template: (term, options, ctx) => templateLookup(term, options, ctx),
}

const NAMES = Object.keys(PLUGINS)

/** Runs a lookup plugin on every term; `asList` is query()'s (and wantlist=True's) shape. */
function runLookup(call: CallArgs, ctx: Ctx, asList: boolean): unknown {
  const [name, ...terms] = call.positional
  const plugin = needString(name, 'the lookup name').split('.').at(-1) ?? ''
  const fn = Object.hasOwn(PLUGINS, plugin) ? PLUGINS[plugin] : undefined
  if (!fn) fail(`unknown lookup '${toStr(name)}' (available: ${NAMES.join(', ')})`)
  const { wantlist, errors, ...options } = call.named
  const results: unknown[] = []
  for (const term of plugin === 'items' || plugin === 'list' ? terms.flat() : terms) {
    try {
      results.push(fn(term, options, ctx))
    } catch (err) {
      if (errors === 'ignore' || errors === 'warn') continue
      throw err
    }
  }
  if (asList || truthy(wantlist ?? false)) return results
  // lookup() joins several results with commas, as Ansible does.
  return results.length === 1 ? results[0] : results.map(toStr).join(',')
}

const dict: FunctionFn = (call) => {
  const out: Dict = {}
  if (call.positional.length > 1) fail('dict() takes at most one positional argument')
  const [source] = call.positional
  if (isDict(source)) Object.entries(source).forEach(([k, v]) => setKey(out, k, v))
  else if (Array.isArray(source)) {
    for (const pair of source) {
      if (!Array.isArray(pair) || pair.length !== 2) fail('dict() needs a list of [key, value] pairs')
      setKey(out, keyOf(pair[0]), pair[1])
    }
  } else if (source !== undefined) fail(`dict() cannot take ${describe(source)}`)
  Object.entries(call.named).forEach(([k, v]) => setKey(out, k, v))
  return out
}

export const FUNCTIONS: Record<string, FunctionFn> = {
  range,
  lookup: (call, ctx) => runLookup(call, ctx, false),
  query: (call, ctx) => runLookup(call, ctx, true),
  q: (call, ctx) => runLookup(call, ctx, true),
  dict,
}
