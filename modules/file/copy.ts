/** copy: puts a controller file or directory, a file already on the host, or given content, on the target (Ansible's `copy`). */
import { createHash } from 'node:crypto'
import { readFile, stat } from 'node:fs/promises'
import { basename } from 'node:path'
import { defineModule, type ApplyContext, type ArgValues, type Plan, type PlanContext } from '../../engine/module.js'
import { ModuleError, errorMessage } from '../../engine/errors.js'
import { toStr } from '../../engine/expr/python.js'
import { expandHostPath } from '../../engine/files/expand.js'
import { formatMode } from '../../engine/files/mode.js'
import { pathResult, readPath } from '../../engine/files/read.js'
import { sh } from '../../engine/quote.js'
import { isVaulted } from '../../engine/vault/envelope.js'
import { applyPut, planPut, PUT_ARGS, type PutData, type PutRequest } from '../_shared/put-file.js'
import { planTree, applyTree, type TreeData } from './copy-dir.js'

const args = {
  src: { type: 'path', description: "A file or directory on the controller (looked up in the role's files/, then beside the playbook), or on the host with remote_src; a directory with a trailing slash copies what is inside it." },
  content: { type: 'raw', scalarAsText: true, description: 'The file’s content, given inline (a mapping or list is written as JSON).' },
  ...PUT_ARGS,
  // Not `required`: Ansible's action fails the task when it runs, as its integration target checks (docs/decisions.md).
  dest: { type: 'path', description: 'The file to write on the target (required); a directory receives the file under its own name.' },
  remote_src: { type: 'bool', default: false, description: 'src is a file already on the host, not on the controller.' },
  local_follow: { type: 'bool', default: true, description: 'In a controller directory, copy what symlinks lead to (false: copy them as links).' },
  directory_mode: { type: 'mode', description: 'Mode of the directories a directory copy creates or copies.' },
  decrypt: { type: 'bool', default: true, description: 'Decrypt a vaulted src on the controller (false: copy it as it is).' },
} as const

export type CopyValues = ArgValues<typeof args> & { dest: string }

export type CopyData = { put: PutData } | { tree: TreeData }

const md5 = (content: Buffer): string => createHash('md5').update(content).digest('hex')

function base(a: CopyValues): Omit<PutRequest, 'content'> {
  return { dest: a.dest, owner: a.owner, group: a.group, backup: a.backup, force: a.force, validate: a.validate, follow: a.follow }
}

/** The bytes of content=, written as Ansible's action writes them (a mapping or list as JSON, True for a boolean). */
function contentRequest(a: CopyValues): PutRequest {
  if (a.mode === 'preserve') throw new ModuleError("mode 'preserve' needs src")
  const text = a.content !== null && typeof a.content === 'object' ? JSON.stringify(a.content) : toStr(a.content)
  return { ...base(a), mode: a.mode, content: Buffer.from(text, 'utf8') }
}

async function controllerFile(path: string, given: string, a: CopyValues): Promise<PutRequest> {
  const bytes = await readFile(path)
  // tsplay holds no vault key here: a vaulted file is refused rather than copied still encrypted.
  if (a.decrypt && isVaulted(bytes.subarray(0, 64).toString('latin1'))) throw new ModuleError(`copy cannot decrypt a vaulted src yet (${given}); set decrypt: false to copy it encrypted`)
  const mode = a.mode === 'preserve' ? formatMode((await stat(path)).mode) : a.mode
  return { ...base(a), mode, content: bytes, srcName: basename(given), result: { src: path } }
}

/** remote_src: the file is read on the host (a read, so check mode stays read-only) and written beside dest as any other. */
async function remoteFile(ctx: PlanContext, a: CopyValues, src: string): Promise<PutRequest> {
  const info = await readPath(ctx, src, true)
  if (!info.stat.exists) throw new ModuleError(`Source ${src} not found`)
  if (info.stat.isdir) throw new ModuleError(`copy with remote_src of a directory is not supported by tsplay yet (src: ${src})`)
  if (!info.stat.isreg) throw new ModuleError(`Cannot copy invalid source '${src}': not a file`)
  if (info.stat.readable === false) throw new ModuleError(`Source ${src} not readable`)
  const out = await ctx.read(sh`cat -- ${src}`, { failure: (o) => `Source ${src} not readable: ${o.stderr.trim()}` })
  const mode = a.mode === 'preserve' ? formatMode(info.perm) : a.mode
  return { ...base(a), mode, content: out.stdoutBytes, srcName: basename(src), result: { src } }
}

/** The action plugin's own checks, with its messages, made when the task runs. */
function argumentProblem(a: ArgValues<typeof args>): string | undefined {
  // An empty src is none, as the action's `not source`.
  if ((a.src === undefined || a.src === '') && a.content === undefined) return 'src (or content) is required'
  if (a.dest === undefined || a.dest === '') return 'dest is required'
  if (a.src !== undefined && a.content !== undefined) return 'src and content are mutually exclusive'
  if (a.content !== undefined && a.dest.endsWith('/')) return 'can not use content with a dir as dest'
  return undefined
}

async function planCopy(ctx: PlanContext, given: ArgValues<typeof args>): Promise<Plan<CopyData>> {
  const problem = argumentProblem(given)
  if (problem !== undefined) return { changed: false, failed: problem }
  const a = { ...given, src: given.src === '' ? undefined : given.src } as CopyValues
  let req: PutRequest
  if (a.src === undefined) req = contentRequest(a)
  else if (a.remote_src) req = await remoteFile(ctx, a, await expandHostPath(ctx, a.src))
  else {
    const path = ctx.findControllerFile('files', a.src)
    let info
    try {
      info = await stat(path)
    } catch (err) {
      throw new ModuleError(`Could not find or access '${a.src}' on the controller: ${errorMessage(err)}`)
    }
    if (info.isDirectory()) {
      // As Ansible's action, the src keeps the trailing slash the user wrote.
      const source = a.src.endsWith('/') && !path.endsWith('/') ? `${path}/` : path
      const plan = await planTree(ctx, a, source)
      return { ...plan, ...(plan.data ? { data: { tree: plan.data } } : {}) } as Plan<CopyData>
    }
    req = await controllerFile(path, a.src, a)
  }
  return planFileCopy(ctx, req)
}

/**
 * One file put as Ansible's copy action puts it, with its result: template's action hands its
 * rendered text to copy too, so both report the same keys (md5sum, owner, mode, ...).
 */
export async function planFileCopy(ctx: PlanContext, req: PutRequest): Promise<Plan<CopyData>> {
  const plan = await planPut(ctx, req)
  const dest = String(plan.result?.['dest'] ?? req.dest)
  // Ansible's copy module reports the md5 when it copied; an unchanged file goes through the file module, without it.
  const extra = plan.data?.writeContent ? { md5sum: md5(req.content) } : {}
  const result = plan.failed === undefined ? { ...plan.result, ...extra, ...(await pathResult(ctx, dest)) } : plan.result
  const { data, ...rest } = plan
  return { ...rest, ...(result ? { result } : {}), ...(data ? { data: { put: data } } : {}) }
}

export async function applyCopy(ctx: ApplyContext, data: CopyData): Promise<Record<string, unknown>> {
  if ('tree' in data) return applyTree(ctx, data.tree)
  const written = await applyPut(ctx, data.put)
  return { ...written, ...(await pathResult(ctx, data.put.dest)) }
}

export default defineModule({
  name: 'copy',
  description: 'Copies a file or directory from the controller (or a file already on the host), or writes given content, to a path on the target.',
  args,
  plan: planCopy,
  apply: (ctx, _a, data) => applyCopy(ctx, data),
  // Ansible's action for it takes no async.
  noAsync: true,
})
