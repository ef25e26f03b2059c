/**
 * What the harness compares of one run, with only what must differ taken out: durations, the
 * tools' own bookkeeping keys, each run's own `{{ out }}` path (written as `<out>`), and the
 * module results other than debug's (their keys and wording are each tool's own; a case prints
 * what it wants compared with debug).
 */
import type { OutEntry } from './out-tree.js'
import type { RunDocument, ToolRun } from './run-tools.js'

export interface HostView {
  changed: boolean
  failed: boolean
  skipped: boolean
  unreachable: boolean
  ignored: boolean
  /** debug's msg, or the var it printed ({ 'name': value }). */
  printed?: unknown
  /** A loop's items: each one's status, item and (for debug) what it printed. */
  items?: { item: unknown; changed: boolean; failed: boolean; skipped: boolean; printed?: unknown }[]
}

export interface TaskView {
  name: string
  handler: boolean
  hosts: Record<string, HostView>
}

export interface RunView {
  rc: number | null
  /** Why there is no task list: the tool wrote no JSON document (refused at load, crashed). */
  noDocument?: string
  recap: Record<string, Record<string, number>>
  tasks: TaskView[]
  files: Record<string, OutEntry>
}

const DEBUG_ACTIONS = new Set(['debug', 'ansible.builtin.debug', 'ansible.legacy.debug'])

/** Keys that are status or bookkeeping, not what debug printed. */
const NOT_PRINTED = new Set([
  'changed', 'failed', 'skipped', 'unreachable', 'ignored', 'status', 'duration_ms', 'skip_reason', 'false_condition',
  'item', 'ansible_loop_var', 'ansible_index_var', 'ansible_loop', 'results', 'warnings', 'deprecations',
])

function printedValue(result: Record<string, unknown>): unknown {
  if ('msg' in result && !('results' in result)) return result['msg']
  const printed = Object.entries(result).filter(([key]) => !NOT_PRINTED.has(key) && !key.startsWith('_ansible') && key !== 'msg')
  return printed.length ? Object.fromEntries(printed) : undefined
}

function flag(result: Record<string, unknown>, key: string): boolean {
  return result[key] === true
}

function hostView(result: Record<string, unknown>, isDebug: boolean): HostView {
  const status = String(result['status'] ?? '')
  const view: HostView = {
    changed: flag(result, 'changed'),
    failed: status === 'failed' || flag(result, 'failed'),
    skipped: status === 'skipped' || flag(result, 'skipped'),
    unreachable: status === 'unreachable' || flag(result, 'unreachable'),
    ignored: flag(result, 'ignored'),
  }
  if (Array.isArray(result['results'])) {
    view.items = (result['results'] as Record<string, unknown>[]).map((item) => ({
      item: item['item'],
      changed: flag(item, 'changed'),
      failed: flag(item, 'failed'),
      skipped: flag(item, 'skipped'),
      ...(isDebug && !flag(item, 'skipped') ? { printed: printedValue(item) } : {}),
    }))
  } else if (isDebug && !view.skipped) view.printed = printedValue(result)
  return view
}

/** Replaces this run's out dir in every string, so `{{ out }}/f` reads the same for both tools. */
function withoutOutPath<T>(value: T, out: string): T {
  return JSON.parse(JSON.stringify(value ?? null).split(out).join('<out>')) as T
}

/** debug tasks are known by Ansible's action; tsplay's --json has no action, so the Ansible side's is used for both. */
export function debugTaskIndexes(document: RunDocument | null): Set<number> {
  const tasks = document?.plays.flatMap((play) => play.tasks) ?? []
  return new Set(tasks.flatMap((task, index) => (DEBUG_ACTIONS.has(task.task.action ?? '') ? [index] : [])))
}

export function runView(run: ToolRun, debugTasks: Set<number>): RunView {
  const view: RunView = { rc: run.rc, recap: {}, tasks: [], files: run.files }
  if (!run.document) return { ...view, noDocument: (run.stderr || run.stdout).trim().split('\n').slice(-3).join('\n') }
  const tasks = run.document.plays.flatMap((play) => play.tasks)
  view.tasks = tasks.map((task, index) => ({
    name: task.task.name,
    handler: task.task.handler,
    hosts: Object.fromEntries(Object.entries(task.hosts).map(([host, result]) => [host, hostView(result, debugTasks.has(index))])),
  }))
  view.recap = run.document.stats
  return withoutOutPath(view, run.out)
}
