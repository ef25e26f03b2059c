/** debug: prints a message or a variable's value (Ansible's `debug`); runs on the controller. */
import { defineModule } from '../../engine/module.js'
import { errorMessage } from '../../engine/errors.js'
import { isUndefinedFailure, MISSING } from '../../engine/expr/index.js'

const NOT_DEFINED = 'VARIABLE IS NOT DEFINED!'

const args = {
  msg: { type: 'raw', description: 'The message to print (any value).' },
  var: { type: 'str', expression: true, description: 'A variable name or expression whose value is printed, without {{ }}.' },
  verbosity: { type: 'int', default: 0, description: 'Print only at this -v level or above.' },
} as const

export default defineModule({
  name: 'debug',
  description: 'Prints a message or the value of a variable or expression.',
  args,
  mutuallyExclusive: [['msg', 'var']],
  controllerOnly: true,
  async plan(ctx, a) {
    const level = Number(ctx.vars.get('ansible_verbosity') ?? 0)
    if (a.verbosity > level) return { changed: false, result: { skipped: true, skipped_reason: 'Verbosity threshold not met.' } }
    if (a.var === undefined) return { changed: false, result: { msg: a.msg ?? 'Hello world!' } }
    let value: unknown
    const written = a.var.includes('{{')
    try {
      // As Ansible's convert_bare: the expression is rendered as "{{var}}" is, so `numbers | max` prints
      // "3". A var written as a template stays one expression: host text it names is never rendered.
      value = written ? ctx.evaluate(a.var) : ctx.template(a.var)
    } catch (err) {
      // A bare name that is undefined is what users most often debug: Ansible shows it and goes on.
      // Anything else fails the task as in Ansible, where a var written as a template is rendered
      // with the task's arguments, before debug sees it.
      if (written || !isUndefinedFailure(err)) return { changed: false, failed: errorMessage(err) }
      value = level > 0 ? `${NOT_DEFINED}: ${errorMessage(err)}` : NOT_DEFINED
    }
    if (value === MISSING || value === undefined) value = NOT_DEFINED
    return { changed: false, result: { [a.var]: value } }
  },
})
