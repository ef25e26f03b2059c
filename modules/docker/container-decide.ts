/**
 * docker_container's decisions as pure functions of what `docker inspect` read: which keys of the
 * wanted configuration differ from the container's (community.docker's comparisons: strict,
 * ignore, allow_more_present; image by ID and by name), and what the module does about it
 * (pull, recreate, create, start, stop, restart, remove).
 */
import type { InspectedContainer, InspectedImage, PortBinding } from './inspect.js'
import { normalizeBind, type Comparison, type ContainerArgs, type Wanted, type WantedKey, type WantedMount } from './container-wanted.js'

/** One key that differs, as text for the diff. */
export interface Difference {
  key: string
  before: string
  after: string
}

export type Step = 'pull' | 'stop' | 'remove' | 'create' | 'start' | 'restart'

export interface ContainerDecision {
  steps: Step[]
  /** The keys that differ (a recreation's reasons). */
  differences: Difference[]
  /** Running before / after, for the diff. */
  running: { before: boolean | null; after: boolean | null }
  failed?: string
}

const text = (v: unknown): string => (v === undefined || v === null ? '' : typeof v === 'string' ? v : JSON.stringify(v))

/** Set comparison: strict = the same members; allow_more_present = every wanted member is there. */
function sameSet(wanted: readonly string[], have: readonly string[], mode: Comparison): boolean {
  const present = new Set(have)
  if (!wanted.every((x) => present.has(x))) return false
  return mode !== 'strict' || new Set(wanted).size === present.size
}

/** Dict comparison: every wanted key with its value; strict also no other key. */
function sameDict<V>(wanted: Readonly<Record<string, V>>, have: Readonly<Record<string, V>>, mode: Comparison, same: (a: V, b: V) => boolean = (a, b) => a === b): boolean {
  for (const [k, v] of Object.entries(wanted)) {
    const h = have[k]
    if (h === undefined || !same(v, h)) return false
  }
  return mode !== 'strict' || Object.keys(have).length === Object.keys(wanted).length
}

const bindingKey = (b: PortBinding): string => `${b.HostIp || '0.0.0.0'}:${b.HostPort}`
const sameBindings = (a: readonly PortBinding[], b: readonly PortBinding[]): boolean => sameSet(a.map(bindingKey), b.map(bindingKey), 'strict')

function mountsOf(c: InspectedContainer): WantedMount[] {
  return (c.HostConfig.Mounts ?? []).map((m) => ({
    type: m.Type, source: m.Source ?? '', target: m.Target, readOnly: m.ReadOnly === true,
    ...(m.BindOptions?.Propagation ? { propagation: m.BindOptions.Propagation } : {}),
  }))
}
const mountKey = (m: WantedMount): string => `${m.type},source=${m.source},target=${m.target}${m.readOnly ? ',readonly' : ''}${m.propagation ? `,bind-propagation=${m.propagation}` : ''}`

const portsText = (p: Readonly<Record<string, readonly PortBinding[]>>): string[] =>
  Object.entries(p).flatMap(([port, bs]) => bs.map((b) => `${bindingKey(b)}->${port}`)).sort()

/** The container's anonymous volumes (`/data`) and binds, in the form `volumes:` takes. */
function volumesOf(c: InspectedContainer): string[] {
  const binds = (c.HostConfig.Binds ?? []).map(normalizeBind)
  const anonymous = (c.Mounts ?? []).filter((m) => m.Type === 'volume' && !binds.some((b) => b.split(':')[1] === m.Destination)).map((m) => m.Destination)
  return [...binds, ...anonymous]
}

/** What the container has for one key, in the wanted form (undefined: the key is not compared). */
function have(c: InspectedContainer, key: WantedKey): unknown {
  const h = c.HostConfig
  switch (key) {
    case 'image': return c.Config.Image
    case 'command': return c.Config.Cmd ?? []
    case 'entrypoint': return c.Config.Entrypoint ?? []
    case 'env': return c.Config.Env ?? []
    case 'published_ports': return Object.fromEntries(Object.entries(h.PortBindings ?? {}).map(([k, v]) => [k, v ?? []]))
    case 'volumes': return volumesOf(c)
    case 'mounts': return mountsOf(c)
    case 'restart_policy': return h.RestartPolicy.Name || 'no'
    case 'restart_retries': return h.RestartPolicy.MaximumRetryCount
    case 'privileged': return h.Privileged
    case 'network_mode': return h.NetworkMode
    case 'hostname': return c.Config.Hostname
    case 'labels': return c.Config.Labels ?? {}
    case 'healthcheck': {
      const hc = c.Config.Healthcheck ?? {}
      return { test: hc.Test, interval: hc.Interval, timeout: hc.Timeout, start_period: hc.StartPeriod, retries: hc.Retries }
    }
    case 'log_driver': return h.LogConfig.Type
    case 'log_options': return h.LogConfig.Config ?? {}
    case 'memory': return h.Memory
    case 'auto_remove': return h.AutoRemove
  }
}

function same(key: WantedKey, wanted: unknown, current: unknown, mode: Comparison): boolean {
  switch (key) {
    case 'command':
    case 'entrypoint':
      return JSON.stringify(wanted) === JSON.stringify(current)
    case 'env':
    case 'volumes':
      return sameSet(wanted as string[], current as string[], mode)
    case 'mounts':
      return sameSet((wanted as WantedMount[]).map(mountKey), (current as WantedMount[]).map(mountKey), mode)
    case 'published_ports':
      return sameDict(wanted as Record<string, PortBinding[]>, current as Record<string, PortBinding[]>, mode, sameBindings)
    case 'labels':
    case 'log_options':
      return sameDict(wanted as Record<string, string>, current as Record<string, string>, mode)
    case 'healthcheck': {
      const w = wanted as Record<string, unknown>
      const c = current as Record<string, unknown>
      return Object.entries(w).every(([k, v]) => JSON.stringify(v) === JSON.stringify(c[k]))
    }
    default:
      return wanted === current
  }
}

function shown(key: WantedKey, value: unknown): string {
  if (key === 'published_ports') return portsText(value as Record<string, PortBinding[]>).join('\n')
  if (key === 'mounts') return (value as WantedMount[]).map(mountKey).sort().join('\n')
  if (key === 'env' || key === 'volumes') return [...(value as string[])].sort().join('\n')
  if (key === 'command' || key === 'entrypoint') return JSON.stringify(value)
  return text(value)
}

/** The keys of `wanted` the container does not have as wanted; `imageId` is the wanted image's ID (unknown before a pull). */
export function differences(wanted: Wanted, container: InspectedContainer, imageId: string | undefined, comparisons: Readonly<Record<WantedKey, Comparison>>): Difference[] {
  const out: Difference[] = []
  for (const key of Object.keys(wanted) as WantedKey[]) {
    const mode = comparisons[key]
    if (mode === 'ignore') continue
    const current = have(container, key)
    const value = wanted[key]
    if (!same(key, value, current, mode)) out.push({ key, before: shown(key, current), after: shown(key, value) })
  }
  if (wanted.image !== undefined && comparisons.image !== 'ignore' && imageId !== container.Image) {
    out.unshift({ key: 'image id', before: container.Image, after: imageId ?? `${wanted.image} (after the pull)` })
  }
  return out
}

/** What the module does, given the container (null: none by that name) and the image (null: not on the host). */
export function decideContainer(
  a: ContainerArgs,
  wanted: Wanted,
  comparisons: Readonly<Record<WantedKey, Comparison>>,
  container: InspectedContainer | null,
  image: InspectedImage | null,
): ContainerDecision {
  const running = container ? container.State.Running : null
  if (a.state === 'absent') {
    return { steps: container ? [...(running ? ['stop' as const] : []), 'remove'] : [], differences: [], running: { before: running, after: null } }
  }
  const steps: Step[] = []
  const fail = (failed: string): ContainerDecision => ({ steps: [], differences: [], running: { before: running, after: running }, failed })
  if (a.image === undefined && (!container || a.recreate)) return fail(container ? 'Cannot recreate container when image is not specified!' : 'Cannot create container when image is not specified!')
  if (a.image !== undefined && !image) {
    if (a.pull === 'never') return fail(`Cannot find image with name ${a.image}, and pull=never`)
    steps.push('pull')
  }
  const diffs = container ? differences(wanted, container, image?.Id, comparisons) : []
  const start = a.state === 'started'
  if (!container || diffs.length || a.recreate) {
    if (container) steps.push(...(running ? ['stop' as const] : []), 'remove')
    steps.push('create')
    if (start) steps.push('start')
    return { steps, differences: diffs, running: { before: running, after: start } }
  }
  if (start && !running) steps.push('start')
  else if (start && a.restart) steps.push('restart')
  else if (a.state === 'stopped' && running) steps.push('stop')
  const after = start ? true : a.state === 'stopped' ? false : running
  return { steps, differences: [], running: { before: running, after } }
}
