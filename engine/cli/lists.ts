/** --list-hosts, --list-tasks, --list-tags: what a run would touch, without touching it. */
import type { Inventory } from '../inventory/index.js'
import type { Node, Playbook } from '../playbook/types.js'
import { selectedByTags } from '../exec/tags.js'

export function listHosts(playbook: Playbook, inventory: Inventory, limit?: string): string {
  const limitSet = limit ? new Set(inventory.select(limit)) : undefined
  const out = [`\nplaybook: ${playbook.file}`]
  playbook.plays.forEach((play, i) => {
    const hosts = inventory.select(play.hosts).filter((h) => !limitSet || limitSet.has(h))
    out.push('', `  play #${i + 1} (${play.hosts}): ${play.name}\tTAGS: [${(play.attrs.tags ?? []).join(', ')}]`, `    pattern: ['${play.hosts}']`, `    hosts (${hosts.length}):`)
    for (const h of hosts) out.push(`      ${h}`)
  })
  return out.join('\n') + '\n'
}

export function listTasks(playbook: Playbook, only: string[], skip: string[]): string {
  const out = [`\nplaybook: ${playbook.file}`]
  playbook.plays.forEach((play, i) => {
    out.push('', `  play #${i + 1} (${play.hosts}): ${play.name}\tTAGS: [${(play.attrs.tags ?? []).join(', ')}]`, '    tasks:')
    const visit = (nodes: readonly Node[], inherited: string[], role?: string): void => {
      for (const node of nodes) {
        const tags = [...inherited, ...(node.attrs.tags ?? [])]
        if (node.kind === 'block') visit([...node.block, ...node.rescue, ...node.always], tags, role)
        else if (node.kind === 'role') {
          visit(node.dependencies, tags)
          visit(node.tasks, tags, node.instance.def.name)
        } else if (node.kind === 'include_tasks' || node.kind === 'include_role') {
          if (selectedByTags(tags, only, skip)) out.push(`      ${node.kind}: ${node.kind === 'include_tasks' ? node.file : node.roleName}\tTAGS: [${tags.join(', ')}]`)
        } else if (selectedByTags(tags, only, skip)) {
          const name = node.name ?? (node.kind === 'task' ? node.moduleName : `meta: ${node.action}`)
          out.push(`      ${role ? `${role} : ` : ''}${name}\tTAGS: [${[...new Set(tags)].join(', ')}]`)
        }
      }
    }
    visit([...play.preTasks, ...play.roles, ...play.tasks, ...play.postTasks], play.attrs.tags ?? [])
  })
  return out.join('\n') + '\n'
}
