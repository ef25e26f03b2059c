/**
 * docker_container: one container by name (community.docker's docker_container, for what roles
 * use), through the docker CLI on the host. Plan reads the container and the image with one
 * `docker inspect` each, compares key by key and decides the steps; a differing configuration
 * recreates the container. The environment reaches docker on stdin, never on a command line.
 */
import type { ExecResult } from '../../engine/connection/types.js'
import type { ApplyContext, Plan, PlanContext } from '../../engine/module.js'
import { defineModule } from '../../engine/module.js'
import { ModuleError } from '../../engine/errors.js'
import { sh } from '../../engine/quote.js'
import { registerSecret } from '../../engine/secrets.js'
import { checkContainerArgs, CONTAINER_ARGS, containerArgs } from './container-args.js'
import { dockerSteps, type DockerStep } from './container-commands.js'
import { decideContainer, type ContainerDecision } from './container-decide.js'
import { comparisonsOf, parseEnvFile, wantedOf, type ContainerArgs } from './container-wanted.js'
import { imageFact, inspectContainer, parseInspect, type InspectedContainer, type InspectedImage } from './inspect.js'

/** Env names whose values are secrets (a password handed to the container): registered so that no output shows them. */
const SECRET_NAME = /pass|secret|token|credential|private|api_?key/i

interface ContainerData {
  steps: DockerStep[]
  /** pull: always with the image on the host: pull first, then decide again. */
  recheck: boolean
}

function summary(c: InspectedContainer | null): Record<string, unknown> {
  if (!c) return { exists: false }
  return { exists: true, Id: c.Id, Name: c.Name.replace(/^\//, ''), Image: c.Image, ImageName: c.Config.Image, Status: c.State.Status, Running: c.State.Running }
}

const readInspect = async <T>(ctx: PlanContext, command: ReturnType<typeof inspectContainer>, what: string): Promise<T | null> => parseInspect<T>(await ctx.probe(command), what)

interface Planned {
  decision: ContainerDecision
  steps: DockerStep[]
  container: InspectedContainer | null
  image: InspectedImage | null
}

/** Reads the container, the image and the env file, and decides. */
async function planContainer(ctx: PlanContext, a: ContainerArgs, envFile: string | undefined): Promise<Planned | string> {
  const comparisons = comparisonsOf(a.comparisons)
  if (typeof comparisons === 'string') return comparisons
  const wantsImage = a.image !== undefined && a.state !== 'absent'
  const [container, image, envText] = await Promise.all([
    readInspect<InspectedContainer>(ctx, inspectContainer(a.name), `container ${a.name}`),
    wantsImage ? ctx.fact(imageFact, a.image ?? '') : Promise.resolve(null),
    envFile !== undefined && a.state !== 'absent' ? ctx.read(sh`cat -- ${envFile}`).then((r: ExecResult) => r.stdout) : Promise.resolve(undefined),
  ])
  const fromFile = envText === undefined ? undefined : parseEnvFile(envText)
  for (const [k, v] of Object.entries({ ...fromFile, ...a.env })) if (SECRET_NAME.test(k)) registerSecret(String(v))
  const wanted = wantedOf(a, fromFile, image)
  if (typeof wanted === 'string') return wanted
  const bad = wanted.env?.find((line) => line.includes('\n'))
  if (bad !== undefined) return `env: the value of ${bad.split('=')[0] ?? ''} holds a newline, which docker's env file cannot carry`
  const decision = decideContainer(a, wanted, comparisons, container, image)
  return { decision, steps: dockerSteps(a, wanted, decision.steps), container, image }
}

function describe(a: ContainerArgs, p: Planned): Pick<Plan, 'actions' | 'diff'> {
  const { steps, differences, running } = p.decision
  const recreate = p.container !== null && steps.includes('create')
  const actions = steps.map((s) => (s === 'create' && recreate ? `recreate container ${a.name}` : s === 'pull' ? `pull image ${a.image ?? ''}` : `${s} container ${a.name}`))
  if (!steps.length) return { actions, diff: [] }
  const lines = (side: 'before' | 'after'): string => {
    const out = [`exists: ${String(side === 'before' ? p.container !== null : a.state !== 'absent')}`]
    // One line per item (env, volumes): a line holding a secret is masked from the secret on, so it must hold nothing else.
    for (const d of differences) for (const item of d[side].split('\n')) out.push(`${d.key}: ${item}`)
    const r = running[side]
    if (r !== null) out.push(`running: ${String(r)}`)
    if (side === 'after' && steps.includes('restart')) out.push('restarted: true')
    return `${out.join('\n')}\n`
  }
  const header = `container ${a.name}`
  return { actions, diff: [{ header, before: lines('before'), after: lines('after'), ...(recreate ? { afterHeader: `after: ${header} (recreated)` } : {}) }] }
}

async function runSteps(ctx: ApplyContext, steps: readonly DockerStep[]): Promise<void> {
  for (const { command, stdin } of steps) await ctx.run(command, stdin !== undefined ? { stdin } : {})
}

export default defineModule({
  name: 'docker_container',
  description: "Creates, recreates, starts, stops or removes a docker container by name (community.docker's docker_container), through the docker CLI on the host.",
  args: CONTAINER_ARGS,
  checkArgs: checkContainerArgs,
  async plan(ctx, raw) {
    const a = containerArgs(raw)
    const planned = await planContainer(ctx, a, raw.env_file)
    if (typeof planned === 'string') return { changed: false, failed: planned }
    if (planned.decision.failed !== undefined) return { changed: false, failed: planned.decision.failed, result: { container: summary(planned.container) } }
    const { steps } = planned
    // pull: always with the image here: only a pull tells whether the registry has a newer one.
    const recheck = a.pull === 'always' && planned.image !== null && a.state !== 'absent' && steps.length === 0
    return {
      changed: steps.length > 0,
      ...describe(a, planned),
      ...(recheck ? { unknowable: `pull: always: whether ${a.image ?? ''} has a newer version is only known by pulling it (not done in check mode)` } : {}),
      result: { container: summary(planned.container) },
      commands: steps.map((s) => s.command),
      data: { steps, recheck },
    }
  },
  async apply(ctx, raw, data: ContainerData) {
    const a = containerArgs(raw)
    let changed = data.steps.length > 0
    if (data.recheck) {
      const before = (await ctx.fact(imageFact, a.image ?? ''))?.Id
      await ctx.run(sh`docker pull -- ${a.image ?? ''}`)
      const planned = await planContainer(ctx, a, raw.env_file)
      if (typeof planned === 'string') throw new ModuleError(planned)
      const after = planned.image?.Id
      await runSteps(ctx, planned.steps)
      changed = before !== after || planned.steps.length > 0
    } else {
      await runSteps(ctx, data.steps)
    }
    const container = a.state === 'absent' ? null : await readInspect<InspectedContainer>(ctx, inspectContainer(a.name), `container ${a.name}`)
    return { changed, container: summary(container) }
  },
})
