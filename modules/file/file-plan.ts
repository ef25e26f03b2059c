/**
 * The pieces the `file` module's states share: a plan as data (commands to run, a
 * before/after description), and the diff text Ansible users know (`path: /x`,
 * `state: absent` -> `state: directory`, `mode: 0755`).
 */
import type { FileDiff } from '../../engine/diff.js'
import type { Plan } from '../../engine/module.js'
import { joinCommands, type ShellCommand } from '../../engine/quote.js'
import { attributeActions, type AttributePlan, type WantedAttributes } from '../../engine/files/attributes.js'
import type { ChattrPlan } from '../../engine/files/chattr.js'
import type { TimeArgs } from '../../engine/files/times.js'

/** The `file` module's arguments, as its states and the recursion read them. */
export interface FileArgs extends WantedAttributes, TimeArgs {
  path: string
  /** lsattr/chattr flags: 'A' exactly, '+A' or '-A'. */
  attributes?: string | undefined
  src?: string | undefined
  recurse: boolean
  force: boolean
  follow: boolean
}

export type Fields = Record<string, string | number | undefined>

export interface StatePlan {
  /** Where the change happens (a followed link's target, or path/basename for a hard link into a directory). */
  path: string
  commands: ShellCommand[]
  actions: string[]
  before: Fields
  after: Fields
  result: Record<string, unknown>
  /** Set when the task must fail at plan time. */
  failed?: string
  /** Changed even without commands' help (touch is always changed). */
  changed?: boolean
  /** chattr runs on its own: any output of it fails the task, as Ansible's 'chattr failed'. */
  chattr?: ChattrPlan
  /** touch -m/-a commands for modification_time/access_time, run last. */
  times?: ShellCommand
  /** Ansible's result has no `diff` (absent left as it was, _diff_peek). */
  noDiff?: boolean
}

export function newStatePlan(path: string, result: Record<string, unknown> = {}): StatePlan {
  return { path, commands: [], actions: [], before: {}, after: {}, result: { path, ...result } }
}

export function failedPlan(path: string, message: string): StatePlan {
  return { ...newStatePlan(path), failed: message }
}

/** Adds owner/group/mode changes to a state plan: their commands, words and diff fields. */
export function addAttributes(plan: StatePlan, attrs: AttributePlan, command: ShellCommand | undefined): StatePlan {
  if (attrs.failed) return { ...plan, failed: attrs.failed }
  if (command) plan.commands.push(command)
  plan.actions.push(...attributeActions(attrs))
  for (const c of attrs.changes) {
    if (c.before) plan.before[c.key] = c.before
    plan.after[c.key] = c.after
  }
  return plan
}

function fieldText(path: string, fields: Fields): string {
  let text = `path: ${path}\n`
  for (const [key, value] of Object.entries(fields)) if (value !== undefined) text += `${key}: ${String(value)}\n`
  return text
}

/** Ansible's result `diff`: the path, then what changes, as dictionaries (file always returns it). */
function resultDiff(path: string, fields: Fields): Record<string, unknown> {
  const out: Record<string, unknown> = { path }
  for (const [key, value] of Object.entries(fields)) if (value !== undefined) out[key] = value
  return out
}

/** What the `file` module's apply runs: the state's commands as one, on the path the task reports. */
export interface FileData {
  path: string
  command: ShellCommand | undefined
  chattr?: ShellCommand | undefined
  times?: ShellCommand | undefined
}

/** The module's Plan: changed when there is something to run; the commands travel in `data`. */
export function toPlan(sp: StatePlan): Plan<FileData> {
  if (sp.failed !== undefined) return { changed: false, failed: sp.failed, result: sp.result }
  const changed = sp.changed === true || sp.commands.length > 0 || sp.chattr !== undefined || sp.times !== undefined
  const diff: FileDiff[] = changed ? [{ header: sp.path, before: fieldText(sp.path, sp.before), after: fieldText(sp.path, sp.after) }] : []
  const data: FileData = {
    path: String(sp.result['path'] ?? sp.result['dest'] ?? ''),
    command: sp.commands.length ? joinCommands(sp.commands) : undefined,
    chattr: sp.chattr?.command,
    times: sp.times,
  }
  const commands = [...sp.commands, ...(sp.chattr ? [sp.chattr.command] : []), ...(sp.times ? [sp.times] : [])]
  const result = sp.noDiff ? sp.result : { ...sp.result, diff: { before: resultDiff(sp.path, sp.before), after: resultDiff(sp.path, sp.after) } }
  return { changed, actions: sp.actions, diff, result, commands, data }
}
