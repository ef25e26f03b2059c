/** `tsplay doc`: the module list and each module's arguments, generated from the modules' own schemas. */
import { OptionsError } from '../errors.js'
import type { AnyModule, ArgSpec } from '../module.js'
import type { ModuleRegistry } from '../registry.js'

export function docList(modules: ModuleRegistry): string {
  const names = modules.names()
  const width = Math.max(...names.map((n) => n.length)) + 2
  return names.map((n) => `${n.padEnd(width)}${modules.find(n)?.description ?? ''}`).join('\n') + '\n'
}

export function docModule(modules: ModuleRegistry, name: string): string {
  const mod = modules.find(name)
  if (!mod) throw new OptionsError(`no module named '${name}'; see 'tsplay doc' for the list`)
  const lines = [`> ${mod.name.toUpperCase()}`, '', `  ${mod.description}`, '']
  if (mod.freeForm) lines.push(`  Free-form: \`${mod.name}: TEXT\` sets '${mod.freeForm}'.`, '')
  if (mod.controllerOnly) lines.push('  Runs on the controller; needs no connection.', '')
  lines.push('ARGUMENTS:', '')
  for (const [arg, spec] of Object.entries(mod.args)) lines.push(...argLines(arg, spec))
  for (const [label, groups] of [['mutually exclusive', mod.mutuallyExclusive], ['one of required', mod.requiredOneOf]] as const) {
    for (const g of groups ?? []) lines.push(`  ${label}: ${g.join(', ')}`)
  }
  for (const [arg, value, needs] of mod.requiredIf ?? []) lines.push(`  when ${arg}=${String(value)}: requires ${needs.join(', ')}`)
  return lines.join('\n').trimEnd() + '\n'
}

function argLines(name: string, spec: ArgSpec): string[] {
  const marker = spec.required ? '=' : '-'
  const out = [`${marker} ${name}`, `        ${spec.description}`]
  const facts: string[] = [`type: ${spec.type}${spec.elements ? ` of ${spec.elements}` : ''}`]
  if (spec.required) facts.push('required')
  if (spec.default !== undefined) facts.push(`default: ${JSON.stringify(spec.default)}`)
  if (spec.choices) facts.push(`choices: ${spec.choices.join(', ')}`)
  if (spec.aliases?.length) facts.push(`aliases: ${spec.aliases.join(', ')}`)
  if (spec.secret) facts.push('secret (never shown)')
  if (spec.expression) facts.push('a bare expression, as in when: (not rendered first)')
  out.push(`        ${facts.join('; ')}`, '')
  return out
}

/** A JSON Schema of a module's arguments (for editors). */
export function moduleJsonSchema(mod: AnyModule): Record<string, unknown> {
  const properties: Record<string, unknown> = {}
  const typeOf: Record<string, unknown> = { str: 'string', path: 'string', mode: ['string', 'integer'], int: 'integer', float: 'number', bool: ['boolean', 'string'], list: ['array', 'string'], dict: 'object' }
  for (const [name, spec] of Object.entries(mod.args)) {
    const schema: Record<string, unknown> = { description: spec.description }
    if (typeOf[spec.type]) schema['type'] = typeOf[spec.type]
    if (spec.choices) schema['enum'] = spec.choices
    if (spec.default !== undefined) schema['default'] = spec.default
    properties[name] = schema
    for (const alias of spec.aliases ?? []) properties[alias] = { ...schema, description: `alias of ${name}` }
  }
  return { type: 'object', description: mod.description, properties, additionalProperties: mod.name === 'set_fact' }
}
