/** Runs a whole playbook: load and check everything, then the plays in order; returns the exit code. */
import PQueue from 'p-queue'
import { EXIT, keywordError } from '../errors.js'
import { emptyStats, type HostStats, type Reporter, type RunEvent } from '../events.js'
import { implicitLocalhost, loadInventory, type Inventory } from '../inventory/index.js'
import { resolveLimit } from '../inventory/limit.js'
import { attachLabs } from '../lab/attach.js'
import { setLookupWarningSink } from '../expr/lookups/index.js'
import { checkModuleDefaults } from '../playbook/check-module-defaults.js'
import { Loader } from '../playbook/loader.js'
import { checkStrategy } from '../playbook/plays.js'
import type { Play, Playbook } from '../playbook/types.js'
import type { ModuleRegistry } from '../registry.js'
import { VarScope, type VarLayer } from '../vars.js'
import type { RunContext } from './run-context.js'
import { closeAll, connectionSpec, createHostRun, type HostRun } from './hosts.js'
import type { RunOptions } from './options.js'
import { PlayRun } from './play.js'
import { orderHosts } from './order.js'
import { flushCachedFacts } from './fact-cache.js'
import { hostMagic } from './scope.js'
import { promptedPlay } from './vars-prompt.js'

export interface RunSummary {
  exitCode: number
  stats: Record<string, HostStats>
}

/** A playbook and the loader that read it, which the run keeps for include_tasks and include_role. */
export interface LoadedPlaybook {
  playbook: Playbook
  loader: Loader
}

/** Loads the playbook and every file it reaches; throws PlaybookError before anything runs. */
export function loadPlaybook(file: string, modules: ModuleRegistry, options: Pick<RunOptions, 'rolesPath'> = {}): LoadedPlaybook {
  return checkedPlaybook(new Loader(file, modules, options.rolesPath ? { rolesPath: options.rolesPath } : {}), (loader) => loader.loadPlaybook(), modules)
}

/** Plays given as data (ad-hoc's): `name` stands for the playbook file in messages, its folder is the playbook dir. */
export function loadPlays(name: string, plays: unknown[], modules: ModuleRegistry, options: Pick<RunOptions, 'rolesPath'> = {}): LoadedPlaybook {
  return checkedPlaybook(new Loader(name, modules, options.rolesPath ? { rolesPath: options.rolesPath } : {}), (loader) => loader.loadPlays(plays), modules)
}

function checkedPlaybook(loader: Loader, load: (loader: Loader) => Playbook, modules: ModuleRegistry): LoadedPlaybook {
  const playbook = load(loader)
  for (const play of playbook.plays) {
    checkModuleDefaults(play, modules, (message) => loader.warn(message))
  }
  return { playbook, loader }
}

export async function prepareInventory(sources: string[], playbookDir?: string): Promise<Inventory> {
  const inventory = await loadInventory(sources)
  if (playbookDir) await inventory.addVarsDir(playbookDir)
  attachLabs(inventory, sources)
  return inventory
}

export class Runner implements RunContext {
  readonly queue: PQueue
  readonly stats = new Map<string, HostStats>()
  interrupted = false
  private readonly hosts = new Map<string, HostRun>()
  readonly playbookDir: string
  readonly loader: Loader
  readonly modules: ModuleRegistry
  private readonly playbook: Playbook

  constructor(
    loaded: LoadedPlaybook,
    readonly inventory: Inventory,
    readonly options: RunOptions,
    private readonly reporter: Reporter,
  ) {
    this.queue = new PQueue({ concurrency: Math.max(1, options.forks) })
    this.playbook = loaded.playbook
    this.loader = loaded.loader
    this.modules = loaded.loader.modules
    this.playbookDir = loaded.loader.playbookDir
  }

  emit(event: RunEvent): void {
    this.reporter.handle(event)
  }

  inventoryLayers(host: string): VarLayer[] {
    if (this.inventory.hosts.has(host)) return this.inventory.varLayers(host)
    return [{ source: 'implicit localhost', vars: implicitLocalhost().vars }]
  }

  hostRun(name: string): HostRun {
    let host = this.hosts.get(name)
    if (!host) {
      const scope = new VarScope([
        ...this.inventoryLayers(name),
        { source: 'extra vars', vars: this.options.extraVars },
        { source: 'magic', vars: hostMagic(this.inventory, name) },
      ])
      const created = createHostRun(name, (keywords) => connectionSpec(name, (v) => scope.get(v), this.options, keywords), this.options.factCache)
      this.hosts.set(name, created)
      host = created
    }
    return host
  }

  private readonly warned = new Set<string>()

  /** A warning said once per run (Ansible's display deduplicates its warnings). */
  warnOnce(message: string): void {
    if (this.warned.has(message)) return
    this.warned.add(message)
    this.emit({ kind: 'warning', message })
  }

  /** What the loader warned about (modules tsplay lacks in dynamically included files). */
  emitLoadWarnings(): void {
    for (const message of this.loader.takeWarnings()) this.emit({ kind: 'warning', message })
  }

  allHostRuns(): HostRun[] {
    return [...this.hosts.values()]
  }

  async run(): Promise<RunSummary> {
    const playbook = this.playbook
    this.emit({ kind: 'playbook:start', file: playbook.file, named: playbook.named, plays: playbook.plays.length, check: this.options.check })
    setLookupWarningSink((message) => this.emit({ kind: 'warning', message }))
    this.emitLoadWarnings()
    const limit = this.options.limit ? resolveLimit(this.options.limit, this.inventory).hosts : undefined
    if (this.options.flushCache && this.options.factCache) flushCachedFacts(this.options.factCache, [...this.inventory.hosts.keys()])
    let aborted: string | undefined
    try {
      for (const written of playbook.plays) {
        const play = await promptedPlay(written, { extraVars: this.options.extraVars, prompter: this.options.prompter, warn: (message) => this.warnOnce(message) })
        const { pattern, name, strategy } = playTarget(play, this.options.extraVars)
        for (const part of this.inventory.unmatched(pattern)) this.emit({ kind: 'warning', message: unmatchedPatternWarning(part) })
        const selected = this.inventory.select(pattern).filter((h) => !limit || limit.has(h))
        const hosts = orderHosts(selected, play.order).filter((h) => !this.hostRun(h).failed && !this.hostRun(h).unreachable)
        if (!hosts.length) {
          this.emit({ kind: 'play:start', name, hosts, pos: play.pos })
          this.emit({ kind: 'no-hosts', play: name, pattern })
          continue
        }
        for (const h of hosts) this.stats.set(h, this.stats.get(h) ?? emptyStats())
        // Each batch's banner names the play as rendered (an unnamed play is named by its hosts), and
        // its strategy is the rendered one.
        const rendered = name === play.name && strategy === play.strategy ? play : { ...play, name, ...(strategy ? { strategy } : {}) }
        const reason = await new PlayRun(this, rendered, hosts).execute()
        this.emit({ kind: 'play:end', name })
        if (this.interrupted) {
          aborted = 'interrupted'
          break
        }
        if (reason && reason !== 'end_play') {
          aborted = reason
          break
        }
        const active = hosts.filter((h) => !this.hostRun(h).failed && !this.hostRun(h).unreachable)
        if (!active.length && hosts.length) {
          aborted = 'no hosts left'
          break
        }
      }
    } finally {
      await closeAll(this.hosts.values())
    }
    const stats = Object.fromEntries(this.stats)
    this.emit({ kind: 'recap', stats, ...(aborted ? { aborted } : {}) })
    const cleared = Object.fromEntries(this.allHostRuns().map((h) => [h.name, h.clearedFailures]))
    return { stats, exitCode: exitCodeFor(stats, this.interrupted, cleared) }
  }
}

/**
 * A play's host pattern and strategy rendered with the play's vars and the extra vars, as Ansible
 * renders the play's keywords before selecting hosts (post_validate in TaskQueueManager.run); a play
 * without a name is named after that rendered pattern.
 */
export function playTarget(play: Play, extraVars: Record<string, unknown>): { pattern: string; name: string; strategy?: 'linear' | 'free' } {
  const scope = new VarScope([
    { source: 'play vars', vars: play.attrs.vars ?? {} },
    { source: 'extra vars', vars: extraVars },
  ])
  // As Ansible (exit 4): a keyword that does not render is the play's error, not a host's.
  const rendered = (keyword: string, text: string): string => {
    try {
      return String(scope.render(text))
    } catch (err) {
      throw keywordError(keyword, err, play.pos)
    }
  }
  const pattern = rendered('hosts', play.hosts)
  const strategy = play.strategy === undefined ? undefined : checkStrategy(rendered('strategy', play.strategy), play.pos)
  return { pattern, name: play.name === play.hosts ? pattern : play.name, ...(strategy ? { strategy } : {}) }
}

/** Ansible's words for a pattern part that matches no host and no group. */
export function unmatchedPatternWarning(part: string): string {
  return `Could not match supplied host pattern, ignoring: ${part}`
}

/** `cleared`: per host, the failures meta clear_host_errors undid (Ansible's iterator no longer counts that host failed). */
export function exitCodeFor(stats: Record<string, HostStats>, interrupted: boolean, cleared: Record<string, number> = {}): number {
  if (interrupted) return EXIT.interrupted
  const all = Object.entries(stats)
  // Ansible's order: an unreachable host decides the code even when others failed.
  if (all.some(([, s]) => s.unreachable > 0)) return EXIT.unreachable
  if (all.some(([host, s]) => s.failed > (cleared[host] ?? 0))) return EXIT.failed
  return EXIT.ok
}
