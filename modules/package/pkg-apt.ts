/**
 * The apt backend, shared by `apt` and `package`: plan reads dpkg's database, the cache's
 * age and (when versions matter) apt's candidates, decides, and asks apt-get's simulation
 * what exactly it would do (so check mode fails on an unknown name as the real run would,
 * and predicts dependencies too); apply updates the cache if due and runs ONE apt-get.
 *
 * The cache is refreshed when the task is only about the cache, or when it has packages to
 * install or upgrade: refreshing it for a task that changes nothing would change nothing
 * either, and Ansible reports such a task ok.
 */
import { aptCacheTimeFact, aptPolicyFact, dpkgFact, type AptCacheTime, type DpkgPackage } from './apt-facts.js'
import type { ExecResult } from '../../engine/connection/types.js'
import type { ApplyContext, Plan, PlanContext } from '../../engine/module.js'
import { sh, type ShellCommand } from '../../engine/quote.js'
import { aptGetCommand, decideApt, parseSimulation, predictDb, type AptCommandOptions } from './apt-decide.js'
import { pkgActions, pkgDiff, type PkgChange, type PkgState } from './pkg-plan.js'
import { hasNameGlob, parseSpec, specProblem } from './pkg-spec.js'

export interface AptOptions extends AptCommandOptions {
  names: string[]
  state: PkgState
  update_cache?: boolean | undefined
  cache_valid_time: number
}

export interface AptData {
  op: 'install' | 'remove' | 'autoremove' | 'none'
  args: string[]
  updateCache: boolean
  /** state=latest behind a cache update: decide again once the cache is fresh. */
  recheck: boolean
  cacheTime: AptCacheTime
}

/** apt's environment, as Ansible sets it: no questions, messages in a parsable language. */
const APT_ENV = { DEBIAN_FRONTEND: 'noninteractive', DEBIAN_PRIORITY: 'critical', LC_ALL: 'C' }

/** Ansible's rule: update when update_cache or cache_valid_time asks and the cache is older than the window. */
export function cacheUpdateDue(o: Pick<AptOptions, 'update_cache' | 'cache_valid_time'>, t: AptCacheTime): boolean {
  // No window: every update_cache updates.
  if (o.cache_valid_time <= 0) return o.update_cache === true
  return !(t.mtime + o.cache_valid_time >= t.now)
}

/** Retried as Ansible does: a mirror or a concurrent apt can fail one attempt. */
const CACHE_UPDATE = sh`i=0; until apt-get -q update; do i=$((i+1)); [ $i -ge 3 ] && exit 1; sleep $i; done`

/** What apply will run for this data, when plan knows it (a recheck decides the packages after the cache update). */
function plannedCommands(o: AptOptions, d: AptData): ShellCommand[] {
  const run = d.op === 'none' || d.recheck ? [] : [aptGetCommand(d.op, d.args, o, false)]
  return [...(d.updateCache ? [CACHE_UPDATE] : []), ...run]
}

const cacheResult = (t: AptCacheTime, updated: boolean): Record<string, unknown> => ({ cache_updated: updated, cache_update_time: t.mtime })

export async function planApt(ctx: PlanContext, o: AptOptions): Promise<Plan<AptData>> {
  const problem = o.names.map(specProblem).find((p) => p !== undefined)
  if (problem) return { changed: false, failed: problem }
  const specs = o.names.map(parseSpec)
  const glob = specs.find(hasNameGlob)
  if (glob) return { changed: false, failed: `package name patterns are not supported (${glob.raw}): list the packages` }

  // Candidates only matter for latest and for `>=` specs; present needs dpkg alone.
  const needPolicy = specs.length > 0 && (o.state === 'latest' || specs.some((s) => s.op === '>='))
  const names = [...new Set(specs.map((s) => s.name))].sort()
  const [cacheTime, db, policy] = await Promise.all([
    ctx.fact(aptCacheTimeFact, ''),
    ctx.fact(dpkgFact, ''),
    needPolicy ? ctx.fact(aptPolicyFact, names) : Promise.resolve(undefined),
  ])
  const due = cacheUpdateDue(o, cacheTime)
  const data: AptData = { op: 'none', args: [], updateCache: false, recheck: false, cacheTime }
  const result = cacheResult(cacheTime, false)

  if (specs.length === 0) return planWithoutNames(ctx, o, due, data)

  const decision = decideApt(specs, o.state, db, policy, o.purge)
  if (decision.failed) return { changed: false, failed: decision.failed, result }
  if (decision.args.length === 0) {
    if (o.state === 'latest' && due) {
      // Newer versions may appear once the cache is refreshed; only the real run can know.
      const recheck = { ...data, op: 'install' as const, updateCache: true, recheck: true }
      return { changed: false, unknowable: 'the apt cache is due for an update (not done in check mode): newer versions are only known after it', actions: ['update the apt cache'], result, commands: plannedCommands(o, recheck), data: recheck }
    }
    return { changed: false, result }
  }

  const op = o.state === 'absent' ? 'remove' : 'install'
  let changes = decision.changes
  if (!(due && op === 'install')) {
    // Against a cache about to be refreshed the simulation could fail on a name only the new lists know.
    const errors = (out: ExecResult): string[] => parseSimulation(out.stdout, out.stderr).errors
    const sim = await ctx.read(aptGetCommand(op, decision.args, o, true), {
      env: APT_ENV,
      // An error line apt-get prints fails the simulation, whatever its exit code.
      fails: (out) => errors(out).length > 0,
      failure: (out) => errors(out).join('\n') || out.stderr.trim() || `apt-get exited with ${String(out.code)}`,
      result: () => result,
    })
    changes = parseSimulation(sim.stdout, sim.stderr).changes
    if (changes.length === 0) return { changed: false, result }
  }
  const updateCache = due && op === 'install'
  predict(ctx, db, changes, o.purge, updateCache ? cacheTime : undefined)
  const planned: AptData = { ...data, op, args: decision.args, updateCache }
  return {
    changed: true,
    actions: [...(updateCache ? ['update the apt cache'] : []), ...pkgActions(changes)],
    diff: pkgDiff('apt packages', changes),
    result,
    commands: plannedCommands(o, planned),
    data: planned,
  }
}

/** A task with no names: update the cache, and/or autoremove what nothing needs any more. */
async function planWithoutNames(ctx: PlanContext, o: AptOptions, due: boolean, data: AptData): Promise<Plan<AptData>> {
  const result = cacheResult(data.cacheTime, false)
  let changes: PkgChange[] = []
  if (o.autoremove) {
    const sim = await ctx.read(aptGetCommand('autoremove', [], o, true), { env: APT_ENV, failure: (out) => out.stderr.trim() || 'apt-get autoremove failed', result: () => result })
    changes = parseSimulation(sim.stdout, sim.stderr).changes
  }
  if (!due && changes.length === 0) return { changed: false, result }
  predict(ctx, await ctx.fact(dpkgFact, ''), changes, o.purge, due ? data.cacheTime : undefined)
  const planned: AptData = { ...data, op: changes.length ? 'autoremove' : 'none', updateCache: due }
  return {
    changed: true,
    actions: [...(due ? ['update the apt cache'] : []), ...pkgActions(changes)],
    diff: pkgDiff('apt packages', changes),
    result,
    commands: plannedCommands(o, planned),
    data: planned,
  }
}

function predict(ctx: PlanContext, db: readonly DpkgPackage[], changes: readonly PkgChange[], purge: boolean, cache?: AptCacheTime): void {
  if (changes.length) ctx.predict(dpkgFact, '', predictDb(db, changes, purge))
  if (cache) ctx.predict(aptCacheTimeFact, '', { mtime: cache.now, now: cache.now })
}

export async function applyApt(ctx: ApplyContext, o: AptOptions, data: AptData): Promise<Record<string, unknown>> {
  let time = data.cacheTime
  let updated = false
  if (data.updateCache) {
    await ctx.run(CACHE_UPDATE, { env: APT_ENV, failure: (out) => `Failed to update apt cache: ${out.stderr.trim() || out.stdout.trim()}` })
    time = await ctx.fact(aptCacheTimeFact, '')
    updated = time.mtime !== data.cacheTime.mtime
  }
  let { op, args } = data
  if (data.recheck) {
    const specs = o.names.map(parseSpec)
    const names = [...new Set(specs.map((s) => s.name))].sort()
    const [db, policy] = await Promise.all([ctx.fact(dpkgFact, ''), ctx.fact(aptPolicyFact, names)])
    args = decideApt(specs, o.state, db, policy, o.purge).args
    if (args.length === 0) op = 'none'
  }
  const cache = cacheResult(time, updated)
  // A task that is only about the cache is changed when the cache moved, as in Ansible.
  if (op === 'none') return { ...cache, changed: o.names.length === 0 ? updated : false }
  const command = aptGetCommand(op, args, o, false)
  const output = (res: ExecResult): Record<string, unknown> => ({ ...cache, stdout: res.stdout, stderr: res.stderr, stdout_lines: res.stdout.split('\n').filter((l) => l !== '') })
  const res = await ctx.run(command, {
    env: APT_ENV,
    failure: (out) => parseSimulation(out.stdout, out.stderr).errors.join('\n') || `'${command.text}' failed: ${out.stderr.trim()}`,
    result: output,
  })
  return { ...output(res), changed: true }
}
