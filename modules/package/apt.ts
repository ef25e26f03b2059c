/** apt: Debian/Ubuntu packages, installed or removed in one apt-get call (Ansible's `apt`). */
import { defineModule } from '../../engine/module.js'
import { applyApt, planApt, type AptOptions } from './pkg-apt.js'
import { normalizeState, PKG_ARGS } from './pkg-plan.js'

const args = {
  ...PKG_ARGS,
  update_cache: { type: 'bool', aliases: ['update-cache'], description: 'Run apt-get update first (when cache_valid_time allows; see there).' },
  cache_valid_time: {
    type: 'int',
    default: 0,
    description: 'Seconds the cache counts as fresh after its last update: within them, update_cache does nothing.',
  },
  install_recommends: { type: 'bool', aliases: ['install-recommends'], description: "Install recommended packages too (default: apt's own setting)." },
  purge: { type: 'bool', default: false, description: 'With state=absent, remove configuration files too (also of packages already removed).' },
  autoremove: { type: 'bool', description: 'Remove packages that were installed as dependencies and are no longer needed.' },
  default_release: { type: 'str', aliases: ['default-release'], description: "The release to install from (apt-get -t), e.g. 'bookworm-backports'." },
  allow_downgrade: {
    type: 'bool',
    default: false,
    aliases: ['allow-downgrade', 'allow_downgrades', 'allow-downgrades'],
    description: 'Allow a version pin to install an older version than the installed one.',
  },
  dpkg_options: { type: 'str', default: 'force-confdef,force-confold', description: 'dpkg options, comma-separated, each passed as -o Dpkg::Options::=--OPTION.' },
  force_apt_get: { type: 'bool', default: false, description: 'Accepted for compatibility: tsplay always uses apt-get.' },
} as const

type Values = {
  name?: string[] | undefined
  state: string
  update_cache?: boolean | undefined
  cache_valid_time: number
  install_recommends?: boolean | undefined
  purge: boolean
  autoremove?: boolean | undefined
  default_release?: string | undefined
  allow_downgrade: boolean
  dpkg_options: string
}

function aptOptions(a: Values): AptOptions {
  return { ...a, autoremove: a.autoremove === true, names: a.name ?? [], state: normalizeState(a.state) }
}

export default defineModule({
  name: 'apt',
  description: 'Installs, upgrades or removes Debian packages with apt-get, and refreshes its cache.',
  args,
  requiredOneOf: [['name', 'update_cache', 'autoremove']],
  plan: (ctx, a) => planApt(ctx, aptOptions(a)),
  apply: (ctx, a, data) => applyApt(ctx, aptOptions(a), data),
})
