/**
 * service: a service's state and enablement with the host's service manager (Ansible's
 * `service`): ansible_service_mgr when facts were gathered, else one probe. systemd hosts
 * run the `systemd` module's code; SysV init hosts use the init script and update-rc.d.
 */
import { defineModule, wrapPlanData, type PlanContext } from '../../engine/module.js'
import { serviceMgrFact } from '../../engine/facts/managers.js'
import { applySystemd, planSystemd, type SystemdData, type SystemdOptions } from './service-systemd.js'
import { applySysv, planSysv } from './service-sysv.js'
import type { UnitVerb } from './systemd-decide.js'

const args = {
  name: { type: 'str', required: true, description: 'The service.' },
  state: {
    type: 'str',
    choices: ['started', 'stopped', 'restarted', 'reloaded'],
    description: 'started/stopped change only what differs; restarted and reloaded always act.',
  },
  enabled: { type: 'bool', description: 'Start the service at boot.' },
  use: { type: 'str', default: 'auto', description: "The service manager (systemd, sysvinit); 'auto' asks the host." },
} as const

type Values = { name: string; state?: SystemdOptions['state']; enabled?: boolean | undefined; use: string }

async function manager(ctx: PlanContext, use: string): Promise<string> {
  if (use !== 'auto') return use
  const fact = ctx.facts['ansible_service_mgr']
  return typeof fact === 'string' && fact !== 'unknown' ? fact : ctx.fact(serviceMgrFact, '')
}

/** Which backend planned, with its own plan data, so apply hands each its own. */
type Data = { mgr: 'systemd'; inner: SystemdData } | { mgr: 'sysvinit'; inner: UnitVerb[] }

const systemdOptions = (a: Values): SystemdOptions => ({ name: a.name, state: a.state, enabled: a.enabled, daemon_reload: false, daemon_reexec: false, no_block: false, force: false })

export default defineModule({
  name: 'service',
  description: "Starts, stops, restarts, reloads, enables or disables a service with the host's service manager (systemd or SysV init).",
  args,
  requiredOneOf: [['state', 'enabled']],
  async plan(ctx, a) {
    const mgr = await manager(ctx, a.use)
    if (mgr !== 'systemd' && mgr !== 'sysvinit') return { changed: false, failed: `service manager '${mgr}' is not supported by tsplay (systemd, sysvinit)` }
    if (mgr === 'systemd') return wrapPlanData(await planSystemd(ctx, systemdOptions(a)), (inner): Data => ({ mgr, inner }))
    return wrapPlanData(await planSysv(ctx, { name: a.name, state: a.state, enabled: a.enabled }), (inner): Data => ({ mgr, inner }))
  },
  async apply(ctx, a, data) {
    return data.mgr === 'systemd' ? applySystemd(ctx, systemdOptions(a), data.inner) : applySysv(ctx, a.name, data.inner)
  },
})
