/**
 * module_defaults checked once the playbook is loaded, before any host is contacted: every name
 * must be a module tsplay has (else a warning: the defaults can never apply), and each task must
 * take its arguments with the defaults that reach it under them, so a bad default is refused naming
 * where it was written and the task it broke, and a required argument is asked for only once the
 * defaults that may give it are known. Defaults a template gives are only known per host, and are
 * checked when the task runs.
 */
import { closest, keepWrittenText, validateArgs } from '../args.js'
import { ArgsError, formatPos } from '../errors.js'
import type { ModuleRegistry } from '../registry.js'
import { rawScalarOf } from '../yaml.js'
import { defaultsFor, withoutGiven } from './module-defaults.js'
import type { ModuleDefaults, Node, Play, TaskNode } from './types.js'

export function checkModuleDefaults(play: Play, modules: ModuleRegistry, warn: (message: string) => void): void {
  const seen = new Set<ModuleDefaults>()
  const own = (layers: readonly ModuleDefaults[] | undefined): readonly ModuleDefaults[] => {
    for (const layer of layers ?? []) {
      if (seen.has(layer)) continue
      seen.add(layer)
      checkNames(layer, modules, warn)
    }
    return layers ?? []
  }
  const visit = (nodes: readonly Node[], chain: readonly ModuleDefaults[]): void => {
    for (const node of nodes) {
      const inner = [...chain, ...own(node.attrs.moduleDefaults)]
      if (node.kind === 'task') checkTask(node, inner, modules)
      else if (node.kind === 'block') visit([...node.block, ...node.rescue, ...node.always], inner)
      else if (node.kind === 'role') {
        // A dependency runs inside its dependent's frame, and so takes its defaults too (walk.ts).
        visit(node.dependencies, inner)
        visit(node.tasks, inner)
        visit(node.instance.handlers, chain)
      } else if (node.kind === 'include_tasks' && node.preloaded) visit(node.preloaded, inner)
      else if (node.kind === 'include_role' && node.preloaded) visit([node.preloaded], inner)
    }
  }
  const playDefaults = own(play.attrs.moduleDefaults)
  visit([...play.preTasks, ...play.roles, ...play.tasks, ...play.postTasks, ...play.handlers], playDefaults)
}

/** A name that is no module of tsplay's can never apply: said, not refused (Ansible has modules tsplay lacks). */
function checkNames(layer: ModuleDefaults, modules: ModuleRegistry, warn: (message: string) => void): void {
  for (const [name, args] of Object.entries(layer.entries)) {
    const mod = modules.find(name)
    const where = layer.positions[name] ?? layer.pos
    if (!mod) {
      const hint = closest(name.replace(/^ansible\.(builtin|legacy)\./, ''), modules.names())
      warn(`${formatPos(where)}: module_defaults for '${name}': tsplay has no such module${hint ? ` (did you mean '${hint}'?)` : ''}, so these defaults apply to no task`)
      continue
    }
    // As a task's own arguments: YAML 1.1 made `on` a boolean, but a string argument keeps the text written.
    if (typeof args !== 'string') layer.entries[name] = keepWrittenText(mod, args, (key, index) => (index === undefined ? rawScalarOf(args, key) : rawScalarOf(args[key], index)))
  }
}

function checkTask(node: TaskNode, chain: readonly ModuleDefaults[], modules: ModuleRegistry): void {
  const found = defaultsFor(modules, node.module, chain)
  if (!found) {
    if (node.missingArgs) throw node.missingArgs
    return
  }
  // Defaults a template gives are known per host only: the run checks the task with them.
  const defaults = found.args
  if (typeof defaults === 'string') return
  try {
    validateArgs(node.module, { ...withoutGiven(node.module, defaults, node.args), ...node.args }, { allowTemplates: true })
  } catch (err) {
    if (!(err instanceof ArgsError)) throw err
    throw new ArgsError(`module_defaults for '${found.name}', as the task at ${formatPos(node.pos)} takes them: ${err.message}`, found.pos)
  }
}
