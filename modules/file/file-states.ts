/**
 * The `file` module's states, each a planner: read the path (one fact), compare with the
 * wanted state as Ansible's file module does, and return the commands apply will run.
 */
import { dirname, isAbsolute, posix } from 'node:path'
import type { PlanContext } from '../../engine/module.js'
import { sh, type ShellCommand } from '../../engine/quote.js'
import { attributeCommands, planAttributes } from '../../engine/files/attributes.js'
import { predictPath, type Outcome } from '../../engine/files/predict.js'
import { readPath, type Ownership } from '../../engine/files/read.js'
import type { PathInfo } from '../../engine/files/stat.js'
import { addAttributes, failedPlan, newStatePlan, type FileArgs, type StatePlan } from './file-plan.js'
import { planRecurse } from './file-recurse.js'


export type StateName = 'absent' | 'directory' | 'file' | 'hard' | 'link' | 'touch'

/** What every state planner gets: the task's arguments, the path as read, the wanted owner/group ids. */
export type Planner = (ctx: PlanContext, a: FileArgs, info: PathInfo, ids: Ownership) => Promise<StatePlan>

/** With follow, a link is looked through: the change happens at its target. */
async function followed(ctx: PlanContext, a: FileArgs, info: PathInfo): Promise<[string, PathInfo]> {
  if (!a.follow || info.state !== 'link' || info.realPath === undefined) return [a.path, info]
  return [info.realPath, await readPath(ctx, info.realPath, false)]
}

/** Tells check mode what the path will look like (a no-op in a real run). */
function predict(ctx: PlanContext, plan: StatePlan, info: PathInfo, a: FileArgs, ids: Ownership, outcome: Outcome): StatePlan {
  if (plan.failed !== undefined || (plan.commands.length === 0 && !plan.changed)) return plan
  const modeAfter = plan.after['mode']
  const perm = modeAfter !== undefined ? parseInt(String(modeAfter), 8) : undefined
  predictPath(ctx, plan.path, info, { ...(perm !== undefined ? { perm } : {}), owner: a.owner, group: a.group, ids, ...outcome })
  return plan
}

export const planAbsent: Planner = async (ctx, a, info) => {
  const plan = newStatePlan(a.path, { state: 'absent' })
  if (info.state === 'absent') return plan
  plan.before['state'] = info.state
  plan.after['state'] = 'absent'
  plan.actions.push(`remove ${info.state} ${a.path}`)
  plan.commands.push(info.state === 'directory' ? sh`rm -rf -- ${a.path}` : sh`rm -f -- ${a.path}`)
  if (ctx.check) predictPath(ctx, a.path, info, { state: 'absent' })
  return plan
}

export const planFile: Planner = async (ctx, a, info, ids) => {
  const [path, target] = await followed(ctx, a, info)
  if (target.state !== 'file' && target.state !== 'hard') {
    const plan = failedPlan(path, `file (${path}) is ${target.state}, cannot continue`)
    return { ...plan, result: { ...plan.result, state: target.state } }
  }
  const attrs = planAttributes(target, a, ids)
  const plan = addAttributes(newStatePlan(path, { state: 'file' }), attrs, attributeCommands(path, attrs, target))
  return predict(ctx, plan, target, a, ids, { state: 'file' })
}

export const planDirectory: Planner = async (ctx, a, info, ids) => {
  const [path, target] = await followed(ctx, a, info)
  const plan = newStatePlan(path, { state: 'directory' })
  if (target.state === 'absent') {
    // Like `mkdir -p`, but every directory created gets the wanted owner and mode, as in Ansible.
    const attrs = planAttributes(target, a, ids, { isDir: true, base: 0o777 & ~target.umask })
    if (attrs.failed) return failedPlan(path, attrs.failed)
    plan.before['state'] = 'absent'
    plan.after['state'] = 'directory'
    plan.actions.push(`create directory ${path}`)
    for (const dir of ancestors(path)) {
      const set = attributeCommands(dir, attrs)
      // Another process may make the same directory between the test and mkdir (two hosts of one
      // machine, as in tests): what matters is that it is a directory then.
      plan.commands.push(sh`if [ ! -e ${dir} ]; then { mkdir -- ${dir} || [ -d ${dir} ]; } ${set ? sh`&& ${set}` : sh``} || exit 1; fi`)
    }
    for (const c of attrs.changes) plan.after[c.key] = c.after
    // A new directory's mode is worth showing even when the umask already gives it.
    if (attrs.mode !== undefined) plan.after['mode'] = attrs.mode
    const perm = attrs.mode !== undefined ? parseInt(attrs.mode, 8) : undefined
    return predict(ctx, plan, target, a, ids, { state: 'directory', ...(perm !== undefined ? { perm } : {}) })
  }
  if (target.state !== 'directory') return failedPlan(path, `${path} already exists as a ${target.state}`)
  const attrs = planAttributes(target, a, ids, { isDir: true })
  addAttributes(plan, attrs, attributeCommands(path, attrs, target))
  if (a.recurse && !plan.failed) await planRecurse(ctx, plan, path, a, target, ids)
  return predict(ctx, plan, target, a, ids, { state: 'directory' })
}

/** /a/b/c -> /a, /a/b, /a/b/c (a relative path stays relative). */
function ancestors(path: string): string[] {
  const parts = path.split('/').filter((p) => p !== '' && p !== '.')
  const out: string[] = []
  let cur = isAbsolute(path) ? '/' : ''
  for (const part of parts) {
    cur = cur === '' ? part : posix.join(cur, part)
    out.push(cur)
  }
  return out
}

export const planTouch: Planner = async (ctx, a, info, ids) => {
  const [path, target] = await followed(ctx, a, info)
  // Ansible's touch reports `dest`; its state comes with the path's fields.
  const plan = newStatePlan(path)
  plan.result = { dest: path }
  const created = target.state === 'absent'
  plan.before['state'] = target.state
  plan.after['state'] = 'touch'
  if (created) {
    plan.actions.push(`create ${path}`)
    plan.commands.push(sh`touch -- ${path}`)
  }
  // The times themselves ('now' unless given) are planned with modification_time/access_time.
  const attrs = planAttributes(target, a, ids, created ? { base: 0o666 & ~target.umask } : {})
  addAttributes(plan, attrs, attributeCommands(path, attrs, target))
  const perm = attrs.mode !== undefined ? parseInt(attrs.mode, 8) : undefined
  return predict(ctx, plan, target, a, ids, { state: 'file', ...(perm !== undefined ? { perm } : {}) })
}

/** Python's os.path.join of two parts: no normalising, an absolute second part wins. */
function pyJoin(base: string, part: string): string {
  if (isAbsolute(part) || base === '') return part
  return base.endsWith('/') ? base + part : `${base}/${part}`
}

/** Ansible's ensure_symlink, as a plan. */
export const planLink: Planner = async (ctx, a, info, ids) => {
  // Without src, an existing link is updated in place (its owner, mode): its own target is the src.
  const current = info.state === 'link' ? await readPath(ctx, a.path, true) : undefined
  const src = a.src ?? (a.follow && current?.stat.exists ? info.stat.lnk_target : undefined)
  const absrc = src === undefined ? undefined : pyJoin(info.state === 'directory' ? a.path : dirname(a.path), src)
  const target = absrc === undefined ? undefined : await readPath(ctx, absrc, true)
  const fail = (msg: string, result: Record<string, unknown> = { path: a.path }): StatePlan => ({ ...failedPlan(a.path, msg), result })
  if (!a.force && absrc !== undefined && !target?.stat.exists) {
    return fail(`src file does not exist, use "force=yes" if you really want to create the link: ${absrc}`, { path: a.path, src })
  }
  if (info.state === 'directory') {
    if (!a.force) return fail(`refusing to convert from directory to symlink for ${a.path}`)
    const empty = await ctx.probe(sh`[ -z "$(ls -A -- ${a.path})" ]`)
    if (empty.code !== 0) return fail(`the directory ${a.path} is not empty, refusing to convert it`)
  } else if ((info.state === 'file' || info.state === 'hard') && !a.force) {
    return fail(`refusing to convert from ${info.state} to symlink for ${a.path}`)
  }
  if (info.state !== 'link' && src === undefined) return fail('src is required for creating new symlinks', {})
  const plan = newStatePlan(a.path)
  plan.result = { dest: a.path, src: src ?? null }
  if (info.state !== 'link') {
    plan.before['state'] = info.state
    plan.after['state'] = 'link'
    plan.after['src'] = src
  } else if (src !== undefined && info.stat.lnk_target !== src) {
    plan.before['src'] = info.stat.lnk_target
    plan.after['src'] = src
  }
  if (src !== undefined && (info.state !== 'link' || plan.after['src'] !== undefined)) {
    plan.actions.push(`link ${a.path} -> ${src}`)
    plan.commands.push(replaceWith(a.path, info, sh`ln -s -- ${src}`))
    const through = target?.stat.exists && absrc !== undefined ? { ...target, realPath: target.realPath ?? absrc } : undefined
    if (ctx.check) predictPath(ctx, a.path, info, { state: 'link', linkTarget: src }, through)
  }
  // With follow, owner and mode are those of what the link leads to; without, the link's own (mode does not apply).
  if (a.follow) {
    const leadsTo = absrc !== undefined ? target : current
    if (!leadsTo?.stat.exists) {
      plan.result['warnings'] = ['Cannot set fs attributes on a non-existent symlink target. follow should be set to False to avoid this.']
      return plan
    }
    const attrPath = leadsTo.realPath ?? absrc ?? a.path
    const attrs = planAttributes(leadsTo, a, ids)
    return addAttributes(plan, attrs, attributeCommands(attrPath, attrs, leadsTo))
  }
  const attrInfo = info.state === 'link' ? info : { ...info, stat: { ...info.stat, exists: false } }
  const attrs = planAttributes(attrInfo, a, ids, { link: true })
  return addAttributes(plan, attrs, attributeCommands(a.path, attrs, attrInfo))
}

export const planHard: Planner = async (ctx, a, info, ids) => {
  const src = a.src
  if (src === undefined) return failedPlan(a.path, 'src is required for creating new hardlinks')
  let path = a.path
  // Ansible places the link inside an existing directory, under src's name.
  if (info.state === 'directory') {
    path = posix.join(path, posix.basename(src))
    info = await readPath(ctx, path, false)
  }
  const target = await readPath(ctx, src, true)
  if (!target.stat.exists) return failedPlan(path, 'src does not exist')
  const plan = newStatePlan(path, { state: 'hard', src, dest: path })
  const sameInode = info.stat.exists && info.stat.inode === target.stat.inode && info.stat.dev === target.stat.dev
  if (!sameInode) {
    if (!a.force && (info.state === 'hard' || info.state === 'directory')) {
      return failedPlan(path, 'Cannot link, different hard link exists at destination')
    }
    if (!a.force && info.state === 'file') return failedPlan(path, `Cannot link, ${info.state} exists at destination`)
    if (info.state === 'directory') return failedPlan(path, `Cannot link, directory exists at destination`)
    plan.before['state'] = info.state
    plan.after['state'] = 'hard'
    plan.after['src'] = src
    plan.actions.push(`hard link ${path} -> ${src}`)
    plan.commands.push(replaceWith(path, info, sh`ln -- ${src}`))
  }
  const attrs = planAttributes(target, a, ids)
  addAttributes(plan, attrs, attributeCommands(path, attrs, target))
  return predict(ctx, plan, target, a, ids, { state: 'file' })
}

/**
 * Creates the new link under a temporary name beside the path and renames it over the
 * old entry, so the path is never missing (as Ansible's os.rename). `mv -T` keeps a
 * link to a directory from being treated as "move into"; without GNU mv, fall back.
 */
function replaceWith(path: string, info: PathInfo, make: ShellCommand): ShellCommand {
  if (info.state === 'absent') return sh`${make} ${path}`
  const tmp = posix.join(dirname(path), `.tsplay.${process.pid}.${Date.now()}.tmp`)
  const clear = info.state === 'directory' ? sh`rmdir -- ${path} && ` : sh``
  return sh`${clear}${make} ${tmp} && { mv -fT -- ${tmp} ${path} 2>/dev/null || { rm -f -- ${path} && mv -f -- ${tmp} ${path}; } || { rm -f -- ${tmp}; exit 1; }; }`
}
