/**
 * yum: RPM packages with yum (Ansible's `yum`), the dnf module's code run with the yum command
 * (on RHEL 8 and later yum is dnf itself; Ansible's yum action hands such hosts to dnf too).
 * Tested against captured rpm/dnf outputs only: the lab has no RPM hosts.
 */
import { defineModule } from '../../engine/module.js'
import { applyDnf, planDnf } from './pkg-dnf.js'
import { normalizeState, PKG_ARGS } from './pkg-plan.js'

const args = {
  ...PKG_ARGS,
  update_cache: { type: 'bool', default: false, aliases: ['expire-cache'], description: 'Refresh the repository metadata first (yum makecache).' },
} as const

export default defineModule({
  name: 'yum',
  description: 'Installs, upgrades or removes RPM packages with yum (RHEL/CentOS); not exercised in the Debian lab.',
  args,
  requiredOneOf: [['name', 'update_cache']],
  plan: (ctx, a) => planDnf(ctx, { names: a.name ?? [], state: normalizeState(a.state), update_cache: a.update_cache, bin: 'yum' }),
  apply: (ctx, _a, commands) => applyDnf(ctx, commands),
})
