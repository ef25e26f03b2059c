/**
 * docker_image: an image on the host by name and tag (community.docker's docker_image), made
 * from a tarball on the host (`source: load`, `docker load`), a directory on the host
 * (`source: build`, `docker build`) or a registry (`source: pull`). As wanted when `name:tag`
 * exists; force_source makes it again and reports a change only when the ID differs.
 */
import { ModuleError } from '../../engine/errors.js'
import { defineModule } from '../../engine/module.js'
import type { ShellCommand } from '../../engine/quote.js'
import { decideImage, imageRef } from './image-decide.js'
import { imageFact, imageToBeMade, type InspectedImage } from './inspect.js'

const args = {
  name: { type: 'str', required: true, description: "The repository ('rancher/server'), or 'repository:tag'." },
  tag: { type: 'str', default: 'latest', description: 'The tag, when name carries none.' },
  source: { type: 'str', choices: ['build', 'load', 'pull', 'local'], description: 'Where the image comes from when it is missing (or with force_source): build (build.path), load (load_path), pull, local (only checks it exists).' },
  state: { type: 'str', choices: ['present', 'absent'], default: 'present', description: 'Whether the image should be on the host.' },
  force_source: { type: 'bool', default: false, description: 'Build, load or pull even when the image exists; changed only when its ID changes.' },
  force_absent: { type: 'bool', default: false, description: 'With state=absent, remove the image even when containers use it or it has other tags.' },
  load_path: { type: 'path', description: 'With source=load: a tarball on the host, as docker save writes it.' },
  build: { type: 'dict', description: 'With source=build: path (a directory on the host), dockerfile, args, labels, nocache, pull, target, network.' },
} as const

interface ImageData {
  commands: ShellCommand[]
  remake: boolean
}

const summary = (i: InspectedImage | null): Record<string, unknown> => (i ? { Id: i.Id, RepoTags: i.RepoTags ?? [] } : {})

export default defineModule({
  name: 'docker_image',
  description: "Makes sure an image is on the host (docker load of a tarball, docker build of a directory, docker pull) or removed (community.docker's docker_image).",
  args,
  requiredIf: [['source', 'load', ['load_path']], ['source', 'build', ['build']]],
  async plan(ctx, a) {
    const ref = imageRef(a)
    const current = await ctx.fact(imageFact, ref)
    const decision = decideImage(a, current)
    if (decision.failed !== undefined) return { changed: false, failed: decision.failed, result: { image: summary(current) } }
    const verb = a.state === 'absent' ? 'remove' : a.source === 'build' ? 'build' : a.source === 'load' ? 'load' : 'pull'
    const changed = decision.commands.length > 0 && !decision.remake
    const header = `image ${ref}`
    if (changed) ctx.predict(imageFact, ref, a.state === 'absent' ? null : imageToBeMade(ref))
    return {
      changed,
      actions: decision.commands.length ? [`${verb} image ${ref}`] : [],
      diff: changed ? [{ header, before: current ? `exists: true\nid: ${current.Id}\n` : 'exists: false\n', after: a.state === 'absent' ? 'exists: false\n' : 'exists: true\n' }] : [],
      ...(decision.remake ? { unknowable: `force_source: whether ${verb === 'build' ? 'building' : `${verb}ing`} ${ref} again changes its ID is only known after doing it` } : {}),
      result: { image: summary(current) },
      commands: decision.commands,
      data: { commands: decision.commands, remake: decision.remake },
    }
  },
  async apply(ctx, a, data: ImageData) {
    const ref = imageRef(a)
    const before = data.remake ? (await ctx.fact(imageFact, ref))?.Id : undefined
    for (const command of data.commands) await ctx.run(command)
    if (a.state === 'absent') return { image: {} }
    // The commands cleared the fact cache: this reads the image as it is now.
    const after = await ctx.fact(imageFact, ref)
    // docker load names the images the tarball names: a tarball of another image does not make this one.
    if (!after) throw new ModuleError(`${a.source === 'load' ? `the archive ${a.load_path ?? ''} does not hold` : 'docker did not make'} the image ${ref}`)
    return { changed: !data.remake || before !== after.Id, image: summary(after) }
  },
})
