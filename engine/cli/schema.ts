/**
 * A JSON Schema for playbooks, generated from the modules' own schemas, so any YAML-aware
 * editor can complete module names and arguments (`# yaml-language-server: $schema=...`).
 */
import { TASK_KEYWORDS } from '../playbook/attrs.js'
import type { ModuleRegistry } from '../registry.js'
import { moduleJsonSchema } from './doc.js'

const PLAY_KEYWORDS = [
  'name', 'hosts', 'vars', 'vars_files', 'roles', 'pre_tasks', 'tasks', 'post_tasks', 'handlers', 'gather_facts', 'serial',
  'strategy', 'max_fail_percentage', 'any_errors_fatal', 'force_handlers', 'remote_user', 'connection', 'order', 'become',
  'become_user', 'become_method', 'become_flags', 'tags', 'when', 'environment', 'check_mode', 'diff', 'no_log',
  'ignore_errors', 'ignore_unreachable', 'collections', 'gather_subset', 'gather_timeout', 'import_playbook',
  'throttle', 'timeout', 'module_defaults', 'port', 'run_once', 'debugger', 'user',
]

export function playbookJsonSchema(registry: ModuleRegistry): Record<string, unknown> {
  const modules: Record<string, unknown> = {}
  for (const name of registry.names()) {
    const mod = registry.find(name)
    if (!mod) continue
    const schema = { anyOf: [moduleJsonSchema(mod), { type: 'string', description: `${mod.name} with key=value arguments` }, { type: 'null' }] }
    modules[name] = schema
    modules[`ansible.builtin.${name}`] = schema
  }
  const keywords = Object.fromEntries([...TASK_KEYWORDS, 'block', 'rescue', 'always', 'include_tasks', 'import_tasks', 'include_role', 'import_role', 'meta'].map((k) => [k, {}]))
  return {
    $schema: 'http://json-schema.org/draft-07/schema#',
    title: 'tsplay playbook',
    type: 'array',
    items: { $ref: '#/definitions/play' },
    definitions: {
      play: {
        type: 'object',
        properties: {
          ...Object.fromEntries(PLAY_KEYWORDS.map((k) => [k, {}])),
          pre_tasks: { $ref: '#/definitions/tasks' },
          tasks: { $ref: '#/definitions/tasks' },
          post_tasks: { $ref: '#/definitions/tasks' },
          handlers: { $ref: '#/definitions/tasks' },
        },
        additionalProperties: false,
      },
      tasks: { type: 'array', items: { $ref: '#/definitions/task' } },
      task: {
        type: 'object',
        properties: { ...keywords, ...modules, block: { $ref: '#/definitions/tasks' }, rescue: { $ref: '#/definitions/tasks' }, always: { $ref: '#/definitions/tasks' } },
        additionalProperties: false,
      },
    },
  }
}
