/** stat: facts about a path on the target, under Ansible's field names; never changes anything. */
import { defineModule, type PlanContext } from '../../engine/module.js'
import { sh } from '../../engine/quote.js'
import { readPath } from '../../engine/files/read.js'
import { CHECKSUM_ALGORITHMS, pathFact } from '../../engine/files/stat.js'

const args = {
  path: { type: 'path', required: true, aliases: ['dest', 'name'], description: 'The path to examine.' },
  follow: { type: 'bool', default: false, description: 'Report on the target of a symlink rather than the link.' },
  get_checksum: { type: 'bool', default: true, description: 'Include a checksum of a regular file.' },
  checksum_algorithm: {
    type: 'str',
    choices: CHECKSUM_ALGORITHMS,
    default: 'sha1',
    aliases: ['checksum', 'checksum_algo'],
    description: 'The checksum to compute.',
  },
  get_mime: { type: 'bool', default: true, aliases: ['mime', 'mime_type', 'mime-type'], description: "Add `mimetype` and `charset`, as the host's `file --mime-type --mime-encoding` says ('unknown' without it)." },
  get_attributes: { type: 'bool', default: false, description: 'Accepted for Ansible compatibility; tsplay reports no lsattr attributes.' },
} as const

/** The host's `file` answer, as Ansible's stat reads it: `path: text/plain; charset=us-ascii`; 'unknown' when it has none. */
async function mimeOf(ctx: PlanContext, path: string): Promise<{ mimetype: string; charset: string }> {
  const out = await ctx.read(sh`file --mime-type --mime-encoding -- ${path} 2>/dev/null || true`)
  const [mimetype, charset] = out.stdout.slice(out.stdout.lastIndexOf(':') + 1).split(';')
  if (mimetype === undefined || charset === undefined || !charset.includes('=')) return { mimetype: 'unknown', charset: 'unknown' }
  return { mimetype: mimetype.trim(), charset: (charset.split('=')[1] ?? '').trim() }
}

export default defineModule({
  name: 'stat',
  description: 'Reads a path’s type, mode, owner, size, times, link target and checksum into `stat`.',
  args,
  async plan(ctx, a) {
    // The shared read (which an earlier task's check-mode prediction may stand in for) has
    // the sha1 of small files; other algorithms, or large files, ask the host for a checksum.
    let info = await readPath(ctx, a.path, a.follow)
    const needChecksum = a.get_checksum && info.stat.isreg && (a.checksum_algorithm !== 'sha1' || info.stat.checksum === undefined)
    if (needChecksum) info = await ctx.fact(pathFact, { path: a.path, follow: a.follow, checksum: a.checksum_algorithm })
    const stat: Record<string, unknown> = { ...info.stat }
    if (!a.get_checksum) delete stat['checksum']
    if (a.get_mime && info.stat.exists) Object.assign(stat, await mimeOf(ctx, a.path))
    return { changed: false, result: { stat } }
  },
})
