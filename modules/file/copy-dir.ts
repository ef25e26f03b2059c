/**
 * `copy` of a controller directory, as Ansible's action plugin runs it: one step per entry of
 * the tree (see copy-tree.ts), each planned by the module Ansible calls for it: the file
 * module for directories (with directory_mode) and links, the shared atomic put for files.
 * Directories come first here so that directory_mode reaches every directory a file goes
 * into (Ansible's file step after the copies does the same). The task's result is that of
 * the one file when the tree holds one file, else dest, src and changed.
 */
import { readFile, stat } from 'node:fs/promises'
import { posix } from 'node:path'
import type { FileDiff } from '../../engine/diff.js'
import type { ApplyContext, Plan, PlanContext } from '../../engine/module.js'
import { formatMode } from '../../engine/files/mode.js'
import { pathResult, readPath } from '../../engine/files/read.js'
import type { ShellCommand } from '../../engine/quote.js'
import { applyPut, planPut, type PutData, type PutRequest } from '../_shared/put-file.js'
import fileModule, { fileTaskArgs } from './file.js'
import type { FileData } from './file-plan.js'
import { walkTree } from './copy-tree.js'

type Step = { kind: 'put'; plan: Plan<PutData> } | { kind: 'file'; args: ReturnType<typeof fileTaskArgs>; plan: Plan<FileData> }

/** The copy arguments a directory copy reads. */
export interface TreeArgs extends Pick<PutRequest, 'dest' | 'mode' | 'owner' | 'group' | 'backup' | 'force' | 'validate'> {
  local_follow: boolean
  directory_mode?: string | undefined
}

export interface TreeData {
  steps: Step[]
  /** The result when the tree held one file (Ansible's result of that file's module). */
  single: boolean
}

export async function planTree(ctx: PlanContext, a: TreeArgs, source: string): Promise<Plan<TreeData>> {
  const tree = walkTree(source, a.local_follow)
  const destDir = a.dest.endsWith('/') ? a.dest : `${a.dest}/`
  const steps: Step[] = []
  const fileStep = async (given: Parameters<typeof fileTaskArgs>[0]): Promise<void> => {
    const args = fileTaskArgs({ owner: a.owner, group: a.group, ...given })
    steps.push({ kind: 'file', args, plan: (await fileModule.plan(ctx, args)) as Plan<FileData> })
  }
  const dirStep = (path: string): Promise<void> => fileStep({ path, state: 'directory', mode: a.directory_mode })
  // The directories Ansible's makedirs would create on the way: only when missing, so an existing dest keeps its mode.
  const top = source.endsWith('/') ? [destDir] : [destDir, posix.join(destDir, posix.basename(source.replace(/\/+$/, '')))]
  for (const dir of top) if (!(await readPath(ctx, dir, true)).stat.exists) await dirStep(dir)
  for (const [, rel] of tree.directories) await dirStep(posix.join(destDir, rel))
  for (const [full, rel] of tree.files) {
    const mode = a.mode === 'preserve' ? formatMode((await stat(full)).mode) : a.mode
    const dest = `${posix.join(destDir, posix.dirname(rel))}/`
    const req = { dest, content: await readFile(full), mode, owner: a.owner, group: a.group, backup: a.backup, force: a.force, validate: a.validate, follow: false, srcName: posix.basename(rel), result: { src: full } }
    steps.push({ kind: 'put', plan: await planPut(ctx, req) })
  }
  for (const [target, rel] of tree.symlinks) {
    await fileStep({ path: posix.join(destDir, rel), src: target, state: 'link', force: true, follow: false, ...(a.mode !== 'preserve' ? { mode: a.mode } : {}) })
  }
  const failed = steps.find((s) => s.plan.failed !== undefined)
  if (failed) return { changed: false, failed: failed.plan.failed as string, ...(failed.plan.result ? { result: failed.plan.result } : {}) }
  const changed = steps.some((s) => s.plan.changed)
  const single = tree.files.length === 1
  const put = steps.find((s) => s.kind === 'put')
  const result = single && put ? { ...put.plan.result, ...(await pathResult(ctx, String(put.plan.result?.['dest'] ?? ''))) } : { dest: destDir, src: source }
  const diff: FileDiff[] = steps.flatMap((s) => s.plan.diff ?? [])
  const actions = steps.flatMap((s) => s.plan.actions ?? [])
  const commands: ShellCommand[] = steps.flatMap((s) => [...(s.plan.commands ?? [])])
  return { changed, actions, diff, result, commands, data: { steps, single } }
}

export async function applyTree(ctx: ApplyContext, { steps, single }: TreeData): Promise<Record<string, unknown>> {
  let last: Record<string, unknown> = {}
  for (const step of steps) {
    if (!step.plan.changed) continue
    if (step.kind === 'put' && step.plan.data) {
      const written = await applyPut(ctx, step.plan.data)
      last = { ...written, ...(await pathResult(ctx, step.plan.data.dest)) }
    } else if (step.kind === 'file' && step.plan.data) {
      await fileModule.apply?.(ctx, step.args, step.plan.data)
    }
  }
  return single ? last : {}
}
