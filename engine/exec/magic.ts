/**
 * Magic variables that come from the run's options and the play's roles, with the values
 * ansible-playbook 2.14 gives them (checked against it: see test/exec/task-keywords.test.ts).
 */
import type { RoleInstance } from '../playbook/types.js'
import { allDependencies } from './play-roles.js'
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

/**
 * The play's roles (`roles:`, import_role, public include_role: see play-roles.ts) and their meta
 * dependencies (Ansible's order of ansible_role_names is a set's: any).
 */
export function roleNamesMagic(playRoles: readonly RoleInstance[]): Record<string, unknown> {
  const names = playRoles.map((r) => r.def.name)
  const dependent = unique(playRoles.flatMap((r) => allDependencies(r).map((d) => d.def.name)))
  return {
    role_names: names,
    ansible_play_role_names: names,
    ansible_dependent_role_names: dependent,
    ansible_role_names: unique([...dependent, ...names]),
  }
}

/** Where a task looks for files: its role and the roles above it, the task's folder, the playbook's folder. */
export function searchPath(role: RoleInstance | undefined, taskDir: string, playbookDir: string): string[] {
  const roles: string[] = []
  for (let r = role; r; r = r.parent) roles.push(r.def.path)
  return unique([...roles, taskDir, playbookDir])
}
