/**
 * The docker CLI commands of docker_container's steps. The environment never goes on a command
 * line (where `ps` and `--check -vvvv` would show a password): `docker create` reads it from
 * standard input as an env file.
 */
import { sh, type ShellCommand } from '../../engine/quote.js'
import type { Step } from './container-decide.js'
import type { ContainerArgs, Wanted } from './container-wanted.js'

/** One command apply runs, with what it reads on stdin. */
export interface DockerStep {
  step: Step
  command: ShellCommand
  stdin?: string
}

/** A --mount field in docker's CSV form: quoted when it holds a comma or a quote. */
const csv = (field: string): string => (/[",]/.test(field) ? `"${field.replaceAll('"', '""')}"` : field)

/** The words of `docker create` after `docker create`: options, `--`, the image and its command. */
export function createWords(a: ContainerArgs, w: Wanted): string[] {
  const words = ['--name', a.name]
  const entry = w.entrypoint
  // The CLI's --entrypoint takes one word: the others lead the command, as `docker run` does it.
  if (entry !== undefined) words.push('--entrypoint', entry[0] ?? '')
  if (w.env !== undefined && w.env.length) words.push('--env-file', '/dev/stdin')
  for (const [port, bindings] of Object.entries(w.published_ports ?? {})) {
    for (const b of bindings) {
      const ip = b.HostIp && b.HostIp !== '0.0.0.0' ? b.HostIp : ''
      words.push('--publish', ip ? `${ip}:${b.HostPort}:${port}` : b.HostPort ? `${b.HostPort}:${port}` : port)
    }
  }
  for (const v of a.volumes ?? []) words.push('--volume', v)
  for (const m of w.mounts ?? []) {
    const fields = [`type=${m.type}`, ...(m.source ? [`source=${m.source}`] : []), `target=${m.target}`, ...(m.readOnly ? ['readonly'] : []), ...(m.propagation ? [`bind-propagation=${m.propagation}`] : [])]
    words.push('--mount', fields.map(csv).join(','))
  }
  if (w.restart_policy !== undefined) words.push('--restart', w.restart_policy === 'on-failure' && w.restart_retries ? `on-failure:${String(w.restart_retries)}` : w.restart_policy)
  if (w.privileged) words.push('--privileged')
  if (w.network_mode !== undefined) words.push('--network', w.network_mode)
  if (w.hostname !== undefined) words.push('--hostname', w.hostname)
  for (const [k, v] of Object.entries(a.labels ?? {})) words.push('--label', `${k}=${String(v)}`)
  if (w.auto_remove) words.push('--rm')
  const hc = w.healthcheck
  if (hc?.test?.[0] === 'NONE') words.push('--no-healthcheck')
  else if (hc) {
    if (hc.test) words.push('--health-cmd', hc.test.slice(1).join(' '))
    if (hc.interval !== undefined) words.push('--health-interval', `${String(hc.interval / 1e6)}ms`)
    if (hc.timeout !== undefined) words.push('--health-timeout', `${String(hc.timeout / 1e6)}ms`)
    if (hc.start_period !== undefined) words.push('--health-start-period', `${String(hc.start_period / 1e6)}ms`)
    if (hc.retries !== undefined) words.push('--health-retries', String(hc.retries))
  }
  if (w.log_driver !== undefined) words.push('--log-driver', w.log_driver)
  for (const [k, v] of Object.entries(w.log_options ?? {})) words.push('--log-opt', `${k}=${v}`)
  if (w.memory !== undefined) words.push('--memory', `${String(w.memory)}b`)
  if (a.stop_timeout !== undefined) words.push('--stop-timeout', String(a.stop_timeout))
  return [...words, '--', a.image ?? '', ...(entry?.slice(1) ?? []), ...(w.command ?? [])]
}

/** The env file `docker create` reads on stdin: one KEY=value a line (docker's format has no quoting, so a value holds no newline). */
export function envFileText(w: Wanted): string | undefined {
  return w.env?.length ? w.env.map((line) => `${line}\n`).join('') : undefined
}

/** The commands of a decision's steps, in order. */
export function dockerSteps(a: ContainerArgs, w: Wanted, steps: readonly string[]): DockerStep[] {
  return steps.map((step) => {
    switch (step) {
      case 'pull': return { step, command: sh`docker pull -- ${a.image ?? ''}` }
      case 'stop': return { step, command: a.stop_timeout !== undefined ? sh`docker stop --time ${a.stop_timeout} -- ${a.name}` : sh`docker stop -- ${a.name}` }
      case 'remove': return { step, command: sh`docker rm -- ${a.name}` }
      case 'create': {
        const stdin = envFileText(w)
        return { step, command: sh`docker create ${createWords(a, w)}`, ...(stdin !== undefined ? { stdin } : {}) }
      }
      case 'start': return { step, command: a.detach === false ? sh`docker start --attach -- ${a.name}` : sh`docker start -- ${a.name}` }
      default: return { step: 'restart', command: sh`docker restart -- ${a.name}` }
    }
  })
}
