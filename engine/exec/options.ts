/** What a run was asked to do (from the CLI, or a test). */
import type { FactCacheOptions } from './fact-cache.js'
import type { Prompter } from './vars-prompt.js'

export interface RunOptions {
  check: boolean
  diff: boolean
  limit?: string
  tags: string[]
  skipTags: string[]
  extraVars: Record<string, unknown>
  forks: number
  /** -c: the connection of hosts whose inventory and keywords name none (ansible_connection wins, as in Ansible). */
  connection?: string
  /** -u: the lowest-precedence remote user (play remote_user and ansible_user win, as in Ansible). */
  user?: string
  privateKey?: string
  become: boolean
  becomeUser?: string
  /** --become-method: the lowest-precedence method (become_method and ansible_become_method win). */
  becomeMethod?: string
  becomePassword?: string
  verbosity: number
  hostKeyChecking: boolean
  /** Extra known_hosts files, checked before the defaults. */
  knownHostsFiles: string[]
  connectTimeoutMs: number
  /** Extra folders to find roles in. */
  rolesPath?: string[]
  /** ansible.cfg `strategy`: for plays that name none (linear when unset). */
  strategy?: 'linear' | 'free'
  /** ansible.cfg `gathering = explicit`: a play without `gather_facts:` gathers none. */
  gatherExplicitly?: boolean
  /** ansible.cfg `private_role_vars = True`: a play role's vars are seen only by its own tasks (its defaults stay shared, as in Ansible). */
  privateRoleVars?: boolean
  /** --force-handlers (or ansible.cfg's force_handlers): for every play whose own force_handlers keyword is unset. */
  forceHandlers?: boolean
  /** ansible.cfg `fact_caching = jsonfile`: facts kept between runs, in this folder (fact-cache.ts). */
  factCache?: FactCacheOptions
  /** --flush-cache: the fact cache of the inventory's hosts is emptied before the run. */
  flushCache?: boolean
  /** ansible.cfg `jinja2_native` (ANSIBLE_JINJA2_NATIVE): set_fact keeps "yes"/"no" text instead of making booleans of it. */
  jinja2Native?: boolean
  /** ansible.cfg `error_on_missing_handler` (default true): a notify naming no handler stops the run; false: a warning. */
  errorOnMissingHandler?: boolean
  /** The ansible.cfg read, for ansible_config_file. */
  configFile?: string
  /** The inventory sources as given (paths made absolute), for ansible_inventory_sources. */
  inventorySources?: string[]
  /** Asks a play's vars_prompt questions; unset when there is no terminal (defaults are taken, as in Ansible). */
  prompter?: Prompter
}

export function defaultRunOptions(overrides: Partial<RunOptions> = {}): RunOptions {
  return {
    check: false,
    diff: false,
    tags: [],
    skipTags: [],
    extraVars: {},
    forks: 50,
    become: false,
    verbosity: 0,
    hostKeyChecking: true,
    knownHostsFiles: [],
    connectTimeoutMs: 10_000,
    ...overrides,
  }
}
