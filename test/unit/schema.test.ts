import { describe, expect, it } from 'vitest'
import { playbookJsonSchema } from '../../engine/cli/schema.js'
import { defaultModules } from '../helpers/module-harness.js'

describe('playbook JSON Schema', () => {
  it('offers every module, under its short and fully-qualified name, with its arguments', () => {
    const schema = playbookJsonSchema(defaultModules()) as { definitions: { task: { properties: Record<string, { anyOf?: { properties?: Record<string, unknown> }[] }> } } }
    const task = schema.definitions.task.properties
    for (const name of defaultModules().names()) {
      expect(task[name], name).toBeDefined()
      expect(task[`ansible.builtin.${name}`], name).toBeDefined()
    }
    expect(Object.keys(task['copy']?.anyOf?.[0]?.properties ?? {})).toEqual(expect.arrayContaining(['dest', 'content', 'src', 'mode']))
    expect(task['when']).toBeDefined()
  })
})
