/** A task's module arguments as the module receives them: rendered, `omit` dropped. */
import { OMIT } from '../expr/index.js'
import type { AnyModule } from '../module.js'
import type { VarScope } from '../vars.js'

/**
 * Renders every argument but the module's expression arguments (ArgSpec.expression), which
 * stay as the user wrote them: rendering `that: "'{{ r.stdout }}' == 'ok'"` first would
 * let a host's output be evaluated as an expression (Ansible's CVE-2023-5764).
 */
export function renderArgs(mod: AnyModule, args: Readonly<Record<string, unknown>>, scope: VarScope): Record<string, unknown> {
  const asWritten: Record<string, unknown> = {}
  const templates: Record<string, unknown> = {}
  for (const [key, value] of Object.entries(args)) (isExpressionArg(mod, key) ? asWritten : templates)[key] = value
  // Rendered as one mapping: set_fact's keys may be templates too.
  const rendered = { ...(scope.render(templates) as Record<string, unknown>), ...asWritten }
  return Object.fromEntries(Object.entries(rendered).filter(([, v]) => v !== OMIT))
}

function isExpressionArg(mod: AnyModule, key: string): boolean {
  return Object.entries(mod.args).some(([name, spec]) => spec.expression === true && (name === key || (spec.aliases ?? []).includes(key)))
}
