/**
 * A path's modification and access times, as Ansible's file module sets them
 * (`modification_time`, `access_time`: `now`, `preserve` or a time in a strptime format).
 * One probe reads the current times to the nanosecond (Ansible compares os.stat's floats)
 * and has the host turn a given time into seconds, in the host's own time zone as
 * Ansible's time.mktime does there.
 */
import { errorMessage } from '../errors.js'
import { strptime } from '../expr/pytime.js'
import type { PlanContext } from '../module.js'
import { joinCommands, sh, type ShellCommand } from '../quote.js'

/** What one time becomes: left alone, the current time, or a local date and time ('2022-02-08 14:14:00'). */
export type TimeWanted = { kind: 'preserve' } | { kind: 'now' } | { kind: 'at'; local: string }

export interface TimeArgs {
  modification_time?: string | undefined
  modification_time_format?: string | undefined
  access_time?: string | undefined
  access_time_format?: string | undefined
}

const pad = (n: number, width = 2): string => String(n).padStart(width, '0')

/**
 * One time argument read as Ansible's get_timestamp_for_time does; an argument not given is
 * `now` for state=touch and `preserve` otherwise (keep_backward_compatibility_on_timestamps).
 * A time that does not match its format throws Ansible's message.
 */
export function wantedTime(value: string | undefined, format = '%Y%m%d%H%M.%S', touch = false): TimeWanted {
  const given = value ?? (touch ? 'now' : 'preserve')
  if (given === 'preserve' || given === 'now') return { kind: given }
  try {
    const t = strptime(given, format)
    return { kind: 'at', local: `${t.year}-${pad(t.month)}-${pad(t.day)} ${pad(t.hour)}:${pad(t.minute)}:${pad(t.second)}` }
  } catch (err) {
    throw new Error(`Error while obtaining timestamp for time ${given} using format ${format}: ${errorMessage(err)}`)
  }
}

export interface TimesPlan {
  /** touch commands that set the times (none when they already are as wanted). */
  command?: ShellCommand
  before: Record<string, number>
  after: Record<string, number>
}

interface CurrentTimes {
  atime?: number
  mtime?: number
  /** The given local times as seconds since the epoch, in order (mtime's first). */
  epochs: number[]
}

async function readTimes(ctx: PlanContext, path: string, exists: boolean, locals: string[]): Promise<CurrentTimes> {
  const parts = [exists ? sh`stat -L -c '%.9X %.9Y' -- ${path}` : sh`echo - -`, ...locals.map((l) => sh`date -d ${l} +%s`)]
  const out = await ctx.read(joinCommands(parts), { failure: (o) => `Error while updating modification or access time: ${o.stderr.trim()}` })
  const [first = '', ...rest] = out.stdout.trim().split('\n')
  const [atime, mtime] = first.split(' ').map(Number)
  return { ...(exists ? { atime, mtime } : {}), epochs: rest.map(Number) }
}

/**
 * What update_timestamp_for_file would do to the path: nothing when both are `preserve` or
 * already right, else touch -m/-a with the wanted times (both `now`: a plain touch, which needs
 * no ownership of the file, as Ansible's utime(path, None)). `exists` false: a file the task
 * creates first, whose times are new anyway.
 */
export async function planTimes(ctx: PlanContext, path: string, exists: boolean, m: TimeWanted, a: TimeWanted): Promise<TimesPlan | undefined> {
  if (m.kind === 'preserve' && a.kind === 'preserve') return undefined
  const locals = [m, a].flatMap((t) => (t.kind === 'at' ? [t.local] : []))
  const current = await readTimes(ctx, path, exists, locals)
  const now = Date.now() / 1000
  const epochs = [...current.epochs]
  const resolve = (t: TimeWanted, previous: number | undefined): number | undefined =>
    t.kind === 'preserve' ? previous : t.kind === 'now' ? now : epochs.shift()
  const mtime = resolve(m, current.mtime)
  const atime = resolve(a, current.atime)
  const plan: TimesPlan = { before: {}, after: {} }
  if (m.kind === 'now' && a.kind === 'now') plan.command = sh`touch -c -- ${path}`
  else {
    const sets: ShellCommand[] = []
    if (m.kind !== 'preserve' && mtime !== current.mtime) sets.push(m.kind === 'now' ? sh`touch -c -m -- ${path}` : sh`touch -c -m -d ${`@${String(mtime)}`} -- ${path}`)
    if (a.kind !== 'preserve' && atime !== current.atime) sets.push(a.kind === 'now' ? sh`touch -c -a -- ${path}` : sh`touch -c -a -d ${`@${String(atime)}`} -- ${path}`)
    if (sets.length === 0) return undefined
    plan.command = joinCommands(sets)
  }
  if (mtime !== current.mtime) {
    if (current.mtime !== undefined) plan.before['mtime'] = current.mtime
    if (mtime !== undefined) plan.after['mtime'] = mtime
  }
  if (atime !== current.atime) {
    if (current.atime !== undefined) plan.before['atime'] = current.atime
    if (atime !== undefined) plan.after['atime'] = atime
  }
  return plan
}
