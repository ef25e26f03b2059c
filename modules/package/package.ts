/**
 * package: installs or removes packages with whatever manager the host has (Ansible's
 * `package`): ansible_pkg_mgr when facts were gathered, else one probe. It runs the same
 * backend code as the `apt` and `dnf` modules, with their defaults.
 */
import { defineModule, type PlanContext } from '../../engine/module.js'
import { pkgMgrFact } from '../../engine/facts/managers.js'
import { applyApt, planApt, type AptOptions } from './pkg-apt.js'
import { applyDnf, planDnf, type DnfOptions } from './pkg-dnf.js'
import { normalizeState, PKG_ARGS } from './pkg-plan.js'

const args = {
  name: { ...PKG_ARGS.name, required: true },
  state: PKG_ARGS.state,
  use: { type: 'str', default: 'auto', description: "The package manager to use (apt, dnf, yum); 'auto' asks the host." },
} as const

const DNF_LIKE = new Set(['dnf', 'dnf5', 'yum'])

type Backend = { kind: 'apt'; options: AptOptions } | { kind: 'dnf'; options: DnfOptions } | { kind: 'unsupported'; name: string }

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
    const plan = b.kind === 'apt' ? await planApt(ctx, b.options) : await planDnf(ctx, b.options)
    return { ...plan, data: { backend: b, inner: plan.data } }
  },
  async apply(ctx, _a, plan) {
    const { backend: b, inner } = plan.data as { backend: Backend; inner: unknown }
    const innerPlan = { ...plan, data: inner }
    if (b.kind === 'apt') return applyApt(ctx, b.options, innerPlan)
    return applyDnf(ctx, innerPlan)
  },
})
