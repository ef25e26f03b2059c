/**
 * docker_image's decisions as a pure function of `docker image inspect`: an image is as wanted
 * when `name:tag` exists on the host (community.docker's rule); force_source makes it again from
 * its source, and the image counts as changed only when its ID differs afterwards (a build of an
 * unchanged directory hits docker's cache and gives the same ID).
 */
import { sh, type ShellCommand } from '../../engine/quote.js'
import type { InspectedImage } from './inspect.js'

export interface ImageArgs {
  name: string
  tag: string
  source?: 'build' | 'load' | 'pull' | 'local' | undefined
  state: 'present' | 'absent'
  force_source: boolean
  force_absent: boolean
  load_path?: string | undefined
  build?: Record<string, unknown> | undefined
}

export interface ImageDecision {
  commands: ShellCommand[]
  /** The image exists and force_source makes it again: whether that changes it is known after. */
  remake: boolean
  failed?: string
}

/** `name:tag`, unless the name carries a tag or digest already (community.docker's rule). */
export function imageRef(a: Pick<ImageArgs, 'name' | 'tag'>): string {
  const last = a.name.split('/').pop() ?? ''
  return last.includes(':') || a.name.includes('@') ? a.name : `${a.name}:${a.tag}`
}

function buildCommand(ref: string, build: Record<string, unknown>): ShellCommand | string {
  const path = build['path']
  if (typeof path !== 'string' || !path) return 'source is build but build.path is missing'
  const words = ['--tag', ref]
  if (typeof build['dockerfile'] === 'string') words.push('--file', build['dockerfile'].startsWith('/') ? build['dockerfile'] : `${path.replace(/\/$/, '')}/${build['dockerfile']}`)
  for (const [k, v] of Object.entries((build['args'] as Record<string, unknown> | undefined) ?? {})) words.push('--build-arg', `${k}=${String(v)}`)
  for (const [k, v] of Object.entries((build['labels'] as Record<string, unknown> | undefined) ?? {})) words.push('--label', `${k}=${String(v)}`)
  if (build['nocache'] === true) words.push('--no-cache')
  if (build['pull'] === true) words.push('--pull')
  if (typeof build['target'] === 'string') words.push('--target', build['target'])
  if (typeof build['network'] === 'string') words.push('--network', build['network'])
  return sh`docker build ${words} -- ${path}`
}

export function decideImage(a: ImageArgs, current: InspectedImage | null): ImageDecision {
  const ref = imageRef(a)
  if (a.state === 'absent') return { commands: current ? [a.force_absent ? sh`docker image rm --force -- ${ref}` : sh`docker image rm -- ${ref}`] : [], remake: false }
  if (current && !a.force_source) return { commands: [], remake: false }
  const fail = (failed: string): ImageDecision => ({ commands: [], remake: false, failed })
  let command: ShellCommand | string
  switch (a.source) {
    case 'load':
      command = a.load_path ? sh`docker load --input ${a.load_path}` : 'source is load but load_path is missing'
      break
    case 'build':
      command = buildCommand(ref, a.build ?? {})
      break
    case 'pull':
      command = sh`docker pull -- ${ref}`
      break
    default:
      if (current) return { commands: [], remake: false }
      return fail(a.source === 'local' ? `Cannot find the image ${ref} locally.` : `The image ${ref} is not on the host and no source is given (build, load or pull).`)
  }
  if (typeof command === 'string') return fail(command)
  return { commands: [command], remake: current !== null }
}
