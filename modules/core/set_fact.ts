/**
 * set_fact: sets host variables (Ansible's `set_fact`); runs on the controller.
 * Its arguments are the variables themselves, so no schema can list them: `anyArgs` lets
 * any name through (only `cacheable` is its own).
 */
import { defineModule } from '../../engine/module.js'

const VARIABLE_NAME = /^[A-Za-z_][A-Za-z0-9_]*$/

const args = {
  cacheable: { type: 'bool', default: false, description: 'Also store the facts as host facts and in the fact cache (jsonfile: kept for later runs).' },
} as const

/** Text Ansible's set_fact (action plugin) makes a boolean of, unless jinja2_native is on. */
const BOOLEAN_TEXT = new Set(['true', 'false', 'yes', 'no'])

export default defineModule({
  name: 'set_fact',
  description: 'Sets variables for the host from the given key: value pairs.',
  args,
  controllerOnly: true,
  anyArgs: true,
  async plan(ctx, given) {
    const facts: Record<string, unknown> = {}
    for (const [key, value] of Object.entries(given as Record<string, unknown>)) {
      if (key === 'cacheable') continue
      // A templated name (`"{{ item }}=moo"`) is checked once it is rendered, as Ansible does.
      if (!VARIABLE_NAME.test(key)) return { changed: false, failed: `The variable name '${key}' is not valid. Variables must start with a letter or underscore character, and contain only letters, numbers and underscores.`, result: {} }
      facts[key] = !ctx.jinja2Native && typeof value === 'string' && BOOLEAN_TEXT.has(value.toLowerCase()) ? ['true', 'yes'].includes(value.toLowerCase()) : value
    }
    // Ansible's bookkeeping key: the strategy also puts these facts in the fact cache.
    return { changed: false, result: { ansible_facts: facts, ...(given.cacheable ? { _ansible_facts_cacheable: true } : {}) } }
  },
})
