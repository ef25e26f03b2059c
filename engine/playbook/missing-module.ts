/**
 * A task of a dynamically included file that names a module tsplay lacks. Multi-OS roles keep
 * other systems' tasks (pacman, pkgng, zypper_repository) behind `when:`, so such a file loads
 * with a warning, and only a host that reaches the task fails it, naming the task and the module.
 */
import { ModuleError, formatPos, type SourcePos } from '../errors.js'
import { defineModule, type AnyModule } from '../module.js'

export function missingModule(action: string, at: SourcePos, problem: string): AnyModule {
  return defineModule({
    name: action,
    description: `Not a tsplay module: ${problem}`,
    args: {},
    anyArgs: true,
    controllerOnly: true,
    async plan() {
      throw new ModuleError(`${formatPos(at)}: ${problem}`)
    },
  })
}
