/** Hides values that must not be shown: no_log results, and the secrets a task brings in. */
import type { AnyModule, ArgSpec } from '../module.js'
import { MASK, registerSecret } from '../secrets.js'

export const HIDDEN = MASK

export function redact(result: Record<string, unknown>): Record<string, unknown> {
  const keep = ['changed', 'failed', 'skipped', 'unreachable', 'attempts']
  const out: Record<string, unknown> = { censored: 'the output has been hidden due to the fact that no_log: true was specified for this result' }
  for (const key of keep) if (key in result) out[key] = result[key]
  return out
}

/**
 * Argument types whose values are never secrets, even under no_log: hiding every path, mode,
 * number or fixed choice (`present`) the task used would blank them out of all later output.
 */
const PLAIN_TYPES = new Set<ArgSpec['type']>(['bool', 'int', 'float', 'mode', 'path'])

/**
 * Registers, as secrets, the rendered arguments a module marks `secret: true`, and under
 * `no_log` every other argument that could carry one, so they are masked wherever they show
 * up next (-vvvv command lines, a later task's output, an error).
 */
export function registerTaskSecrets(mod: AnyModule, args: Readonly<Record<string, unknown>>, noLog: boolean): void {
  for (const [key, value] of Object.entries(args)) {
    const spec = specOf(mod, key)
    if (spec?.secret) registerSecret(value)
    else if (noLog && (!spec || (!PLAIN_TYPES.has(spec.type) && !spec.choices))) registerSecret(value)
  }
}

function specOf(mod: AnyModule, key: string): ArgSpec | undefined {
  return mod.args[key] ?? Object.values(mod.args).find((spec) => spec.aliases?.includes(key))
}

/** Connection and become passwords: secrets wherever they show (debug, hostvars), used by the task or not. */
const PASSWORD_VARS = ['ansible_password', 'ansible_ssh_pass', 'ansible_ssh_password', 'ansible_become_password', 'ansible_become_pass']

export function registerPasswordVars(lookup: (name: string) => unknown): void {
  for (const name of PASSWORD_VARS) {
    try {
      const value = lookup(name)
      if (value !== undefined && value !== null) registerSecret(String(value))
    } catch {
      // A password that cannot be rendered fails the task that uses it, not every task.
    }
  }
}
