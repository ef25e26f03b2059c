/**
 * What module_defaults add to a task's arguments, as Ansible 2.14's get_action_args_with_defaults:
 * the mappings of the play, roles, blocks and the task, outer first, each replacing what an outer
 * one said for the same module (`copy` and `ansible.builtin.copy` are one module); the task's own
 * arguments win over the defaults.
 */
import { TsplayError } from '../errors.js'
import { OMIT } from '../expr/index.js'
import type { AnyModule } from '../module.js'
import { defaultsFor, withoutGiven } from '../playbook/module-defaults.js'
import type { ModuleDefaults } from '../playbook/types.js'
import type { ModuleRegistry } from '../registry.js'
import type { VarScope } from '../vars.js'

type Args = Record<string, unknown>

/**
 * The task's arguments as written with the defaults as written put under them, and the defaults a
 * template gave (rendered here: they are values, not templates, and must not be rendered again).
 */
export function argsWithDefaults(modules: Pick<ModuleRegistry, 'find'>, mod: AnyModule, args: Readonly<Args>, layers: readonly ModuleDefaults[] | undefined, scope: VarScope): { written: Args; rendered: Args } {
  const found = defaultsFor(modules, mod, layers)
  if (!found) return { written: { ...args }, rendered: {} }
  if (typeof found.args !== 'string') return { written: { ...withoutGiven(mod, found.args, args), ...args }, rendered: {} }
  const value = scope.render(found.args)
  if (!value || typeof value !== 'object' || Array.isArray(value)) {
    throw new TsplayError(`module_defaults for '${found.name}' must render to a mapping of arguments; '${found.args}' gave ${JSON.stringify(value)}`)
  }
  const rendered = Object.fromEntries(Object.entries(withoutGiven(mod, value as Args, args)).filter(([, v]) => v !== OMIT))
  return { written: { ...args }, rendered }
}
