/**
 * package: installs or removes packages with whatever manager the host has (Ansible's
 * `package`): ansible_pkg_mgr when facts were gathered, else one probe. It runs the same
 * backend code as the `apt` and `dnf` modules, with their defaults.
 */
import { defineModule, wrapPlanData, type PlanContext } from '../../engine/module.js'
import type { ShellCommand } from '../../engine/quote.js'
import { pkgMgrFact } from '../../engine/facts/managers.js'
import { applyApt, planApt, type AptData, type AptOptions } from './pkg-apt.js'
import { applyDnf, planDnf, type DnfOptions } from './pkg-dnf.js'
import { normalizeState, PKG_ARGS } from './pkg-plan.js'

const args = {
  name: { ...PKG_ARGS.name, required: true },
  state: PKG_ARGS.state,
  use: { type: 'str', default: 'auto', description: "The package manager to use (apt, dnf, yum); 'auto' asks the host." },
} as const

const DNF_LIKE = new Set(['dnf', 'dnf5', 'yum'])

type Backend = { kind: 'apt'; options: AptOptions } | { kind: 'dnf'; options: DnfOptions } | { kind: 'unsupported'; name: string }

/** Which backend planned, with its own plan data, so apply hands each its own. */
type Data = { kind: 'apt'; options: AptOptions; inner: AptData } | { kind: 'dnf'; inner: ShellCommand[] }

async function backend(ctx: PlanContext, a: { name: string[]; state: string; use: string }): Promise<Backend> {
  const fact = ctx.facts['ansible_pkg_mgr']
  const mgr = a.use !== 'auto' ? a.use : typeof fact === 'string' && fact !== 'unknown' ? fact : await ctx.fact(pkgMgrFact, '')
  const state = normalizeState(a.state)
  if (mgr === 'apt') {
    const options: AptOptions = { names: a.name, state, cache_valid_time: 0, purge: false, autoremove: false, allow_downgrade: false, dpkg_options: 'force-confdef,force-confold' }
    return { kind: 'apt', options }
  }
  if (DNF_LIKE.has(mgr)) return { kind: 'dnf', options: { names: a.name, state, update_cache: false, bin: mgr } }
  return { kind: 'unsupported', name: mgr }
}

export default defineModule({
  name: 'package',
  description: "Installs or removes packages with the host's own package manager (apt or dnf).",
  args,
  async plan(ctx, a) {
    const b = await backend(ctx, a)
    if (b.kind === 'unsupported') return { changed: false, failed: `package manager '${b.name}' is not supported by tsplay (apt, dnf, yum)` }
    if (b.kind === 'apt') return wrapPlanData(await planApt(ctx, b.options), (inner): Data => ({ kind: 'apt', options: b.options, inner }))
    return wrapPlanData(await planDnf(ctx, b.options), (inner): Data => ({ kind: 'dnf', inner }))
  },
  async apply(ctx, _a, data) {
    return data.kind === 'apt' ? applyApt(ctx, data.options, data.inner) : applyDnf(ctx, data.inner)
  },
})
