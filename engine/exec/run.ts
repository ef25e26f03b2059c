/** Runs a whole playbook: load and check everything, then the plays in order; returns the exit code. */
import { readFileSync } from 'node:fs'
import PQueue from 'p-queue'
import { EXIT, keywordError } from '../errors.js'
import { emptyStats, type HostStats, type Reporter, type RunEvent } from '../events.js'
import { implicitLocalhost, loadInventory, type Inventory } from '../inventory/index.js'
import { attachLabs } from '../lab/attach.js'
import { Loader } from '../playbook/loader.js'
import type { Play, Playbook } from '../playbook/types.js'
import { VarScope, type VarLayer } from '../vars.js'
import type { RunContext } from './context.js'
import { closeAll, connectionSpec, createHostRun, type HostRun } from './hosts.js'
import type { RunOptions } from './options.js'
import { checkNotifies, PlayRun } from './play.js'
import { handlerEntries } from './handlers.js'
import { orderHosts } from './order.js'
import { hostMagic } from './scope.js'

export interface RunSummary {
  exitCode: number
  stats: Record<string, HostStats>
}

/** Loads the playbook and every file it reaches; throws PlaybookError before anything runs. */
export function loadPlaybook(file: string, options: Pick<RunOptions, 'rolesPath'> = {}): Playbook {
  const loader = new Loader(file, options.rolesPath ? { rolesPath: options.rolesPath } : {})
  const playbook = loader.loadPlaybook()
  for (const play of playbook.plays) checkNotifies(play, handlerEntries(play))
  return playbook
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

  constructor(
    readonly playbookFile: string,
    readonly loader: Loader,
    readonly inventory: Inventory,
    readonly options: RunOptions,
    private readonly reporter: Reporter,
  ) {
    this.queue = new PQueue({ concurrency: Math.max(1, options.forks) })
    this.playbookDir = loader.playbookDir
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
      const created = createHostRun(name, () => connectionSpec(name, (v) => scope.get(v), this.options, this.playUser))
      this.hosts.set(name, created)
      host = created
    }
    return host
  }

  /** remote_user of the play being run (connections open lazily, within the play). */
  private playUser: string | undefined

  allHostRuns(): HostRun[] {
    return [...this.hosts.values()]
  }

  async run(playbook: Playbook): Promise<RunSummary> {
    this.emit({ kind: 'playbook:start', file: playbook.file, check: this.options.check })
    const limit = this.options.limit ? new Set(this.selectLimit(this.options.limit)) : undefined
    let aborted: string | undefined
    try {
      for (const play of playbook.plays) {
        const pattern = this.hostPattern(play)
        const selected = this.inventory.select(pattern).filter((h) => !limit || limit.has(h))
        const hosts = orderHosts(selected, play.order).filter((h) => !this.hostRun(h).failed && !this.hostRun(h).unreachable)
        this.emit({ kind: 'play:start', name: play.name, hosts, pos: play.pos })
        if (!hosts.length) {
          this.emit({ kind: 'no-hosts', play: play.name, pattern })
          continue
        }
        this.playUser = play.remoteUser
        for (const h of hosts) this.stats.set(h, this.stats.get(h) ?? emptyStats())
        const reason = await new PlayRun(this, play, hosts).execute()
        this.emit({ kind: 'play:end', name: play.name })
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
    return { stats, exitCode: exitCodeFor(stats, this.interrupted) }
  }

  /** A play's `hosts:`, whose templates see only extra vars (as in Ansible, before any host is chosen). */
  private hostPattern(play: Play): string {
    try {
      return String(new VarScope([{ source: 'extra vars', vars: this.options.extraVars }]).render(play.hosts))
    } catch (err) {
      throw keywordError('hosts', err, play.pos)
    }
  }

  /** --limit: a pattern, or @file with one host per line. */
  private selectLimit(limit: string): string[] {
    return limit.startsWith('@') ? limitFile(limit.slice(1)) : this.inventory.select(limit)
  }
}

function limitFile(path: string): string[] {
  return readFileSync(path, 'utf8').split('\n').map((l) => l.trim()).filter((l) => l && !l.startsWith('#'))
}

export function exitCodeFor(stats: Record<string, HostStats>, interrupted: boolean): number {
  if (interrupted) return EXIT.interrupted
  const all = Object.values(stats)
  // Ansible's order: an unreachable host decides the code even when others failed.
  if (all.some((s) => s.unreachable > 0)) return EXIT.unreachable
  if (all.some((s) => s.failed > 0)) return EXIT.failed
  return EXIT.ok
}
