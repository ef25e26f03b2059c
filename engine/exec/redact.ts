/** Hides values that must not be shown: no_log results, and the secrets a task brings in. */
import type { TaskResultEvent } from '../events.js'
import { isTemplated } from '../expr/index.js'
import { parseTemplate } from '../expr/template.js'
import type { AnyModule, ArgSpec } from '../module.js'
import { MASK, registerSecret } from '../secrets.js'

export const HIDDEN = MASK

/** Ansible's words, so that logs and tools that look for them read tsplay's output alike. */
export const CENSORED = "the output has been hidden due to the fact that 'no_log: true' was specified for this result"

export function redact(result: Record<string, unknown>): Record<string, unknown> {
  const keep = ['changed', 'failed', 'skipped', 'unreachable', 'attempts']
  const out: Record<string, unknown> = { censored: CENSORED }
  for (const key of keep) if (key in result) out[key] = result[key]
  return out
}

/**
 * What the reporters see of a no_log task's result: its output censored, no diff, no actions, no
 * item. Only the shown copy is censored; `register`, set_fact and rescue get the real result, as
 * in Ansible (a censored placeholder made the next task's `{{ r.stdout }}` undefined).
 */
export function censor(event: TaskResultEvent): TaskResultEvent {
  return {
    ...event,
    diff: [],
    actions: [],
    result: redact(event.result),
    ...(event.msg !== undefined ? { msg: CENSORED } : {}),
    ...(event.item !== undefined ? { item: HIDDEN } : {}),
  }
}

/**
 * Argument types whose values are never secrets, even under no_log: hiding every path, mode,
 * number or fixed choice (`present`) the task used would blank them out of all later output.
 */
const PLAIN_TYPES = new Set<ArgSpec['type']>(['bool', 'int', 'float', 'mode', 'path'])

/**
 * Registers, as secrets, the rendered arguments a module marks `secret: true`, and under `no_log`
 * the values templated into every other argument that could carry one, so they are masked
 * wherever they show up next (-vvvv command lines, a later task's output, an error).
 *
 * Under no_log only the values that `{{ }}` brought in count, not the text the playbook spells
 * out around them: that text is code, in clear in the playbook, and registering it (every
 * 4-character piece of `echo "{{ x }}"`) masked ordinary words such as `echo` in all later output.
 */
export function registerTaskSecrets(mod: AnyModule, raw: Readonly<Record<string, unknown>>, args: Readonly<Record<string, unknown>>, noLog: boolean): void {
  for (const [key, value] of Object.entries(args)) {
    const spec = specOf(mod, key)
    if (spec?.secret) registerSecret(value)
    else if (noLog && (!spec || (!PLAIN_TYPES.has(spec.type) && !spec.choices))) registerTemplatedValues(raw[key], value)
  }
}

function specOf(mod: AnyModule, key: string): ArgSpec | undefined {
  return mod.args[key] ?? Object.values(mod.args).find((spec) => spec.aliases?.includes(key))
}

/** Registers what rendering `raw` put into `rendered`: the values of its `{{ }}`, not its text. */
function registerTemplatedValues(raw: unknown, rendered: unknown): void {
  if (!isTemplated(raw)) return
  if (typeof raw === 'string') {
    for (const value of templatedParts(raw, rendered)) registerSecret(value)
  } else if (Array.isArray(raw) && Array.isArray(rendered) && raw.length === rendered.length) {
    raw.forEach((item, i) => registerTemplatedValues(item, rendered[i]))
  } else if (raw && typeof raw === 'object' && rendered && typeof rendered === 'object' && !Object.keys(raw).some(isTemplated)) {
    const out = rendered as Record<string, unknown>
    for (const [k, v] of Object.entries(raw)) registerTemplatedValues(v, out[k])
  } else {
    // Templated keys: which rendered value came from which is lost, so all of them count.
    registerSecret(rendered)
  }
}

/**
 * The values of the `{{ }}` parts of `raw` in its rendering: a string that is one expression is
 * its value (a list stays a list); otherwise the rendering is matched against the literal text
 * between the expressions.
 */
function templatedParts(raw: string, rendered: unknown): unknown[] {
  let parts
  try {
    parts = parseTemplate(raw).parts
  } catch {
    return [rendered]
  }
  const exprs = parts.filter((p) => p.kind === 'expr').length
  if (typeof rendered !== 'string' || exprs === 0) return exprs ? [rendered] : []
  const source = parts.map((p) => (p.kind === 'text' ? escapeRegExp(p.text) : '([\\s\\S]*?)')).join('')
  const match = new RegExp(`^${source}$`).exec(rendered)
  return match ? match.slice(1) : [rendered]
}

function escapeRegExp(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')
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
