/**
 * The SysV init backend of `service`: the init script's status and rc.d links in one read,
 * then `service NAME VERB` and update-rc.d (chkconfig where there is no update-rc.d).
 * The decision reuses systemd's verbs and rules, so both backends agree on what
 * started/stopped/restarted/reloaded mean.
 */
import { sysvServiceFact, type SysvState, type UnitState } from '../../engine/facts/services.js'
import type { ApplyContext, Plan, PlanContext } from '../../engine/module.js'
import { sh, type ShellCommand } from '../../engine/quote.js'
import { decideUnit, type UnitArgs, type UnitVerb } from './systemd-decide.js'

/** The init script's state in the shape systemd's decision reads. */
export function sysvAsUnit(s: SysvState): UnitState {
  return {
    status: s.exists ? { LoadState: 'loaded', ActiveState: s.running ? 'active' : 'inactive' } : { LoadState: 'not-found' },
    showRc: 0,
    showText: '',
    enabledOut: s.exists ? (s.enabled ? 'enabled' : 'disabled') : '',
    enabledRc: s.enabled ? 0 : 1,
    initd: false,
    sysvEnabled: false,
  }
}

export function sysvCommand(name: string, verb: UnitVerb): ShellCommand {
  if (verb === 'enable') return sh`if command -v update-rc.d >/dev/null 2>&1; then update-rc.d ${name} defaults && update-rc.d ${name} enable; else chkconfig ${name} on; fi`
  if (verb === 'disable') return sh`if command -v update-rc.d >/dev/null 2>&1; then update-rc.d ${name} disable; else chkconfig ${name} off; fi`
  return sh`if command -v service >/dev/null 2>&1; then service ${name} ${verb}; else /etc/init.d/${name} ${verb}; fi`
}

export async function planSysv(ctx: PlanContext, a: UnitArgs): Promise<Plan<UnitVerb[]>> {
  const state = await ctx.fact(sysvServiceFact, a.name)
  const decision = decideUnit(sysvAsUnit(state), a)
  delete decision.result['status']
  if (decision.failed) return { changed: false, failed: decision.failed, result: decision.result }
  const verbs = decision.verbs.filter((v) => v !== 'mask' && v !== 'unmask')
  if (verbs.length) {
    const running = verbs.some((v) => v === 'start' || v === 'restart' || v === 'reload') ? true : verbs.includes('stop') ? false : state.running
    const enabled = verbs.includes('enable') ? true : verbs.includes('disable') ? false : state.enabled
    ctx.predict(sysvServiceFact, a.name, { exists: state.exists, running, enabled })
  }
  const commands = verbs.map((v) => sysvCommand(a.name, v))
  return { changed: verbs.length > 0, actions: verbs.map((v) => `service ${a.name} ${v}`), result: decision.result, commands, data: verbs }
}

export async function applySysv(ctx: ApplyContext, name: string, verbs: readonly UnitVerb[]): Promise<Record<string, unknown>> {
  for (const verb of verbs) {
    await ctx.run(sysvCommand(name, verb), { failure: (out) => `Unable to ${verb} service ${name}: ${out.stderr.trim() || out.stdout.trim()}` })
  }
  return { changed: true }
}
