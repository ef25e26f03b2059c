/**
 * Builds a task's variable scope in Ansible 2.14's precedence order, lowest first: role defaults,
 * inventory (group_vars all, parent groups, child groups, host_vars), facts, play vars and
 * vars_files, role vars (the line's `vars:`, then vars/main.yml), block/task vars, include_vars,
 * set_fact/register, role params, include params, loop variables, extra vars; then the magic
 * variables, which nothing overrides.
 * Facts, set_fact/register and loop items are data layers: read as they are, never rendered.
 */
import { dirname, resolve } from 'node:path'
import { LOCALHOST_NAMES, type Inventory } from '../inventory/index.js'
import { VarScope, dataLayer, lazyMapping, type VarLayer } from '../vars.js'
import type { Play, RoleInstance } from '../playbook/types.js'
import type { RunContext } from './run-context.js'
import type { PlayVars } from './env.js'
import type { Frame } from './frame.js'
import type { HostRun } from './hosts.js'
import { loadVarsFiles } from './play-vars-files.js'
import { connectionVars, type ConnectionKeywords } from './connection-vars.js'
import { optionsMagic, roleNamesMagic } from './magic.js'
import type { RunOptions } from './options.js'
import { allDependencies, importedRoles, withDependencies } from './play-roles.js'

export interface ScopeExtras {
  taskVars?: Record<string, unknown>
  loopVars?: Record<string, unknown>
  /** Magic variables of the task itself (ansible_search_path). */
  taskMagic?: Record<string, unknown>
  /** The task's own connection keywords (the frame holds the play's and blocks'). */
  keywords?: ConnectionKeywords
}

const ANSIBLE_VERSION = { full: '2.14.0', major: 2, minor: 14, revision: 0, string: '2.14.0 (tsplay)' }

function roleChain(role: RoleInstance | undefined): RoleInstance[] {
  const chain: RoleInstance[] = []
  for (let r = role; r; r = r.parent) chain.unshift(r)
  return chain
}

export function factsLayer(host: HostRun): VarLayer {
  const facts = host.state.facts
  const bare: Record<string, unknown> = {}
  for (const [k, v] of Object.entries(facts)) bare[k.startsWith('ansible_') ? k.slice(8) : k] = v
  return dataLayer('facts', { ...facts, ansible_facts: bare })
}

/** The host-level scope that `hostvars[host]` shows: inventory, facts, play vars, set_fact, extra vars. */
export function hostLevelLayers(play: PlayVars, host: HostRun): VarLayer[] {
  return [
    ...play.run.inventoryLayers(host.name),
    factsLayer(host),
    { source: 'play vars', vars: play.play.attrs.vars ?? {} },
    ...play.varsFileLayers(host.name),
    { source: 'include_vars', vars: host.includedVars },
    dataLayer('set_fact/register', host.setFacts),
    { source: 'extra vars', vars: play.run.options.extraVars },
    { source: 'host magic', vars: hostMagic(play.run.inventory, host.name) },
  ]
}

/** The magic variables of one host: its names, groups, and where the inventory that lists it lives. */
export function hostMagic(inventory: Inventory, host: string): Record<string, unknown> {
  const inv = inventory.hosts.get(host)
  const groupNames = (inv?.groups ?? []).filter((g) => g !== 'all' && g !== 'ungrouped').sort()
  const file = inv?.inventoryFile
  return {
    inventory_hostname: host,
    inventory_hostname_short: host.split('.')[0],
    group_names: groupNames,
    ...(file ? { inventory_file: resolve(file), inventory_dir: dirname(resolve(file)) } : {}),
    tsplay_inventory_hostname: host,
    tsplay_group_names: groupNames,
  }
}

/** The task's role first among its parents: what Ansible calls the role and its dep chain. */
function roleLayers(play: PlayVars, role: RoleInstance | undefined): { low: VarLayer[]; vars: VarLayer[]; params: VarLayer[] } {
  const chain = roleChain(role)
  const own = chain[chain.length - 1]
  const parents = chain.slice(0, -1)
  const shared = play.sharedRoles().filter((r) => !chain.includes(r))
  const sharedVars = play.run.options.privateRoleVars ? [] : shared
  const ownDeps = own ? allDependencies(own) : []
  const varsOf = (r: RoleInstance, note = ''): VarLayer[] => [
    ...(r.lineVars ? [{ source: `role line vars (${r.def.name}${note})`, vars: r.lineVars }] : []),
    { source: `role vars (${r.def.name}${note})`, vars: r.def.vars },
  ]
  return {
    // Ansible's get_default_vars(dep_chain): the role's dependencies, then its parents, then its own.
    low: [
      ...shared.map((r) => ({ source: `role defaults (${r.def.name}, shared with the play)`, vars: r.def.defaults })),
      ...[...ownDeps, ...parents, ...(own ? [own] : [])].map((r) => ({ source: `role defaults (${r.def.name})`, vars: r.def.defaults })),
    ],
    // get_vars(dep_chain, include_params=False): parents' line vars and vars, dependencies', its own.
    vars: [...sharedVars.flatMap((r) => varsOf(r, ', shared with the play')), ...[...parents, ...ownDeps, ...(own ? [own] : [])].flatMap((r) => varsOf(r))],
    params: chain.map((r) => ({ source: `role params (${r.def.name})`, vars: r.params })),
  }
}

export function buildScope(play: PlayVars, host: HostRun, frame: Frame, extras: ScopeExtras = {}): VarScope {
  const run = play.run
  const roles = roleLayers(play, frame.role)
  // Ansible 2.14's order (vars/manager.py): role params and include params sit above set_fact.
  const layers: VarLayer[] = [
    ...roles.low,
    ...run.inventoryLayers(host.name),
    factsLayer(host),
    { source: 'play vars', vars: play.play.attrs.vars ?? {} },
    ...play.varsFileLayers(host.name),
    ...roles.vars,
    ...frame.layers,
    ...(extras.taskVars ? [{ source: 'task vars', vars: extras.taskVars }] : []),
    // include_vars values are what the user wrote in a file: templates, rendered when read.
    { source: 'include_vars', vars: host.includedVars },
    dataLayer('set_fact/register', host.setFacts),
    ...roles.params,
    ...(frame.includeParams ?? []),
    ...(extras.loopVars ? [dataLayer('loop', extras.loopVars)] : []),
    { source: 'extra vars', vars: run.options.extraVars },
    { source: 'magic', vars: { ...play.magic(), ...hostMagic(play.run.inventory, host.name), ...roleMagic(frame.role), ...extras.taskMagic } },
  ]
  const keywords = { connection: extras.keywords?.connection ?? frame.attrs.connection, remoteUser: extras.keywords?.remoteUser ?? frame.attrs.remoteUser }
  return new VarScope([connectionLayer(new VarScope(layers), host.name, run.options, keywords), ...layers])
}

/**
 * The connection variables the task's variables lack (connection-vars.ts), below everything else:
 * worked out from the other layers when a name first reaches it.
 */
function connectionLayer(others: VarScope, host: string, options: RunOptions, keywords: ConnectionKeywords): VarLayer {
  let vars: Record<string, unknown> | undefined
  const get = (): Record<string, unknown> => (vars ??= connectionVars((name) => others.lookup(name), host, options, keywords, (v) => others.render(v)))
  return dataLayer('connection', lazyMapping(() => Object.keys(get()), (name) => get()[name]))
}

/**
 * The variables a play has without a host (Ansible's get_vars(play, task)): roles' defaults and
 * vars, play vars, extra vars. Handler names are rendered with these, once, when first looked up.
 */
export function playLevelScope(play: PlayVars, role: RoleInstance | undefined): VarScope {
  const roles = roleLayers(play, role)
  return new VarScope([
    ...roles.low,
    { source: 'play vars', vars: play.play.attrs.vars ?? {} },
    ...roles.vars,
    { source: 'extra vars', vars: play.run.options.extraVars },
    { source: 'magic', vars: { ...play.magic(), ...roleMagic(role) } },
  ])
}

function roleMagic(role: RoleInstance | undefined): Record<string, unknown> {
  if (!role) return {}
  return { role_name: role.def.name, role_path: role.def.path, ansible_role_name: role.def.name }
}

/** A play's variables for its current batch: the magic variables and each host's vars_files, cached. */
export class PlayScope implements PlayVars {
  private batch: string[] = []
  private magicCache: Record<string, unknown> | undefined
  private readonly varsFiles = new Map<string, VarLayer[]>()
  private readonly parsedVarsFiles: Map<string, unknown>
  /** `roles:`, then import_role uses, then public include_roles as they run (play-roles.ts). */
  private readonly playRoles: RoleInstance[]
  private shared: RoleInstance[] | undefined

  constructor(
    readonly run: RunContext,
    readonly play: Play,
    private readonly playHosts: readonly string[],
  ) {
    this.parsedVarsFiles = new Map(play.parsedVarsFiles)
    const sections = [...play.preTasks, ...play.roles, ...play.tasks, ...play.postTasks, ...play.handlers]
    this.playRoles = [...new Set([...play.roles.map((r) => r.instance), ...importedRoles(sections)])]
  }

  sharedRoles(): RoleInstance[] {
    this.shared ??= withDependencies(this.playRoles)
    return this.shared
  }

  makePublic(roles: readonly RoleInstance[]): void {
    const fresh = roles.filter((r) => !this.playRoles.includes(r))
    if (!fresh.length) return
    this.playRoles.push(...fresh)
    this.shared = undefined
    this.magicCache = undefined
  }

  newBatch(batch: string[]): void {
    this.batch = batch
    this.magicCache = undefined
  }

  /** The batch's hosts that have neither failed nor become unreachable. */
  activeHosts(): string[] {
    return this.batch.filter((h) => !this.run.hostRun(h).failed && !this.run.hostRun(h).unreachable)
  }

  /** set_fact/register changed a host's variables, or a host failed: the magic variables are stale. */
  varsChanged(): void {
    this.magicCache = undefined
  }

  magic(): Record<string, unknown> {
    this.magicCache ??= this.batchMagic()
    return this.magicCache
  }

  varsFileLayers(host: string): VarLayer[] {
    if (!this.play.varsFiles.length) return []
    let layers = this.varsFiles.get(host)
    if (!layers) {
      const hostRun = this.run.hostRun(host)
      const scope = new VarScope([
        ...this.run.inventoryLayers(host),
        factsLayer(hostRun),
        { source: 'play vars', vars: this.play.attrs.vars ?? {} },
        { source: 'extra vars', vars: this.run.options.extraVars },
        { source: 'magic', vars: { ...this.magic(), ...hostMagic(this.run.inventory, host) } },
      ])
      // Only a play that gathers facts may wait for them: otherwise a name that does not render
      // never will, and leaving its file out would be a silent wrong result.
      const factsToCome = !hostRun.gathered && (this.play.gatherFacts ?? !this.run.options.gatherExplicitly)
      const loaded = loadVarsFiles(this.play, scope, this.parsedVarsFiles, factsToCome)
      layers = loaded.layers
      // A name that waits for facts is tried again on the next task.
      if (!loaded.deferred) this.varsFiles.set(host, layers)
    }
    return layers
  }

  /** Variables that are the same for every host of a play batch. */
  private batchMagic(): Record<string, unknown> {
    const run = this.run
    const groups: Record<string, string[]> = {}
    for (const [name] of run.inventory.groups) groups[name] = run.inventory.select(name)
    const active = this.activeHosts()
    // The implicit localhost has its hostvars once a task was delegated to it (delegate_facts may give it facts).
    const implicit = (): string[] => (!run.inventory.hosts.has('localhost') && run.allHostRuns().some((h) => h.name === 'localhost') ? ['localhost'] : [])
    const hostvars = lazyMapping(
      () => [...run.inventory.hosts.keys(), ...implicit()],
      (name) => new VarScope(hostLevelLayers(this, run.hostRun(name))).asObject(true),
      (name) => LOCALHOST_NAMES.includes(name) && !run.inventory.hosts.has(name),
    )
    return {
      groups,
      hostvars,
      play_hosts: active,
      ansible_play_hosts: active,
      // As Ansible's VariableManager: a host that failed (and was not rescued) leaves the batch too.
      ansible_play_batch: active,
      ansible_play_hosts_all: this.playHosts,
      ansible_check_mode: run.options.check,
      ansible_diff_mode: run.options.diff,
      ansible_verbosity: run.options.verbosity,
      ansible_version: ANSIBLE_VERSION,
      // Ansible's default `ansible_managed` text, for templates that start with it.
      ansible_managed: 'Ansible managed',
      playbook_dir: run.playbookDir,
      ...optionsMagic(run.options),
      ...roleNamesMagic(this.playRoles),
      ansible_play_name: this.play.name,
      tsplay_groups: groups,
      tsplay_hostvars: hostvars,
      tsplay_play_hosts: active,
      tsplay_check_mode: run.options.check,
      tsplay_diff_mode: run.options.diff,
    }
  }
}
