/**
 * What `docker inspect` and `docker image inspect` print, reduced to the fields the docker
 * modules compare. One round trip each; a missing object is null (docker exits 1 with "No such
 * object", which is an answer, not a failure).
 */
import type { ExecResult } from '../../engine/connection/types.js'
import { ModuleError } from '../../engine/errors.js'
import { defineFact } from '../../engine/module.js'
import { sh, type ShellCommand } from '../../engine/quote.js'

export interface PortBinding {
  HostIp: string
  HostPort: string
}

export interface InspectedMount {
  Type: string
  Source: string
  Destination: string
  RW: boolean
  Propagation: string
}

export interface InspectedHealthcheck {
  Test?: string[]
  Interval?: number
  Timeout?: number
  StartPeriod?: number
  Retries?: number
}

/** A container as `docker inspect` shows it (the fields the module compares). */
export interface InspectedContainer {
  Id: string
  Name: string
  /** The image's ID (sha256:...). */
  Image: string
  State: { Status: string; Running: boolean }
  Config: {
    Image: string
    Cmd: string[] | null
    Entrypoint: string[] | null
    Env: string[] | null
    Labels: Record<string, string> | null
    Hostname: string
    Healthcheck?: InspectedHealthcheck | null
  }
  HostConfig: {
    Binds: string[] | null
    PortBindings: Record<string, PortBinding[] | null> | null
    RestartPolicy: { Name: string; MaximumRetryCount: number }
    Privileged: boolean
    NetworkMode: string
    AutoRemove: boolean
    LogConfig: { Type: string; Config: Record<string, string> | null }
    Memory: number
    Mounts?: { Type: string; Source?: string; Target: string; ReadOnly?: boolean; BindOptions?: { Propagation?: string } }[] | null
  }
  Mounts: InspectedMount[] | null
}

/** An image as `docker image inspect` shows it (its ID and the defaults a container inherits). */
export interface InspectedImage {
  Id: string
  RepoTags: string[] | null
  Config: {
    Cmd: string[] | null
    Entrypoint: string[] | null
    Env: string[] | null
    Labels: Record<string, string> | null
    Volumes: Record<string, unknown> | null
  } | null
}

export const inspectContainer = (name: string): ShellCommand => sh`docker inspect --type container -- ${name}`
export const inspectImage = (image: string): ShellCommand => sh`docker image inspect -- ${image}`

const NO_SUCH = /No such (object|container|image)/i

/** The one object docker printed, or null when there is none by that name. */
export function parseInspect<T>(result: ExecResult, what: string): T | null {
  if (result.code !== 0) {
    if (NO_SUCH.test(result.stderr)) return null
    throw new ModuleError(`docker inspect of ${what} failed: ${result.stderr.trim() || `exit code ${String(result.code)}`}`)
  }
  const parsed = JSON.parse(result.stdout) as unknown
  if (!Array.isArray(parsed) || parsed.length !== 1) throw new ModuleError(`docker inspect of ${what} printed ${Array.isArray(parsed) ? `${String(parsed.length)} objects` : 'no list'}`)
  return parsed[0] as T
}

/**
 * The image by reference, cached per host: docker_image predicts it in check mode, so that a
 * docker_container after it plans against the image that task would make.
 */
export const imageFact = defineFact<InspectedImage | null, string>({
  name: 'docker_image',
  command: inspectImage,
  parse: (result, ref) => parseInspect<InspectedImage>(result, `image ${ref}`),
})

/** What a check run knows of an image a task would make: it exists, its ID is known only once made. */
export const imageToBeMade = (ref: string): InspectedImage => ({ Id: `(the ID ${ref} gets)`, RepoTags: [ref], Config: null })
