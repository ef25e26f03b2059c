/**
 * The dnf backend, shared by `dnf` and `package`: the same structure as apt's (one read of
 * the installed versions, a pure decision, one dnf call), for RPM hosts. Names are given to
 * rpm and dnf as written, so `nginx-1.22.1` pins a version the way dnf users write it.
 * Unit-tested only: the lab has no RPM hosts.
 */
import { dnfUpdatesFact, rpmFact, type RpmPackage } from '../../engine/facts/rpm.js'
import type { ExecResult } from '../../engine/connection/types.js'
import type { ApplyContext, Plan, PlanContext } from '../../engine/module.js'
import { joinCommands, sh, type ShellCommand } from '../../engine/quote.js'
import { pkgActions, pkgDiff, type PkgChange, type PkgState } from './pkg-plan.js'
import { specProblem } from './pkg-spec.js'

export interface DnfOptions {
  names: string[]
  state: PkgState
  update_cache: boolean
  /** The program: dnf (also for `yum` hosts of RHEL 8+, where yum is dnf), dnf5 or yum. */
  bin: string
}

export interface DnfDecision {
  install: string[]
  upgrade: string[]
  remove: string[]
  changes: PkgChange[]
}

/** An rpm -q answer belongs to a name given as `name`, `name.arch` or a full `name-version-release`. */
function installedFor(installed: readonly RpmPackage[], name: string): RpmPackage | undefined {
  return installed.find((p) => p.name === name || `${p.name}.${p.arch}` === name || name.startsWith(`${p.name}-`))
}

export function decideDnf(names: readonly string[], state: PkgState, installed: readonly RpmPackage[], updates: ReadonlyMap<string, string>): DnfDecision {
  const d: DnfDecision = { install: [], upgrade: [], remove: [], changes: [] }
  for (const name of names) {
    const pkg = installedFor(installed, name)
    if (state === 'absent') {
      if (pkg) {
        d.remove.push(name)
        d.changes.push({ name, before: pkg.version, after: null })
      }
    } else if (!pkg) {
      d.install.push(name)
      d.changes.push({ name, before: null, after: updates.get(name) ?? 'candidate version' })
    } else if (state === 'latest' && updates.has(pkg.name)) {
      d.upgrade.push(name)
      d.changes.push({ name, before: pkg.version, after: updates.get(pkg.name) ?? 'newer version' })
    }
  }
  return d
}

/** The commands for a decision, joined so a task is one round trip. */
export function dnfCommands(bin: string, d: DnfDecision, refresh: boolean): ShellCommand[] {
  const commands: ShellCommand[] = []
  if (refresh) commands.push(sh`${bin} -y makecache --refresh`)
  if (d.install.length) commands.push(sh`${bin} -y install -- ${d.install}`)
  if (d.upgrade.length) commands.push(sh`${bin} -y upgrade -- ${d.upgrade}`)
  if (d.remove.length) commands.push(sh`${bin} -y remove -- ${d.remove}`)
  return commands
}

const ENV = { LC_ALL: 'C' }

export async function planDnf(ctx: PlanContext, o: DnfOptions): Promise<Plan<ShellCommand[]>> {
  const problem = o.names.map(specProblem).find((p) => p !== undefined)
  if (problem) return { changed: false, failed: problem }
  if (o.names.length === 0) {
    // Only a cache refresh: it is the task's whole purpose, so it runs (and counts) every time.
    if (!o.update_cache) return { changed: false }
    const commands = dnfCommands(o.bin, { install: [], upgrade: [], remove: [], changes: [] }, true)
    return { changed: true, actions: ['refresh the dnf metadata'], commands, data: commands }
  }
  const names = [...new Set(o.names)].sort()
  const [installed, updates] = await Promise.all([
    ctx.fact(rpmFact, names),
    o.state === 'latest' ? ctx.fact(dnfUpdatesFact, names) : Promise.resolve(new Map<string, string>()),
  ])
  const d = decideDnf(o.names, o.state, installed, updates)
  if (d.changes.length === 0) return { changed: false, result: { msg: 'Nothing to do', results: [], rc: 0 } }
  ctx.predict(rpmFact, names, predictRpm(installed, d))
  const commands = dnfCommands(o.bin, d, o.update_cache && d.remove.length === 0)
  return {
    changed: true,
    actions: [...(o.update_cache && d.remove.length === 0 ? ['refresh the dnf metadata'] : []), ...pkgActions(d.changes)],
    diff: pkgDiff('dnf packages', d.changes),
    commands,
    data: commands,
  }
}

function predictRpm(installed: readonly RpmPackage[], d: DnfDecision): RpmPackage[] {
  const removed = new Set(d.remove)
  const kept = installed.filter((p) => !removed.has(p.name))
  const added = d.changes.filter((c) => c.after !== null && !kept.some((p) => p.name === c.name)).map((c) => ({ name: c.name, arch: 'noarch', version: c.after ?? '' }))
  return [...kept, ...added]
}

const resultLines = (out: ExecResult): string[] => out.stdout.split('\n').filter((l) => l !== '')

function dnfFailure(out: ExecResult): string {
  const msg = out.stderr.split('\n').filter((l) => /^(Error|No match)/.test(l)).join('\n') || out.stderr.trim()
  return msg || `dnf exited with ${String(out.code)}`
}

export async function applyDnf(ctx: ApplyContext, commands: readonly ShellCommand[]): Promise<Record<string, unknown>> {
  const res = await ctx.run(joinCommands(commands), { env: ENV, failure: dnfFailure, result: (out) => ({ results: resultLines(out) }) })
  return { changed: true, msg: '', rc: 0, results: resultLines(res), stdout: res.stdout, stderr: res.stderr }
}
