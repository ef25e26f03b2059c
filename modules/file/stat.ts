/** stat: facts about a path on the target, under Ansible's field names; never changes anything. */
import { defineModule } from '../../engine/module.js'
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
  get_mime: { type: 'bool', default: false, description: 'Accepted for Ansible compatibility; tsplay reports no MIME type.' },
  get_attributes: { type: 'bool', default: false, description: 'Accepted for Ansible compatibility; tsplay reports no lsattr attributes.' },
} as const

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
    const stat = { ...info.stat }
    if (!a.get_checksum) delete stat.checksum
    return { changed: false, result: { stat } }
  },
})
