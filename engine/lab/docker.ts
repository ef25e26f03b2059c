/**
 * The docker CLI, driven with argv arrays (never a shell line on the controller). Commands that
 * run inside a lab host go through `dockerExec`, whose script is a ShellCommand built with `sh`.
 */
import { runProgram } from '../process.js'
import type { ShellCommand } from '../quote.js'
import { LabError } from './errors.js'

export interface DockerResult {
  code: number
  stdout: string
  stderr: string
}

export interface DockerOptions {
  /** Sent on stdin. */
  input?: string | Buffer
  /** Return a non-zero exit as a result instead of throwing. */
  allowFail?: boolean
  timeoutMs?: number
}

/** `docker ARGS...`; throws LabError with docker's own message when it fails. */
export async function docker(args: readonly string[], options: DockerOptions = {}): Promise<DockerResult> {
  const ended = await runProgram('docker', args, options).catch((err: NodeJS.ErrnoException) => {
    const why = err.code === 'ENOENT' ? 'the docker command is not installed (apt-get install docker.io)' : err.message
    throw new LabError(`cannot run docker: ${why}`, { cause: err })
  })
  const result = { code: ended.code ?? (ended.signal ? 128 : 1), stdout: ended.stdout, stderr: ended.stderr }
  if (result.code !== 0 && !options.allowFail) {
    throw new LabError(`docker ${args.slice(0, 2).join(' ')} failed: ${result.stderr.trim() || result.stdout.trim() || `exit ${result.code}`}`)
  }
  return result
}

/** Runs a shell script inside a running container: the trusted channel (no network, no SSH). */
export function dockerExec(container: string, script: ShellCommand, options: DockerOptions = {}): Promise<DockerResult> {
  return docker(['exec', ...(options.input !== undefined ? ['-i'] : []), container, 'sh', '-c', script.toString()], options)
}

/** Fails with a message a person can act on when no docker engine answers. */
export async function requireDocker(): Promise<void> {
  const info = await docker(['info', '--format', '{{.ServerVersion}}'], { allowFail: true, timeoutMs: 20_000 })
  if (info.code !== 0 || !info.stdout.trim()) {
    throw new LabError(
      `no docker engine answers (${(info.stderr.trim().split('\n')[0] ?? '') || 'docker info failed'}). ` +
        'The lab needs Linux, root, docker.io and debootstrap: run `bash scripts/setup.sh` (it installs them and starts dockerd).',
    )
  }
}

/** Parsed `docker inspect` of one container, or undefined when there is none by that name. */
export interface ContainerInfo {
  id: string
  running: boolean
  paused: boolean
  status: string
  image: string
  labels: Record<string, string>
  address?: string
}

export async function inspectContainer(name: string, network: string): Promise<ContainerInfo | undefined> {
  const r = await docker(['container', 'inspect', name], { allowFail: true })
  if (r.code !== 0) return undefined
  const [raw] = JSON.parse(r.stdout) as RawInspect[]
  if (!raw) return undefined
  const address = raw.NetworkSettings?.Networks?.[network]?.IPAddress
  return {
    id: raw.Id,
    running: Boolean(raw.State?.Running),
    paused: Boolean(raw.State?.Paused),
    status: raw.State?.Status ?? 'unknown',
    image: raw.Config?.Image ?? '',
    labels: raw.Config?.Labels ?? {},
    ...(address ? { address } : {}),
  }
}

interface RawInspect {
  Id: string
  State?: { Running?: boolean; Paused?: boolean; Status?: string }
  Config?: { Image?: string; Labels?: Record<string, string> | null }
  NetworkSettings?: { Networks?: Record<string, { IPAddress?: string }> }
}

/** Names of the containers carrying a label `key=value`, running or not. */
export async function containersLabelled(key: string, value: string): Promise<string[]> {
  const r = await docker(['ps', '-a', '--filter', `label=${key}=${value}`, '--format', '{{.Names}}'])
  return r.stdout.split('\n').map((l) => l.trim()).filter(Boolean)
}
