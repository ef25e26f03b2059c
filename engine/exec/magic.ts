/**
 * Magic variables that come from the run's options and the play's roles, with the values
 * ansible-playbook 2.14 gives them (checked against it: see test/exec/task-keywords.test.ts).
 */
import type { Play, RoleInstance, RoleNode } from '../playbook/types.js'
import type { RunOptions } from './options.js'

const unique = (names: string[]): string[] => [...new Set(names)]

/** The command line's view: tags (['all'] when none is asked for), forks, limit, ansible.cfg, inventory. */
export function optionsMagic(options: RunOptions): Record<string, unknown> {
  return {
    ansible_run_tags: options.tags.length ? unique(options.tags) : ['all'],
    ansible_skip_tags: unique(options.skipTags),
    ansible_forks: options.forks,
    ...(options.limit ? { ansible_limit: options.limit } : {}),
    // As Ansible: null when no ansible.cfg was read.
    ansible_config_file: options.configFile ?? null,
    ansible_inventory_sources: options.inventorySources ?? [],
  }
}

function dependencyNames(nodes: readonly RoleNode[]): string[] {
  return nodes.flatMap((n) => [...dependencyNames(n.dependencies), ...n.dependencies.map((d) => d.instance.def.name)])
}

/** The play's `roles:` and their meta dependencies (Ansible's order of ansible_role_names is a set's: any). */
export function roleNamesMagic(play: Play): Record<string, unknown> {
  const playRoles = play.roles.map((r) => r.instance.def.name)
  const dependent = unique(dependencyNames(play.roles))
  return {
    role_names: playRoles,
    ansible_play_role_names: playRoles,
    ansible_dependent_role_names: dependent,
    ansible_role_names: unique([...dependent, ...playRoles]),
  }
}

/** Where a task looks for files: its role and the roles above it, the task's folder, the playbook's folder. */
export function searchPath(role: RoleInstance | undefined, taskDir: string, playbookDir: string): string[] {
  const roles: string[] = []
  for (let r = role; r; r = r.parent) roles.push(r.def.path)
  return unique([...roles, taskDir, playbookDir])
}
