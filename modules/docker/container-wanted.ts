/**
 * docker_container's arguments turned into the configuration a container should have, in the
 * forms `docker inspect` prints (ports as `80/tcp` -> bindings, binds as `src:dst:mode`, memory in
 * bytes, durations in nanoseconds), with community.docker's rules for what the image adds (its
 * Env and Labels under the wanted ones, its Cmd for `command: []`).
 */
import { shlexSplit } from '../../engine/shlex.js'
import type { InspectedImage, PortBinding } from './inspect.js'

export type Comparison = 'strict' | 'ignore' | 'allow_more_present'

/** The arguments, validated, as the decisions use them. */
export interface ContainerArgs {
  name: string
  image?: string | undefined
  state: 'started' | 'stopped' | 'present' | 'absent'
  command?: unknown
  entrypoint?: string[] | undefined
  env?: Record<string, unknown> | undefined
  published_ports?: string[] | undefined
  volumes?: string[] | undefined
  mounts?: Record<string, unknown>[] | undefined
  restart_policy?: 'no' | 'on-failure' | 'always' | 'unless-stopped' | undefined
  restart_retries?: number | undefined
  privileged?: boolean | undefined
  network_mode?: string | undefined
  hostname?: string | undefined
  labels?: Record<string, unknown> | undefined
  detach?: boolean | undefined
  auto_remove?: boolean | undefined
  recreate: boolean
  restart: boolean
  pull: 'missing' | 'always' | 'never'
  comparisons?: Record<string, unknown> | undefined
  healthcheck?: Record<string, unknown> | undefined
  log_driver?: string | undefined
  log_options?: Record<string, unknown> | undefined
  memory?: string | undefined
  stop_timeout?: number | undefined
  container_default_behavior: 'compatibility' | 'no_defaults'
}

export interface WantedMount {
  type: string
  source: string
  target: string
  readOnly: boolean
  propagation?: string | undefined
}

export interface WantedHealthcheck {
  test?: string[]
  interval?: number
  timeout?: number
  start_period?: number
  retries?: number
}

/** The configuration compared with the container's; a key is absent when the task does not set it. */
export interface Wanted {
  image?: string
  command?: string[]
  entrypoint?: string[]
  /** KEY=value, in order: env_file's, then env's (env wins). */
  env?: string[]
  published_ports?: Record<string, PortBinding[]>
  volumes?: string[]
  mounts?: WantedMount[]
  restart_policy?: string
  restart_retries?: number
  privileged?: boolean
  network_mode?: string
  hostname?: string
  labels?: Record<string, string>
  healthcheck?: WantedHealthcheck
  log_driver?: string
  log_options?: Record<string, string>
  memory?: number
  auto_remove?: boolean
}

export type WantedKey = keyof Wanted

/** Each comparable key, with the comparison community.docker gives it by default: values and lists strict, sets and dicts allow_more_present. */
export const DEFAULT_COMPARISON: Readonly<Record<WantedKey, Comparison>> = {
  image: 'strict', command: 'strict', entrypoint: 'strict', env: 'allow_more_present', published_ports: 'allow_more_present',
  volumes: 'allow_more_present', mounts: 'allow_more_present', restart_policy: 'strict', restart_retries: 'strict', privileged: 'strict',
  network_mode: 'strict', hostname: 'strict', labels: 'allow_more_present', healthcheck: 'allow_more_present', log_driver: 'strict',
  log_options: 'allow_more_present', memory: 'strict', auto_remove: 'strict',
}
const VALUE_KEYS = new Set<WantedKey>(['image', 'restart_policy', 'restart_retries', 'privileged', 'network_mode', 'hostname', 'log_driver', 'memory', 'auto_remove'])
const COMPARISON_ALIASES: Readonly<Record<string, WantedKey>> = { ports: 'published_ports', log_opt: 'log_options', env_file: 'env' }

/** The comparison of each key after the task's `comparisons`, or what is wrong with them. */
export function comparisonsOf(given: Readonly<Record<string, unknown>> | undefined): Record<WantedKey, Comparison> | string {
  const out: Record<WantedKey, Comparison> = { ...DEFAULT_COMPARISON }
  const all = given ?? {}
  const star = all['*']
  if (star !== undefined) {
    if (star !== 'strict' && star !== 'ignore') return "The wildcard can only be used with comparison modes 'strict' and 'ignore'!"
    for (const key of Object.keys(out) as WantedKey[]) out[key] = star
  }
  for (const [name, mode] of Object.entries(all)) {
    if (name === '*') continue
    const key = (COMPARISON_ALIASES[name] ?? name) as WantedKey
    if (!(key in DEFAULT_COMPARISON)) return `Unknown module option '${name}' in comparisons dict!`
    if (mode !== 'strict' && mode !== 'ignore' && mode !== 'allow_more_present') return `comparisons.${name} must be strict, ignore or allow_more_present`
    if (mode === 'allow_more_present' && VALUE_KEYS.has(key)) return `Option '${name}' is a value and not a set/list/dict, so its comparison cannot be ${mode}`
    out[key] = mode
  }
  return out
}

const UNITS: Readonly<Record<string, number>> = { b: 1, k: 1024, m: 1024 ** 2, g: 1024 ** 3, t: 1024 ** 4 }

/** docker's memory size ("512m", "1g", "0") in bytes. */
export function memoryBytes(text: string): number | undefined {
  const m = /^(\d+(?:\.\d+)?)\s*([bkmgt])?b?$/i.exec(text.trim())
  if (!m) return undefined
  return Math.round(Number(m[1]) * (UNITS[(m[2] ?? 'b').toLowerCase()] ?? 1))
}

const NANOS: Readonly<Record<string, number>> = { ns: 1, us: 1e3, ms: 1e6, s: 1e9, m: 60e9, h: 3600e9 }

/** A Go duration ("30s", "1m30s", "500ms") in nanoseconds, as docker stores a healthcheck's times. */
export function durationNanos(text: string): number | undefined {
  const parts = [...text.trim().matchAll(/(\d+(?:\.\d+)?)(ns|us|ms|s|m|h)/g)]
  if (!parts.length || parts.map((p) => p[0]).join('') !== text.trim()) return undefined
  return Math.round(parts.reduce((sum, p) => sum + Number(p[1]) * (NANOS[p[2] ?? 's'] ?? 0), 0))
}

/** `[ip:][host_port:]container_port[/proto]` -> the container port key and its binding (docker's default ip is 0.0.0.0). */
export function parsePort(spec: string): [string, PortBinding] | string {
  const [addr, proto = 'tcp'] = spec.split('/')
  const parts = (addr ?? '').split(':')
  const containerPort = parts.pop() ?? ''
  if (!/^\d+$/.test(containerPort) || parts.length > 2) return `published_ports: '${spec}' is not [ip:][host_port:]container_port[/protocol]`
  const hostPort = parts.pop() ?? ''
  const hostIp = parts.pop() ?? ''
  return [`${containerPort}/${proto}`, { HostIp: hostIp || '0.0.0.0', HostPort: hostPort }]
}

const VOLUME_MODE = /^(ro|rw|z|Z|nocopy|shared|rshared|slave|rslave|private|rprivate|consistent|cached|delegated)(,(ro|rw|z|Z|nocopy|shared|rshared|slave|rslave|private|rprivate))*$/

/** A bind `src:dst[:mode]` as `src:dst:mode` (mode rw when not given); an anonymous volume (`/data`) stays as it is. */
export function normalizeBind(spec: string): string {
  const parts = spec.split(':')
  if (parts.length === 2 && !VOLUME_MODE.test(parts[1] ?? '')) return `${spec}:rw`
  return spec
}

function stringMap(value: Record<string, unknown>, what: string): Record<string, string> | string {
  const out: Record<string, string> = {}
  for (const [k, v] of Object.entries(value)) {
    // As community.docker: a YAML boolean in env is ambiguous (yes/true/True), so it must be quoted.
    if (typeof v === 'boolean' || v === null || typeof v === 'object') return `Non-string value found for ${what} option. Ambiguous ${what} options must be wrapped in quotes to avoid them being interpreted. Key: ${k}`
    out[k] = String(v)
  }
  return out
}

/** The lines of an env file as docker reads them: KEY=value, comments and blank lines skipped. */
export function parseEnvFile(text: string): Record<string, string> {
  const out: Record<string, string> = {}
  for (const raw of text.split('\n')) {
    const line = raw.replace(/^\s+/, '').replace(/\r$/, '')
    if (!line || line.startsWith('#')) continue
    const eq = line.indexOf('=')
    if (eq > 0) out[line.slice(0, eq)] = line.slice(eq + 1)
  }
  return out
}

function healthcheckOf(h: Record<string, unknown>): WantedHealthcheck | string {
  const out: WantedHealthcheck = {}
  const test = h['test']
  if (typeof test === 'string') out.test = ['CMD-SHELL', test]
  else if (Array.isArray(test)) {
    const words = test.map(String)
    // The docker CLI only sets a shell test (--health-cmd): an exec-form test is given as the shell line it means.
    out.test = words[0] === 'CMD' ? ['CMD-SHELL', words.slice(1).map((w) => (/^[\w@%+=:,./-]+$/.test(w) ? w : `'${w.replaceAll("'", `'\\''`)}'`)).join(' ')] : words
  }
  for (const key of ['interval', 'timeout', 'start_period'] as const) {
    const v = h[key]
    if (v === undefined || v === null) continue
    const ns = durationNanos(String(v))
    if (ns === undefined) return `healthcheck.${key}: '${String(v)}' is not a duration such as 30s or 1m30s`
    out[key] = ns
  }
  if (h['retries'] !== undefined && h['retries'] !== null) out.retries = Number(h['retries'])
  return out
}

/** The wanted configuration, from the arguments, the env file's text (when env_file is given) and the image. */
export function wantedOf(a: ContainerArgs, envFile: Record<string, string> | undefined, image: InspectedImage | null): Wanted | string {
  const w: Wanted = {}
  const compat = a.container_default_behavior === 'compatibility'
  if (a.image !== undefined) w.image = a.image
  if (a.command !== undefined) {
    const words = typeof a.command === 'string' ? shlexSplit(a.command) : Array.isArray(a.command) ? a.command.map(String) : undefined
    if (!words) return 'command must be a string or a list'
    w.command = words.length === 0 ? (image?.Config?.Cmd ?? []) : words
  }
  if (a.entrypoint !== undefined) w.entrypoint = a.entrypoint
  if (a.env !== undefined || envFile !== undefined) {
    const env = a.env !== undefined ? stringMap(a.env, 'env') : {}
    if (typeof env === 'string') return env
    const merged: Record<string, string> = {}
    for (const line of image?.Config?.Env ?? []) {
      const eq = line.indexOf('=')
      merged[eq < 0 ? line : line.slice(0, eq)] = eq < 0 ? '' : line.slice(eq + 1)
    }
    Object.assign(merged, envFile ?? {}, env)
    w.env = Object.entries(merged).map(([k, v]) => `${k}=${v}`)
  }
  if (a.published_ports !== undefined) {
    const ports: Record<string, PortBinding[]> = {}
    for (const spec of a.published_ports) {
      const parsed = parsePort(spec)
      if (typeof parsed === 'string') return parsed
      ;(ports[parsed[0]] ??= []).push(parsed[1])
    }
    w.published_ports = ports
  }
  if (a.volumes !== undefined) w.volumes = a.volumes.map(normalizeBind)
  if (a.mounts !== undefined) {
    w.mounts = a.mounts.map((m) => ({
      type: String(m['type'] ?? 'volume'),
      source: String(m['source'] ?? ''),
      target: String(m['target'] ?? ''),
      readOnly: m['read_only'] === true,
      ...(m['propagation'] !== undefined && m['propagation'] !== null ? { propagation: String(m['propagation']) } : {}),
    }))
    const bad = w.mounts.find((m) => !m.target)
    if (bad) return 'mounts: every mount needs a target'
  }
  if (a.restart_policy !== undefined) w.restart_policy = a.restart_policy
  if (a.restart_retries !== undefined) w.restart_retries = a.restart_retries
  const privileged = a.privileged ?? (compat ? false : undefined)
  if (privileged !== undefined) w.privileged = privileged
  if (a.network_mode !== undefined) w.network_mode = a.network_mode
  if (a.hostname !== undefined) w.hostname = a.hostname
  if (a.labels !== undefined) {
    const labels = stringMap(a.labels, 'labels')
    if (typeof labels === 'string') return labels
    w.labels = { ...(image?.Config?.Labels ?? {}), ...labels }
  }
  if (a.healthcheck !== undefined) {
    const h = healthcheckOf(a.healthcheck)
    if (typeof h === 'string') return h
    w.healthcheck = h
  }
  if (a.log_driver !== undefined) w.log_driver = a.log_driver
  if (a.log_options !== undefined) {
    const opts = stringMap(a.log_options, 'log_options')
    if (typeof opts === 'string') return opts
    w.log_options = opts
  }
  const memory = a.memory ?? (compat ? '0' : undefined)
  if (memory !== undefined) {
    const bytes = memoryBytes(memory)
    if (bytes === undefined) return `memory: '${memory}' is not a size such as 512m or 1g`
    w.memory = bytes
  }
  const autoRemove = a.auto_remove ?? (compat ? false : undefined)
  if (autoRemove !== undefined) w.auto_remove = autoRemove
  return w
}
