/**
 * The systemd backend, shared by `systemd` and `service`: one read of the unit (show +
 * is-enabled + init script checks), a pure decision, then systemctl verbs.
 *
 * A unit systemd does not know may be one an earlier task is about to write: the unit
 * file's path is read through the shared path fact, which in check mode holds what an
 * earlier copy/template would have written, so `systemd: name=x state=started` after
 * them plans "start" instead of failing on a unit that does not exist yet.
 */
import { ModuleError } from '../../engine/errors.js'
import type { FileDiff } from '../../engine/diff.js'
import { unitFact, type UnitState } from '../../engine/facts/services.js'
import { readPath } from '../../engine/files/read.js'
import type { ExecResult } from '../../engine/connection/types.js'
import type { ApplyContext, Plan, PlanContext } from '../../engine/module.js'
import { sh, type ShellCommand } from '../../engine/quote.js'
import { decideUnit, isEnabled, unitAfter, unitFromFile, unitName, type UnitArgs, type UnitVerb, type UnitWanted } from './systemd-decide.js'

export interface SystemdOptions {
  name?: string | undefined
  state?: UnitWanted | undefined
  enabled?: boolean | undefined
  masked?: boolean | undefined
  daemon_reload: boolean
  daemon_reexec: boolean
  no_block: boolean
  force: boolean
}

export interface SystemdData {
  unit?: string
  verbs: UnitVerb[]
}

const UNIT_DIRS = ['/etc/systemd/system', '/usr/lib/systemd/system', '/lib/systemd/system']

async function unitFile(ctx: PlanContext, unit: string): Promise<{ path: string; content: string } | undefined> {
  // getty@tty1.service is loaded from the template getty@.service.
  const names = unit.includes('@') ? [unit, unit.replace(/@[^.]*\./, '@.')] : [unit]
  const paths = UNIT_DIRS.flatMap((dir) => names.map((n) => `${dir}/${n}`))
  const infos = await Promise.all(paths.map((p) => readPath(ctx, p, true)))
  const i = infos.findIndex((info) => info.stat.exists && info.content !== undefined)
  const found = infos[i]
  return found?.content ? { path: paths[i] ?? '', content: found.content.toString('utf8') } : undefined
}

/** The unit as systemd reports it or, when systemd has no such unit, as its unit file describes it. */
export async function readUnit(ctx: PlanContext, unit: string): Promise<UnitState> {
  const state = await ctx.fact(unitFact, unit)
  if (state.status['LoadState'] !== 'not-found' || state.initd) return state
  const file = await unitFile(ctx, unit)
  return file ? unitFromFile(unit, file.path, file.content) : state
}

/** The diff's view of a unit; a restart or reload shows as such, since the state itself stays "active". */
function describe(u: UnitState, verbs: readonly UnitVerb[] = []): string {
  const again = verbs.includes('restart') ? ' (restarted)' : verbs.includes('reload') ? ' (reloaded)' : ''
  const enabled = u.enabledOut.split('\n')[0] || (isEnabled(u) ? 'enabled' : 'disabled')
  return `state: ${u.status['ActiveState'] ?? 'unknown'}${again}\nenabled: ${enabled}\n`
}

/** daemon-reload and daemon-reexec, as asked, with what their failure says. */
function daemonCommands(o: SystemdOptions): { command: ShellCommand; verb: string }[] {
  return [...(o.daemon_reload ? [{ command: sh`systemctl daemon-reload`, verb: 'daemon-reload' }] : []), ...(o.daemon_reexec ? [{ command: sh`systemctl daemon-reexec`, verb: 'daemon-reexec' }] : [])]
}

function unitCommand(o: SystemdOptions, verb: UnitVerb, unit: string): ShellCommand {
  // Flags are literal shell text; the unit name is the only value, quoted.
  const flags = sh`${o.no_block ? sh` --no-block` : sh``}${o.force ? sh` --force` : sh``}`
  return sh`systemctl${flags} ${verb} -- ${unit}`
}

export async function planSystemd(ctx: PlanContext, o: SystemdOptions): Promise<Plan<SystemdData>> {
  for (const key of ['state', 'enabled', 'masked'] as const) {
    if (o[key] !== undefined && o.name === undefined) return { changed: false, failed: `missing parameter(s) required by '${key}': name` }
  }
  const glob = /[*?[]/.exec(o.name ?? '')
  if (glob) return { changed: false, failed: `This module does not currently support using glob patterns, found '${glob[0]}' in service name: ${o.name ?? ''}` }
  const actions = [...(o.daemon_reload ? ['systemctl daemon-reload'] : []), ...(o.daemon_reexec ? ['systemctl daemon-reexec'] : [])]
  const result: Record<string, unknown> = { name: o.name, status: {} }
  if (o.name === undefined) {
    // daemon-reload alone: it is always done, so it always counts as a change.
    return { changed: actions.length > 0, actions, result, commands: daemonCommands(o).map((d) => d.command), data: { verbs: [] } }
  }
  const unit = unitName(o.name)
  const before = await readUnit(ctx, unit)
  const decision = decideUnit(before, { ...o, name: o.name } satisfies UnitArgs)
  if (decision.failed) return { changed: false, failed: decision.failed, result: decision.result }
  const after = unitAfter(before, decision.verbs)
  if (decision.verbs.length) ctx.predict(unitFact, unit, after)
  const diff: FileDiff[] = decision.verbs.length ? [{ header: `systemd ${unit}`, before: describe(before), after: describe(after, decision.verbs) }] : []
  return {
    changed: actions.length > 0 || decision.verbs.length > 0,
    actions: [...actions, ...decision.verbs.map((v) => `systemctl ${v} ${unit}`)],
    diff,
    result: decision.result,
    // After a daemon-reload, apply decides the verbs again on what systemd then says.
    commands: [...daemonCommands(o).map((d) => d.command), ...decision.verbs.map((v) => unitCommand(o, v, unit))],
    data: { unit, verbs: decision.verbs },
  }
}

const systemctlWords = (out: ExecResult): string => out.stderr.trim() || out.stdout.trim()

export async function applySystemd(ctx: ApplyContext, o: SystemdOptions, data: SystemdData): Promise<Record<string, unknown>> {
  for (const { command, verb } of daemonCommands(o)) {
    await ctx.run(command, { failure: (out) => `failure ${String(out.code)} during ${verb}: ${systemctlWords(out)}` })
  }
  let verbs = data.verbs
  let result: Record<string, unknown> = {}
  if (data.unit !== undefined && o.name !== undefined && (o.daemon_reload || o.daemon_reexec)) {
    // The reload may have changed what systemd knows about the unit: decide on what it says now.
    const decision = decideUnit(await readUnit(ctx, data.unit), { ...o, name: o.name })
    if (decision.failed) throw new ModuleError(decision.failed, decision.result)
    verbs = decision.verbs
    result = decision.result
  }
  for (const verb of verbs) {
    await ctx.run(unitCommand(o, verb, data.unit ?? ''), { failure: (out) => `Unable to ${verb} service ${o.name ?? ''}: ${systemctlWords(out)}` })
  }
  return { ...result, changed: o.daemon_reload || o.daemon_reexec || verbs.length > 0 }
}
