/** file: a path's state (file, directory, link, hard link, absent, touched) and its owner and mode (Ansible's `file`). */
import { defineModule } from '../../engine/module.js'
import { readPathFor } from '../../engine/files/read.js'
import { failedPlan, toPlan, type FileArgs, type StatePlan } from './file-plan.js'
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
  path: { type: 'path', required: true, aliases: ['dest', 'name'], description: 'The path to manage.' },
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
} as const

const PLANNERS: Record<StateName, Planner> = {
  absent: planAbsent,
  directory: planDirectory,
  file: planFile,
  hard: planHard,
  link: planLink,
  touch: planTouch,
}

export default defineModule({
  name: 'file',
  description: 'Sets a path’s state (directory, link, absent, ...) and its owner, group and mode.',
  args,
  async plan(ctx, a) {
    const fa: FileArgs = { ...a, path: a.path }
    const [info, ids] = await readPathFor(ctx, a.path, false, a)
    const state: StateName = a.state ?? (info.state !== 'absent' ? info.state : a.recurse ? 'directory' : 'file')
    let sp: StatePlan
    if (a.recurse && state !== 'directory') sp = failedPlan(a.path, "recurse option requires state to be 'directory'")
    else if (a.src !== undefined && state !== 'link' && state !== 'hard') sp = failedPlan(a.path, "src option requires state to be 'link' or 'hard'")
    else sp = await PLANNERS[state](ctx, fa, info, ids)
    return toPlan(sp)
  },
  async apply(ctx, _a, { path, command }) {
    if (command) await ctx.run(command, { failure: (out) => `cannot change ${path}: ${out.stderr.trim() || `exit code ${String(out.code)}`}` })
    return {}
  },
})
