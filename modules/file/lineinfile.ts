/** lineinfile: one line present (or absent) in a text file, with Ansible's exact rules. */
import { defineModule, type ArgValues, type Plan, type PlanContext } from '../../engine/module.js'
import { errorMessage } from '../../engine/errors.js'
import type { FileDiff } from '../../engine/diff.js'
import { attributeLines, planAttributes, type AttributePlan } from '../../engine/files/attributes.js'
import { contentDiff } from '../../engine/files/diff.js'
import { readPathFor } from '../../engine/files/read.js'
import { pathFact, type PathInfo } from '../../engine/files/stat.js'
import { editLines, type LineEdit } from './lineinfile-edit.js'
import { fixCommands, predictWrite, writeOrFixAttributes } from '../_shared/put-file.js'

/** lineinfile reads the whole file; beyond this it is the wrong tool (and the wrong memory use). */
const MAX_FILE_BYTES = 64 * 1024 * 1024

const args = {
  path: { type: 'path', required: true, aliases: ['dest', 'destfile', 'name'], description: 'The file to edit.' },
  state: { type: 'str', choices: ['present', 'absent'], default: 'present', description: 'Whether the line should be there or not.' },
  line: { type: 'str', aliases: ['value'], description: 'The line to insert or replace (required with state=present).' },
  regexp: { type: 'str', aliases: ['regex'], description: 'A Python regular expression: the last matching line is replaced (or all matching lines removed).' },
  search_string: { type: 'str', description: 'A literal string: the last line containing it is replaced (or all such lines removed).' },
  insertafter: { type: 'str', description: "Insert after the last line matching this regular expression, or 'EOF' (the default)." },
  insertbefore: { type: 'str', description: "Insert before the last line matching this regular expression, or 'BOF'." },
  backrefs: { type: 'bool', default: false, description: "Expand regexp's groups (\\1, \\g<name>) in line; when regexp does not match, change nothing." },
  firstmatch: { type: 'bool', default: false, description: 'Use the first matching line for regexp/insertafter/insertbefore rather than the last.' },
  create: { type: 'bool', default: false, description: 'Create the file when it does not exist (otherwise the task fails).' },
  backup: { type: 'bool', default: false, description: 'Keep a timestamped copy of the file before changing it.' },
  validate: { type: 'str', description: 'A command run on the new file before it is put in place, with %s for its path.' },
  mode: { type: 'mode', description: "Permissions of the file: octal ('0644') or symbolic ('u=rw,g=r')." },
  owner: { type: 'str', description: 'User that should own the file.' },
  group: { type: 'str', description: 'Group that should own the file.' },
} as const

type Values = ArgValues<typeof args>

interface Data {
  target: string
  exists: boolean
  edit: LineEdit
  attrs: AttributePlan
  info: PathInfo
}

/** Ansible's warning for an empty regexp or search_string, which matches every line. */
function emptyPatternWarning(a: { regexp?: string | undefined; search_string?: string | undefined }): string | undefined {
  if (a.regexp !== '' && a.search_string !== '') return undefined
  const which = a.regexp === '' ? 'regular expression' : 'search string'
  const hint = a.regexp === '' ? " If this is desired, use '^' to match every line in the file and avoid this warning." : ''
  return `The ${which} is an empty string, which will match every line in the file. This may have unintended consequences, such as replacing the last line in the file rather than appending.${hint}`
}

async function planEdit(ctx: PlanContext, a: Values): Promise<Plan<Data>> {
  const read = await readPathFor(ctx, a.path, true, a)
  const ids = read[1]
  let info = read[0]
  // The shared read returns small files whole; a larger one is read again, all of it.
  if (info.contentTooBig) info = await ctx.fact(pathFact, { path: a.path, follow: true, contentMax: MAX_FILE_BYTES })
  if (info.stat.isdir) return { changed: false, failed: `Path ${a.path} is a directory !`, result: { rc: 256 } }
  const exists = info.stat.exists
  if (!exists && a.state === 'absent') return { changed: false, result: { msg: 'file not present' } }
  if (!exists && !a.create) return { changed: false, failed: `Destination ${a.path} does not exist !`, result: { rc: 257 } }
  if (info.contentTooBig) return { changed: false, failed: `${a.path} is larger than ${MAX_FILE_BYTES} bytes; lineinfile reads whole files` }
  const before = info.content ?? Buffer.alloc(0)

  let edit: LineEdit
  try {
    edit = editLines(before, a)
  } catch (err) {
    return { changed: false, failed: `bad regular expression: ${errorMessage(err)}` }
  }
  const attrs = planAttributes(info, a, ids, exists ? {} : { base: 0o666 & ~info.umask })
  if (attrs.failed) return { changed: false, failed: attrs.failed }

  let msg = edit.msg
  if (attrs.changes.length) msg = `${msg ? `${msg} and ` : ''}ownership, perms or SE linux context changed`
  const diff: FileDiff[] = []
  if (edit.changed) diff.push(contentDiff(a.path, exists ? before : { absent: true }, edit.content))
  if (exists && attrs.changes.length) diff.push({ header: `${a.path} (file attributes)`, ...attributeLines(attrs) })
  const data: Data = { target: info.realPath ?? a.path, exists, edit, attrs, info }
  const changed = edit.changed || attrs.changes.length > 0
  if (changed) predictWrite(ctx, data.target, info, edit.content, attrs, a, ids, a.path)
  return {
    changed,
    actions: [...(edit.changed ? [`${edit.msg} in ${a.path}`] : []), ...attrs.changes.map((c) => `${c.key} ${c.after}`)],
    diff,
    result: { msg, backup: '', ...(edit.found !== undefined ? { found: edit.found } : {}) },
    ...(changed ? { commands: fixCommands(data.target, edit.changed, attrs, info, !exists) } : {}),
    data,
  }
}

export default defineModule({
  name: 'lineinfile',
  description: 'Makes sure one line is in a file (or is not), replacing a line a regular expression matches.',
  args,
  mutuallyExclusive: [
    ['insertbefore', 'insertafter'],
    ['regexp', 'search_string'],
    ['backrefs', 'search_string'],
  ],
  checkArgs: (a) => {
    if (a['state'] === 'present' && a['backrefs'] === true && a['regexp'] === undefined) return 'regexp is required with backrefs=true'
    if (a['state'] === 'present' && a['line'] === undefined) return 'line is required with state=present'
    if (a['state'] === 'absent' && a['line'] === undefined && a['regexp'] === undefined && a['search_string'] === undefined) {
      return 'one of line, search_string, or regexp is required with state=absent'
    }
    return undefined
  },
  async plan(ctx, a) {
    const plan = await planEdit(ctx, a)
    const warning = emptyPatternWarning(a)
    return warning === undefined ? plan : { ...plan, result: { ...plan.result, warnings: [warning] } }
  },
  async apply(ctx, a, { target, exists, edit, attrs, info }) {
    const written = await writeOrFixAttributes(ctx, target, edit.changed ? edit.content : undefined, attrs, info, {
      owner: a.owner,
      group: a.group,
      backup: a.backup && exists,
      validate: a.validate,
      // create=yes also creates missing directories, as Ansible's os.makedirs does.
      createDir: !exists,
    })
    return { backup: written.backupFile ?? '' }
  },
})
