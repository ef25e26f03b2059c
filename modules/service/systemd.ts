/** systemd: a unit's state, enablement and masking, and daemon-reload (Ansible's `systemd`/`systemd_service`). */
import { defineModule } from '../../engine/module.js'
import { applySystemd, planSystemd, type SystemdOptions } from './service-systemd.js'

const args = {
  name: { type: 'str', aliases: ['service', 'unit'], description: "The unit ('nginx' means nginx.service)." },
  state: {
    type: 'str',
    choices: ['started', 'stopped', 'restarted', 'reloaded', 'tried-restart'],
    description: 'started/stopped change only what differs; restarted and reloaded always act (a stopped unit is started).',
  },
  enabled: { type: 'bool', description: 'Start the unit at boot (static and generated units count as enabled, as in Ansible).' },
  masked: { type: 'bool', description: 'Mask the unit so nothing can start it (works before the unit is installed).' },
  daemon_reload: { type: 'bool', aliases: ['daemon-reload'], description: 'Run systemctl daemon-reload first (always counts as a change).' },
  daemon_reexec: { type: 'bool', aliases: ['daemon-reexec'], description: 'Run systemctl daemon-reexec first.' },
  scope: { type: 'str', choices: ['system'], default: 'system', description: "The systemd instance: only 'system' (user units are not supported)." },
  no_block: { type: 'bool', default: false, description: 'Do not wait for the job to finish (systemctl --no-block).' },
  force: { type: 'bool', default: false, description: 'Override existing symlinks when enabling (systemctl --force).' },
} as const

type Values = {
  name?: string | undefined
  state?: SystemdOptions['state']
  enabled?: boolean | undefined
  masked?: boolean | undefined
  daemon_reload?: boolean | undefined
  daemon_reexec?: boolean | undefined
  no_block: boolean
  force: boolean
}

const options = (a: Values): SystemdOptions => ({ ...a, daemon_reload: a.daemon_reload === true, daemon_reexec: a.daemon_reexec === true })

export default defineModule({
  name: 'systemd',
  description: 'Starts, stops, restarts, reloads, enables, disables or masks a systemd unit; runs daemon-reload.',
  args,
  requiredOneOf: [['state', 'enabled', 'masked', 'daemon_reload', 'daemon_reexec']],
  plan: (ctx, a) => planSystemd(ctx, options(a)),
  apply: (ctx, a, data) => applySystemd(ctx, options(a), data),
})
