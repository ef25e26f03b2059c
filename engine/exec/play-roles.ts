/**
 * Which roles a play shares with all its tasks, and when a role runs again. Ansible keeps one list
 * of the play's roles: `roles:`, every import_role (added when the playbook loads, so even tasks
 * before the import see it) and every include_role with `public: true` (added when it runs).
 * Their defaults, and their vars unless private_role_vars, are seen by every task of the play.
 */
import type { Node, RoleInstance, RoleNode } from '../playbook/types.js'

/** A role's dependencies, each after its own, as Ansible's get_all_dependencies. */
export function allDependencies(role: RoleInstance): RoleInstance[] {
  return (role.dependencies ?? []).flatMap((dep) => [...allDependencies(dep), dep])
}

/** The roles with their dependencies first, each once. */
export function withDependencies(roles: readonly RoleInstance[]): RoleInstance[] {
  return [...new Set(roles.flatMap((r) => [...allDependencies(r), r]))]
}

/** The import_role uses in a task tree, not entering dynamic includes (their imports count when they run). */
export function importedRoles(nodes: readonly Node[]): RoleInstance[] {
  return nodes.flatMap((node): RoleInstance[] => {
    switch (node.kind) {
      case 'block':
        return importedRoles([...node.block, ...node.rescue, ...node.always])
      case 'role':
        // Ansible adds an imported role once it has loaded, so the imports inside it come first.
        return [...importedRoles(node.dependencies), ...importedRoles(node.tasks), ...(node.imported ? [node.instance] : [])]
      default:
        return []
    }
  })
}

/** A role's own allow_duplicates (include_role, import_role) replaces its meta's. */
export function allowsDuplicates(node: RoleNode): boolean {
  return node.allowDuplicates ?? node.instance.def.allowDuplicates
}

/**
 * What makes two uses of a role the same run: its folder, params and line vars, and whether it came
 * from an include or import (Ansible caches those apart from `roles:` and dependencies).
 */
export function roleRunKey(node: RoleNode): string {
  const { def, params, lineVars } = node.instance
  return [node.allowDuplicates === undefined ? 'role' : 'include', def.path, JSON.stringify(params), JSON.stringify(lineVars ?? {})].join('\0')
}
