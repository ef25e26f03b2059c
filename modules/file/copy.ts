/** copy: puts a controller file, or given content, on the target (Ansible's `copy`). */
import { readFile, stat } from 'node:fs/promises'
import { basename } from 'node:path'
import { defineModule, type PlanContext, type ArgValues } from '../../engine/module.js'
import { ModuleError, errorMessage } from '../../engine/errors.js'
import { toStr } from '../../engine/expr/python.js'
import { formatMode } from '../../engine/files/mode.js'
import { applyPut, planPut, PUT_ARGS, type PutRequest } from '../_shared/put-file.js'

const args = {
  src: { type: 'path', description: "A file on the controller (looked up in the role's files/, then beside the playbook)." },
  content: { type: 'raw', scalarAsText: true, description: 'The file’s content, given inline (a mapping or list is written as JSON).' },
  ...PUT_ARGS,
} as const

type Values = ArgValues<typeof args>

async function request(ctx: PlanContext, a: Values): Promise<PutRequest> {
  const base = { dest: a.dest, owner: a.owner, group: a.group, backup: a.backup, force: a.force, validate: a.validate, follow: a.follow }
  if (a.src === undefined) {
    if (a.mode === 'preserve') throw new ModuleError("mode 'preserve' needs src")
    // A boolean or number a template yields is written as Python's str() writes it (True), as Ansible does.
    const text = a.content !== null && typeof a.content === 'object' ? JSON.stringify(a.content) : toStr(a.content)
    return { ...base, mode: a.mode, content: Buffer.from(text, 'utf8') }
  }
  const path = ctx.findControllerFile('files', a.src)
  let info
  try {
    info = await stat(path)
  } catch (err) {
    throw new ModuleError(`Could not find or access '${a.src}' on the controller: ${errorMessage(err)}`)
  }
  if (info.isDirectory()) throw new ModuleError(`copying a directory is not supported (src: ${a.src})`)
  const mode = a.mode === 'preserve' ? formatMode(info.mode) : a.mode
  const srcName = basename(a.src)
  return { ...base, mode, content: await readFile(path), srcName, result: { src: path } }
}

export default defineModule({
  name: 'copy',
  description: 'Copies a file from the controller, or writes given content, to a path on the target.',
  args,
  mutuallyExclusive: [['src', 'content']],
  requiredOneOf: [['src', 'content']],
  plan: async (ctx, a) => planPut(ctx, await request(ctx, a)),
  apply: (ctx, _a, data) => applyPut(ctx, data),
  // Ansible's action for it takes no async.
  noAsync: true,
})
