/** assert: fails unless every expression holds (Ansible's `assert`); runs on the controller. */
import { defineModule } from '../../engine/module.js'
import { errorMessage } from '../../engine/errors.js'
import { truthy } from '../../engine/expr/index.js'

const args = {
  that: { type: 'list', elements: 'raw', required: true, expression: true, description: 'Expressions (as in when:, without {{ }}) that must all be true.' },
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
    for (const item of a.that) {
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
    return { changed: false, result: a.quiet ? { msg } : { msg, evaluated_to: true } }
  },
})
