/** --list-hosts, --list-tasks, --list-tags: what a run would touch, without touching it. */
import type { Inventory } from '../inventory/index.js'
import type { Node, Playbook } from '../playbook/types.js'
import { playTarget, unmatchedPatternWarning } from '../exec/run.js'
import { renderedTags, selectedByTags } from '../exec/tags.js'
import { VarScope } from '../vars.js'
import type { Limit } from '../inventory/limit.js'

export interface ListHostsOptions {
  limit?: Limit
  extraVars: Record<string, unknown>
  /** Told each pattern part that matches nothing, as a run is. */
  warn(message: string): void
}

export function listHosts(playbook: Playbook, inventory: Inventory, options: ListHostsOptions): string {
  const out = [`\nplaybook: ${playbook.file}`]
  playbook.plays.forEach((play, i) => {
    const { pattern, name } = playTarget(play, options.extraVars)
    for (const part of inventory.unmatched(pattern)) options.warn(unmatchedPatternWarning(part))
    const hosts = inventory.select(pattern).filter((h) => !options.limit || options.limit.hosts.has(h))
    out.push('', `  play #${i + 1} (${pattern}): ${name}\tTAGS: [${(play.attrs.tags ?? []).join(', ')}]`, `    pattern: ['${pattern}']`, `    hosts (${hosts.length}):`)
    for (const h of hosts) out.push(`      ${h}`)
  })
  return out.join('\n') + '\n'
}

export function listTasks(playbook: Playbook, only: string[], skip: string[], extraVars: Record<string, unknown> = {}): string {
  const out = [`\nplaybook: ${playbook.file}`]
  playbook.plays.forEach((play, i) => {
    // Templated tags render with the play's vars and the extra vars, as Ansible lists them.
    const scope = new VarScope([
      { source: 'play vars', vars: play.attrs.vars ?? {} },
      { source: 'extra vars', vars: extraVars },
    ])
    out.push('', `  play #${i + 1} (${play.hosts}): ${play.name}\tTAGS: [${(play.attrs.tags ?? []).join(', ')}]`, '    tasks:')
    const visit = (nodes: readonly Node[], inherited: string[], role?: string): void => {
      for (const node of nodes) {
        const tags = renderedTags([...inherited, ...(node.attrs.tags ?? [])], () => scope)
        if (node.kind === 'block') visit([...node.block, ...node.rescue, ...node.always], tags, role)
        else if (node.kind === 'role') {
          visit(node.dependencies, tags)
          visit(node.tasks, tags, node.instance.def.name)
        } else if (node.kind === 'include_tasks' || node.kind === 'include_role') {
          if (selectedByTags(tags, only, skip)) out.push(`      ${node.kind}: ${node.kind === 'include_tasks' ? node.file : node.roleName}\tTAGS: [${tags.join(', ')}]`)
        } else if (selectedByTags(tags, only, skip)) {
          const name = node.name ?? (node.kind === 'task' ? node.moduleName : `meta: ${node.action}`)
          // ansible-playbook --list-tasks shows a task's tags sorted.
          out.push(`      ${role ? `${role} : ` : ''}${name}\tTAGS: [${[...new Set(tags)].sort().join(', ')}]`)
        }
      }
    }
    visit([...play.preTasks, ...play.roles, ...play.tasks, ...play.postTasks], play.attrs.tags ?? [])
  })
  return out.join('\n') + '\n'
}
