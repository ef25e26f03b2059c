/**
 * systemd's decisions as pure functions of the unit's state, with Ansible's rules: what
 * counts as found, as enabled (static and generated units are, indirect and alias units
 * are not), as running, and which systemctl verbs a task needs, in Ansible's order
 * (mask, enable, then the state).
 */
import type { UnitState } from '../../engine/facts/services.js'

export type UnitVerb = 'mask' | 'unmask' | 'enable' | 'disable' | 'start' | 'stop' | 'restart' | 'reload'
export type UnitWanted = 'started' | 'stopped' | 'restarted' | 'reloaded' | 'tried-restart'

export interface UnitArgs {
  name: string
  state?: UnitWanted | undefined
  enabled?: boolean | undefined
  masked?: boolean | undefined
}

export interface UnitDecision {
  verbs: UnitVerb[]
  /** Ansible's result keys: name, status, and state/enabled when asked about. */
  result: Record<string, unknown>
  failed?: string
}

const UNIT_TYPES = /\.(service|socket|device|mount|automount|swap|target|path|timer|slice|scope)$/

/** `ssh` -> `ssh.service`, as systemctl reads a bare name. */
export function unitName(name: string): string {
  return UNIT_TYPES.test(name) ? name : `${name}.service`
}

/** Unit states `is-enabled` prints for a unit systemd knows (man systemctl). */
const ENABLED_STATES = new Set(['enabled', 'enabled-runtime', 'linked', 'linked-runtime', 'masked', 'masked-runtime', 'static', 'indirect', 'disabled', 'generated', 'transient', 'alias'])

function requestIgnored(text: string): boolean {
  return !text.includes('=') && (text.includes('ignoring request') || text.includes('ignoring command'))
}

/** systemd's own words for a load error: `org...NoSuchUnit "Unit x.service not found."` -> the quoted part. */
function loadErrorText(status: Record<string, string>): string | undefined {
  const raw = status['LoadError']
  if (raw === undefined) return undefined
  return /"(.*)"/.exec(raw)?.[1] ?? raw
}

export function unitFound(u: UnitState): { found: boolean; loadError?: string } {
  let systemd: boolean
  if (u.showRc === 0 && !requestIgnored(u.showText) && u.status['LoadState'] !== undefined) {
    const load = u.status['LoadState']
    systemd = load !== 'not-found'
    const error = loadErrorText(u.status)
    if (systemd && load !== 'masked' && error !== undefined) return { found: true, loadError: error }
  } else {
    systemd = ENABLED_STATES.has(u.enabledOut.trim())
  }
  return { found: systemd || u.initd }
}

/** Ansible's reading of `is-enabled`: exit 0 is enabled unless the only word is indirect or alias. */
export function isEnabled(u: UnitState): boolean {
  if (u.enabledRc === 0) {
    const lines = u.enabledOut.split('\n').filter((l) => l !== '')
    return !(lines.length === 1 && (lines[0] === 'indirect' || lines[0] === 'alias'))
  }
  // A SysV script the unit merely wraps counts as enabled by its rc.d links.
  return u.enabledRc === 1 && u.initd && !u.enabledOut.trim().endsWith('disabled') && u.sysvEnabled
}

const isRunning = (u: UnitState): boolean => ['active', 'activating'].includes(u.status['ActiveState'] ?? '')

export function decideUnit(u: UnitState, a: UnitArgs): UnitDecision {
  const result: Record<string, unknown> = { name: a.name, status: u.status }
  const verbs: UnitVerb[] = []
  const { found, loadError } = unitFound(u)
  if (loadError !== undefined) return { verbs, result, failed: `Error loading unit file '${a.name}': ${loadError}` }
  const missing = (): UnitDecision => {
    const words = loadErrorText(u.status)
    return { verbs, result, failed: `Could not find the requested service ${a.name}: host${words ? ` (${words})` : ''}` }
  }

  if (a.masked !== undefined) {
    // mask and unmask work on units not installed yet, so a missing unit is no error here.
    const masked = u.enabledOut.trim() === 'masked'
    if (masked !== a.masked) verbs.push(a.masked ? 'mask' : 'unmask')
  }
  if (a.enabled !== undefined) {
    if (!found && a.enabled) return missing()
    const enabled = found && isEnabled(u)
    result['enabled'] = enabled
    if (enabled !== a.enabled) {
      verbs.push(a.enabled ? 'enable' : 'disable')
      result['enabled'] = a.enabled
    }
  }
  if (a.state !== undefined) {
    // A unit that does not exist is already stopped: nothing to do, rather than an error.
    if (!found && a.state === 'stopped') return { verbs, result: { ...result, state: 'stopped' } }
    if (!found) return missing()
    if (u.status['ActiveState'] === undefined) return { verbs, result, failed: 'Service is in unknown state' }
    const running = isRunning(u)
    result['state'] = a.state
    if (a.state === 'started' && !running) verbs.push('start')
    else if (a.state === 'stopped' && (running || u.status['ActiveState'] === 'deactivating')) verbs.push('stop')
    else if (a.state === 'tried-restart') {
      if (running) verbs.push('restart')
      result['state'] = running ? 'started' : 'stopped'
    } else if (a.state === 'restarted' || a.state === 'reloaded') {
      verbs.push(!running ? 'start' : a.state === 'restarted' ? 'restart' : 'reload')
      result['state'] = 'started'
    }
  }
  return { verbs, result }
}

/** The unit as it will read after the verbs (for check mode's later tasks). */
export function unitAfter(u: UnitState, verbs: readonly UnitVerb[]): UnitState {
  const status = { ...u.status }
  let { enabledOut, enabledRc } = u
  for (const verb of verbs) {
    if (verb === 'start' || verb === 'restart' || verb === 'reload') Object.assign(status, { ActiveState: 'active', SubState: 'running' })
    if (verb === 'stop') Object.assign(status, { ActiveState: 'inactive', SubState: 'dead' })
    if (verb === 'enable' || verb === 'disable' || verb === 'mask' || verb === 'unmask') {
      enabledOut = { enable: 'enabled', disable: 'disabled', mask: 'masked', unmask: 'disabled' }[verb]
      enabledRc = verb === 'enable' ? 0 : 1
      status['UnitFileState'] = enabledOut
      if (verb === 'mask') status['LoadState'] = 'masked'
      if (verb === 'unmask') status['LoadState'] = 'loaded'
    }
  }
  return { ...u, status, enabledOut, enabledRc }
}

/**
 * A unit systemd does not know yet, read from its unit file (one an earlier task would
 * write, in check mode): loaded and inactive; disabled when it has an [Install] section
 * that wants it somewhere, else static.
 */
export function unitFromFile(unit: string, path: string, content: string): UnitState {
  let section = ''
  let installable = false
  for (const raw of content.split('\n')) {
    const line = raw.trim()
    const header = /^\[(.+)\]$/.exec(line)
    if (header?.[1] !== undefined) section = header[1]
    else if (section === 'Install' && /^(WantedBy|RequiredBy|UpheldBy|Alias|Also)\s*=\s*\S/.test(line)) installable = true
  }
  const fileState = installable ? 'disabled' : 'static'
  return {
    status: { Id: unit, Names: unit, LoadState: 'loaded', ActiveState: 'inactive', SubState: 'dead', UnitFileState: fileState, FragmentPath: path },
    showRc: 0,
    showText: '',
    enabledOut: fileState,
    enabledRc: installable ? 1 : 0,
    initd: false,
    sysvEnabled: false,
  }
}
