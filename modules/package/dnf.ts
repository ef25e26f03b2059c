/**
 * dnf: RPM packages on Fedora/RHEL-like hosts (Ansible's `dnf`), one dnf call per task.
 * Tested against captured rpm/dnf outputs only: the lab has no RPM hosts.
 */
import { defineModule } from '../../engine/module.js'
import { applyDnf, planDnf } from './pkg-dnf.js'
import { normalizeState, PKG_ARGS } from './pkg-plan.js'

const args = {
  ...PKG_ARGS,
  update_cache: { type: 'bool', default: false, aliases: ['expire-cache'], description: 'Refresh the repository metadata first (dnf makecache --refresh).' },
} as const

export default defineModule({
  name: 'dnf',
  description: 'Installs, upgrades or removes RPM packages with dnf (RHEL, Fedora, Rocky, Alma); not exercised in the Debian lab.',
  args,
  requiredOneOf: [['name', 'update_cache']],
  plan: (ctx, a) => planDnf(ctx, { names: a.name ?? [], state: normalizeState(a.state), update_cache: a.update_cache, bin: 'dnf' }),
  apply: (ctx, _a, commands) => applyDnf(ctx, commands),
})
