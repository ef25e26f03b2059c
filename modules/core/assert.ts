/** assert: fails unless every expression holds (Ansible's `assert`); runs on the controller. */
import { defineModule } from '../../engine/module.js'
import { errorMessage } from '../../engine/errors.js'
import { truthy } from '../../engine/expr/index.js'

const args = {
  // raw, not list: Ansible's assert takes one string as one expression (a list type would split it at commas).
  that: { type: 'raw', required: true, expression: true, description: 'An expression (as in when:, without {{ }}), or a list of them, that must all be true.' },
  fail_msg: { type: 'raw', aliases: ['msg'], description: 'The message when an assertion fails.' },
  success_msg: { type: 'raw', description: 'The message when all assertions pass.' },
  quiet: { type: 'bool', default: false, description: 'Print less when the assertions pass.' },
} as const

export default defineModule({
  name: 'assert',
  description: 'Fails the task unless every expression in `that` is true.',
  args,
  controllerOnly: true,
  async plan(ctx, a) {
    const that: unknown[] = Array.isArray(a.that) ? a.that : [a.that]
    for (const item of that) {
      // An empty item (a bare `-`) is true, as Ansible's conditional of None or ''.
      if (item === null || item === '') continue
      // Items come as written (an expression argument); a YAML `true` is already the verdict.
      const text = typeof item === 'string' ? item : String(item)
      let value: unknown
      try {
        value = typeof item === 'string' ? ctx.evaluate(text) : item
      } catch (err) {
        return { changed: false, failed: `The conditional check '${text}' failed: ${errorMessage(err)}`, result: { assertion: text } }
      }
      if (!truthy(value)) {
        const msg = a.fail_msg ?? 'Assertion failed'
        return {
          changed: false,
          failed: typeof msg === 'string' ? msg : JSON.stringify(msg),
          result: { assertion: text, evaluated_to: false },
        }
      }
    }
    const msg = a.success_msg ?? 'All assertions passed'
    // Ansible's assert shows its result without -v unless quiet (its _ansible_verbose_always).
    return { changed: false, result: a.quiet ? { msg } : { msg, _ansible_verbose_always: true } }
  },
})
