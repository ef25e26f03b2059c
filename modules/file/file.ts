/** file: a path's state (file, directory, link, hard link, absent, touched) and its owner and mode (Ansible's `file`). */
import { defineModule, type ArgValues, type PlanContext } from '../../engine/module.js'
import { sh } from '../../engine/quote.js'
import { chattrFailure, planChattr } from '../../engine/files/chattr.js'
import { pathResult, readPathFor } from '../../engine/files/read.js'
import { planTimes, wantedTime } from '../../engine/files/times.js'
import { failedPlan, newStatePlan, toPlan, type FileArgs, type StatePlan } from './file-plan.js'
import {
  planAbsent,
  planDirectory,
  planFile,
  planHard,
  planLink,
  planTouch,
  type Planner,
  type StateName,
} from './file-states.js'

const STATES = ['absent', 'directory', 'file', 'hard', 'link', 'touch'] as const

const args = {
  // Not `required`: Ansible fails the task when it runs, and its integration target relies on it (docs/decisions.md).
  path: { type: 'path', aliases: ['dest', 'name'], description: 'The path to manage (required).' },
  state: {
    type: 'str',
    choices: STATES,
    description: "What the path should be; by default what it already is, or 'file' (which never creates one).",
  },
  src: { type: 'path', description: 'What a link (state=link or hard) points to; a relative src is relative to the link’s directory.' },
  mode: { type: 'mode', description: "Permissions: octal ('0755') or symbolic ('u=rwx,g=rx,o=rx')." },
  owner: { type: 'str', description: 'User that should own the path.' },
  group: { type: 'str', description: 'Group that should own the path.' },
  recurse: { type: 'bool', default: false, description: 'With state=directory, set owner, group and mode on everything inside too.' },
  force: { type: 'bool', default: false, description: 'Replace an existing file or empty directory with the link, or link to a src that does not exist.' },
  follow: { type: 'bool', default: true, description: 'When the path is a symlink, manage what it points to rather than the link itself.' },
  attributes: { type: 'str', aliases: ['attr'], description: "File attributes as lsattr shows them: 'A' sets exactly these, '+A' adds, '-A' removes (chattr)." },
  modification_time: { type: 'str', description: "The modification time to set: 'now', 'preserve', or a time in modification_time_format (state=touch: 'now' by default)." },
  modification_time_format: { type: 'str', default: '%Y%m%d%H%M.%S', description: 'The strptime format of modification_time.' },
  access_time: { type: 'str', description: "The access time to set: 'now', 'preserve', or a time in access_time_format (state=touch: 'now' by default)." },
  access_time_format: { type: 'str', default: '%Y%m%d%H%M.%S', description: 'The strptime format of access_time.' },
  _diff_peek: { type: 'bool', description: 'Internal (Ansible’s diff uses it): only report whether the file looks binary (a NUL byte in its first 8 KiB).' },
} as const

/**
 * modification_time/access_time and attributes, set after the state as Ansible's
 * set_fs_attributes_if_different and update_timestamp_for_file do, on the path the state
 * planner changed (a followed link's target). A time that does not parse fails the task.
 */
async function planTimesAndFlags(ctx: PlanContext, sp: StatePlan, a: FileArgs, state: StateName): Promise<void> {
  const exists = sp.before['state'] !== 'absent'
  const chattr = await planChattr(ctx, sp.path, a.attributes, exists)
  if (chattr) {
    sp.chattr = chattr
    sp.before['attributes'] = chattr.before
    sp.after['attributes'] = chattr.after
    sp.actions.push(`chattr ${chattr.after} ${sp.path}`)
  }
  let times
  try {
    const touch = state === 'touch'
    const m = wantedTime(a.modification_time, a.modification_time_format, touch)
    const at = wantedTime(a.access_time, a.access_time_format, touch)
    times = await planTimes(ctx, sp.path, exists, m, at)
  } catch (err) {
    sp.failed = (err as Error).message
    return
  }
  if (!times) return
  sp.times = times.command
  Object.assign(sp.before, times.before)
  Object.assign(sp.after, times.after)
  sp.actions.push(`set ${Object.keys(times.after).join(' and ')} of ${sp.path}`)
}

/** _diff_peek: whether the file's first 8 KiB hold a NUL byte (unreadable reads as text), nothing else. */
async function diffPeek(ctx: PlanContext, path: string): Promise<StatePlan> {
  const out = await ctx.probe(sh`head -c 8192 -- ${path} 2>/dev/null | od -An -v -tx1 | grep -c ' 00'`)
  const plan = newStatePlan(path, { appears_binary: Number(out.stdout.trim()) > 0 })
  plan.noDiff = true
  return plan
}

const PLANNERS: Record<StateName, Planner> = {
  absent: planAbsent,
  directory: planDirectory,
  file: planFile,
  hard: planHard,
  link: planLink,
  touch: planTouch,
}

const fileModule = defineModule({
  name: 'file',
  description: 'Sets a path’s state (directory, link, absent, ...) and its owner, group and mode.',
  args,
  async plan(ctx, args) {
    if (args.path === undefined) return { changed: false, failed: 'missing required arguments: path' }
    const a = { ...args, path: args.path }
    const fa: FileArgs = a
    const [info, ids] = await readPathFor(ctx, a.path, false, a)
    const state: StateName = a.state ?? (info.state !== 'absent' ? info.state : a.recurse ? 'directory' : 'file')
    let sp: StatePlan
    if (a.recurse && state !== 'directory') sp = failedPlan(a.path, "recurse option requires state to be 'directory'")
    else if (a.src !== undefined && state !== 'link' && state !== 'hard') sp = failedPlan(a.path, "src option requires state to be 'link' or 'hard'")
    else if (a._diff_peek !== undefined) sp = await diffPeek(ctx, a.path)
    else sp = await PLANNERS[state](ctx, fa, info, ids)
    if (sp.failed === undefined && state !== 'absent' && a._diff_peek === undefined) await planTimesAndFlags(ctx, sp, fa, state)
    const plan = toPlan(sp)
    // Ansible adds the path's owner, mode, type and size to every result, failures included.
    const where = String(sp.result['path'] ?? sp.result['dest'] ?? a.path)
    return { ...plan, result: { ...(plan.result ?? {}), ...(await pathResult(ctx, where)) } }
  },
  async apply(ctx, _a, { path, command, chattr, times }) {
    const failure = (out: { stderr: string; code: number | null }): string => `cannot change ${path}: ${out.stderr.trim() || `exit code ${String(out.code)}`}`
    if (command) await ctx.run(command, { failure })
    if (chattr) {
      await ctx.run(chattr, {
        fails: (out) => chattrFailure(out) !== undefined,
        failure: () => 'chattr failed',
        result: (out) => ({ path, details: chattrFailure(out) }),
      })
    }
    if (times) await ctx.run(times, { failure: (out) => `Error while updating modification or access time: ${out.stderr.trim()}` })
    return pathResult(ctx, path)
  },
})

export default fileModule

/** The file module's arguments with its defaults, for copy's directories and links. */
export function fileTaskArgs(given: { path: string } & Partial<ArgValues<typeof args>>): ArgValues<typeof args> {
  return {
    recurse: false, force: false, follow: true, modification_time_format: '%Y%m%d%H%M.%S', access_time_format: '%Y%m%d%H%M.%S',
    state: undefined, src: undefined, mode: undefined, owner: undefined, group: undefined, attributes: undefined,
    modification_time: undefined, access_time: undefined, _diff_peek: undefined,
    ...given,
  }
}
