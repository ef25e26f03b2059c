/**
 * set_fact: sets host variables (Ansible's `set_fact`); runs on the controller.
 * Its arguments are the variables themselves, so no schema can list them: `anyArgs` lets
 * any name through (only `cacheable` is its own).
 */
import { defineModule } from '../../engine/module.js'

const VARIABLE_NAME = /^[A-Za-z_][A-Za-z0-9_]*$/

const args = {
  cacheable: { type: 'bool', default: false, description: 'Also store the facts in the fact cache (accepted; tsplay keeps facts for the run only).' },
} as const

export default defineModule({
  name: 'set_fact',
  description: 'Sets variables for the host from the given key: value pairs.',
  args,
  controllerOnly: true,
  anyArgs: true,
  async plan(_ctx, given) {
    const facts: Record<string, unknown> = {}
    for (const [key, value] of Object.entries(given as Record<string, unknown>)) {
      if (key === 'cacheable') continue
      // A templated name (`"{{ item }}=moo"`) is checked once it is rendered, as Ansible does.
      if (!VARIABLE_NAME.test(key)) return { changed: false, failed: `The variable name '${key}' is not valid. Variables must start with a letter or underscore character, and contain only letters, numbers and underscores.`, result: {} }
      facts[key] = value
    }
    return { changed: false, result: { ansible_facts: facts } }
  },
})
