/**
 * What `copy` and `template` share once the wanted bytes are known: compare them with the
 * remote file in one read (sha1, plus the content itself when --diff wants it), plan the
 * attributes, and write atomically or just fix owner/mode.
 */
import { dirname, join } from 'node:path'
import type { FileDiff } from '../../engine/diff.js'
import type { ApplyContext, ArgSpec, Plan, PlanContext } from '../../engine/module.js'
import { attributeActions, attributeCommands, attributeLines, planAttributes, type AttributePlan } from '../../engine/files/attributes.js'
import { contentDiff, MAX_DIFF_BYTES, sha1 } from '../../engine/files/diff.js'
import { predictedInfo, predictPath } from '../../engine/files/predict.js'
import { pathQuery, readPathFor, type Ownership } from '../../engine/files/read.js'
import { pathFact, type PathInfo } from '../../engine/files/stat.js'
import { sh, type ShellCommand } from '../../engine/quote.js'

/** Arguments copy and template share, as Ansible names them. */
export const PUT_ARGS = {
  dest: { type: 'path', required: true, description: 'The file to write on the target.' },
  mode: { type: 'mode', description: "Permissions of the file: octal ('0644'), symbolic ('u=rw,g=r') or 'preserve' (those of the source)." },
  owner: { type: 'str', description: 'User that should own the file.' },
  group: { type: 'str', description: 'Group that should own the file.' },
  backup: { type: 'bool', default: false, description: 'Keep a timestamped copy of the file being replaced.' },
  force: { type: 'bool', default: true, aliases: ['thirsty'], description: 'Replace the file when its content differs; when false, only write it if it does not exist.' },
  validate: { type: 'str', description: "A command run on the new file before it is put in place, with %s for its path (e.g. 'visudo -cf %s')." },
  follow: { type: 'bool', default: false, description: 'When dest is a symlink, write the file it points to; when false, the link is replaced by the file.' },
} as const satisfies Record<string, ArgSpec>

export interface PutRequest {
  dest: string
  content: Buffer
  mode?: string | undefined
  owner?: string | undefined
  group?: string | undefined
  backup: boolean
  force: boolean
  validate?: string | undefined
  /** A symlink dest: write its target (true) or replace the link with the file (false). */
  follow: boolean
  /** The source file's name: a directory dest receives the file under this name. */
  srcName?: string | undefined
  /** Extra result values (src, ...). */
  result?: Record<string, unknown>
}

export interface PutData {
  req: PutRequest
  dest: string
  createDir: boolean
  writeContent: boolean
  attrs: AttributePlan
  info: PathInfo
}

/** Small files come back whole (and are compared byte for byte); for a large one the host computes the sha1. */
function readDest(ctx: PlanContext, dest: string, req: PutRequest): Promise<[PathInfo, Ownership]> {
  return readPathFor(ctx, dest, true, req, { checksum: req.content.length > MAX_DIFF_BYTES })
}

/** Whether the file already holds these bytes. A remote file too big to return differs from small content by size alone. */
function sameContent(info: PathInfo, content: Buffer): boolean {
  if (info.content) return info.content.equals(content)
  return info.stat.checksum !== undefined && info.stat.checksum === sha1(content)
}

export async function planPut(ctx: PlanContext, req: PutRequest): Promise<Plan<PutData>> {
  let dest = req.dest
  let [info, ids] = await readDest(ctx, dest, req)
  if (info.stat.isdir || dest.endsWith('/')) {
    if (req.srcName === undefined) return { changed: false, failed: 'can not use content with a dir as dest' }
    dest = join(dest, req.srcName)
    ;[info, ids] = await readDest(ctx, dest, req)
    if (info.stat.isdir) return { changed: false, failed: `${dest} is a directory` }
  }
  // The shared read follows links. With follow, the file written is the link's target, as
  // Ansible's copy takes the realpath; without, the link gives way to the file, whatever it holds.
  const link = info.realPath !== undefined ? dest : undefined
  if (link !== undefined && req.follow) dest = info.realPath as string
  const replacesLink = link !== undefined && !req.follow
  const exists = info.stat.exists && !replacesLink
  const checksum = sha1(req.content)
  const result = { ...(req.result ?? {}), dest, checksum, size: req.content.length, state: 'file' }
  if (exists && !req.force) return { changed: false, result: { ...result, msg: 'file already exists' } }

  const writeContent = !exists || !sameContent(info, req.content)
  const attrs = planAttributes(exists ? info : { ...info, stat: { exists: false, path: dest }, state: 'absent', perm: 0 }, req, ids, exists ? {} : { base: 0o666 & ~info.umask })
  if (attrs.failed) return { changed: false, failed: attrs.failed, result }

  const diff: FileDiff[] = []
  if (writeContent) {
    const before = !info.stat.exists ? { absent: true as const } : (info.content ?? { tooBig: info.stat.size ?? 0 })
    diff.push(contentDiff(dest, before, req.content))
  }
  if (exists && attrs.changes.length) diff.push({ header: `${dest} (file attributes)`, ...attributeLines(attrs) })

  const actions = [...(writeContent ? [exists ? `update ${dest}` : `create ${dest}`] : []), ...attributeActions(attrs)]
  // A dest ending in / that does not exist yet is created, as Ansible's copy does.
  const createDir = !exists && req.dest.endsWith('/')
  const data: PutData = { req, dest, writeContent, attrs, info, createDir }
  if (writeContent || attrs.changes.length) predictWrite(ctx, dest, replacesLink ? withoutLink(info) : info, req.content, attrs, req, ids, link)
  const changed = writeContent || attrs.changes.length > 0
  return { changed, actions, diff, result, ...(changed ? { commands: fixCommands(dest, writeContent, attrs, info, createDir) } : {}), data }
}

/** The path as it reads once the link there is gone. */
function withoutLink({ realPath: _gone, ...info }: PathInfo): PathInfo {
  return info
}

/** Writes what plan compared (the bytes travel in the plan data, so a template is rendered once). */
export async function applyPut(ctx: ApplyContext, { req, dest, writeContent, attrs, info, createDir }: PutData): Promise<Record<string, unknown>> {
  const written = await writeOrFixAttributes(ctx, dest, writeContent ? req.content : undefined, attrs, info, { ...req, createDir })
  return written.backupFile ? { backup_file: written.backupFile } : {}
}

/**
 * The commands writeOrFixAttributes runs besides the atomic write: mkdir of the directory a new
 * file goes into, or chown/chmod of a file whose content stays. Plan lists them for --check -vvvv.
 */
export function fixCommands(path: string, writes: boolean, attrs: AttributePlan, info: PathInfo, createDir: boolean | undefined): ShellCommand[] {
  if (writes) return createDir ? [sh`mkdir -p -- ${dirname(path)}`] : []
  const command = attributeCommands(info.realPath ?? path, attrs, info)
  return command ? [command] : []
}

/**
 * Either writes new content (owner and mode set on the temporary file before the rename)
 * or, when only attributes differ, runs chown/chmod on the file as it is.
 */
export async function writeOrFixAttributes(
  ctx: ApplyContext,
  path: string,
  content: Buffer | undefined,
  attrs: AttributePlan,
  info: PathInfo,
  options: { owner?: string | undefined; group?: string | undefined; backup?: boolean; validate?: string | undefined; createDir?: boolean },
): Promise<{ backupFile?: string }> {
  const failure = content !== undefined ? `cannot create ${dirname(path)}` : `cannot set attributes of ${path}`
  for (const command of fixCommands(path, content !== undefined, attrs, info, options.createDir)) {
    await ctx.run(command, { failure: (out) => `${failure}: ${out.stderr.trim()}` })
  }
  if (content !== undefined) {
    return ctx.writeFile(path, content, {
      // The mode resolved at plan time (a symbolic mode already applied to the current bits).
      ...(attrs.mode !== undefined ? { mode: attrs.mode } : {}),
      ...(options.owner !== undefined ? { owner: options.owner } : {}),
      ...(options.group !== undefined ? { group: options.group } : {}),
      ...(options.validate !== undefined ? { validate: options.validate } : {}),
      backup: options.backup === true,
    })
  }
  return {}
}

/**
 * Tells check mode what the file will hold once written (see engine/files/predict.ts).
 * `via` is the symlink the task named, when the write goes to its target.
 */
export function predictWrite(
  ctx: PlanContext,
  path: string,
  info: PathInfo,
  content: Buffer,
  attrs: AttributePlan,
  wanted: { owner?: string | undefined; group?: string | undefined },
  ids: Ownership,
  via?: string,
): void {
  if (!ctx.check) return
  const perm = attrs.mode !== undefined ? parseInt(attrs.mode, 8) : undefined
  const outcome = { state: 'file' as const, content, ...(perm !== undefined ? { perm } : {}), owner: wanted.owner, group: wanted.group, ids }
  predictPath(ctx, path, info, outcome)
  if (via !== undefined && via !== path) ctx.predict(pathFact, pathQuery(via, true), { ...predictedInfo(path, info, outcome), realPath: path })
}
