/** Text pieces shared by the plain and live reporters: banners, result lines, diffs, recap. */
import type { FileDiff } from '../diff.js'
import type { HostStats, TaskResultEvent } from '../events.js'
import { maskedPatch } from './mask-diff.js'

export interface Palette {
  ok(text: string): string
  changed(text: string): string
  failed(text: string): string
  skipped(text: string): string
  unreachable(text: string): string
  dim(text: string): string
}

const plain = (t: string) => t
export const noColor: Palette = { ok: plain, changed: plain, failed: plain, skipped: plain, unreachable: plain, dim: plain }
const sgr = (code: number) => (t: string) => `\u001b[${code}m${t}\u001b[0m`
export const ansi: Palette = { ok: sgr(32), changed: sgr(33), failed: sgr(31), skipped: sgr(36), unreachable: sgr(35), dim: sgr(2) }

export function banner(kind: string, title: string, width = 79): string {
  const head = `${kind} [${title}] `
  return head + '*'.repeat(Math.max(3, width - head.length))
}

/** One result line as Ansible writes it: `changed: [web1] => (item=x)`. */
export function resultLine(event: TaskResultEvent, verbosity: number, palette: Palette): string {
  const host = event.delegatedTo ? `${event.host} -> ${event.delegatedTo}` : event.host
  const item = event.item !== undefined ? ` => (item=${event.item})` : ''
  // debug results read as Ansible prints them: indented, without `changed`.
  const debug = event.task.module === 'debug'
  const detail = (obj: Record<string, unknown>) => {
    const { changed: _changed, ...rest } = obj
    return ` => ${debug ? JSON.stringify(rest, null, 4) : JSON.stringify(obj)}`
  }
  const showResult = verbosity > 0 || hasDebugOutput(event)
  switch (event.status) {
    case 'ok':
      // An include_tasks that ran reads as Ansible's `included: FILE for HOST`.
      if (typeof event.result['include'] === 'string') return palette.skipped(`included: ${event.result['include']} for ${host}${item}`)
      return palette.ok(`ok: [${host}]${item}${showResult ? detail(visible(event.result)) : ''}`)
    case 'changed':
      return palette.changed(`changed: [${host}]${item}${showResult ? detail(visible(event.result)) : ''}`)
    case 'skipped':
      return palette.skipped(`skipping: [${host}]${item}${verbosity > 0 ? detail(visible(event.result)) : ''}`)
    case 'unreachable':
      return palette.unreachable(`fatal: [${host}]: UNREACHABLE!${item} => ${JSON.stringify({ changed: false, msg: event.msg, unreachable: true })}`) + (event.ignored ? '\n...ignoring' : '')
    case 'failed': {
      const body = verbosity > 0 ? visible(event.result) : failureSummary(event)
      return palette.failed(`${event.item !== undefined ? 'failed' : 'fatal'}: [${host}]: FAILED!${item} => ${JSON.stringify(body)}`) + (event.ignored ? palette.skipped('\n...ignoring') : '')
    }
  }
}

function hasDebugOutput(event: TaskResultEvent): boolean {
  return event.task.module === 'debug'
}

function failureSummary(event: TaskResultEvent): Record<string, unknown> {
  const r = event.result
  const out: Record<string, unknown> = { changed: Boolean(r['changed']) }
  for (const key of ['cmd', 'rc', 'stdout', 'stderr', 'msg', 'assertion', 'evaluated_to', 'censored']) if (r[key] !== undefined && r[key] !== '') out[key] = r[key]
  if (out['msg'] === undefined && event.msg) out['msg'] = event.msg
  return out
}

/** What a result line shows: everything but the per-item copies of a loop (shown on their own lines). */
function visible(result: Record<string, unknown>): Record<string, unknown> {
  const { results: _results, ...rest } = result
  return rest
}

export function renderDiff(diff: FileDiff, palette: Palette): string {
  // Secrets are masked line by line after diffing, so a changed secret still shows as changed.
  return maskedPatch(diff)
    .split('\n')
    .slice(1) // the "====" line of the patch
    .map((line) => (line.startsWith('+') && !line.startsWith('+++') ? palette.ok(line) : line.startsWith('-') && !line.startsWith('---') ? palette.failed(line) : line.startsWith('@@') ? palette.skipped(line) : line))
    .join('\n')
    .trimEnd()
}

export function recapLines(stats: Record<string, HostStats>, palette: Palette): string[] {
  const hosts = Object.keys(stats)
  const width = Math.max(0, ...hosts.map((h) => h.length)) + 1
  return hosts.map((host) => {
    const s = stats[host] as HostStats
    const colour = s.failed || s.unreachable ? palette.failed : s.changed ? palette.changed : palette.ok
    const cell = (name: string, n: number) => `${name}=${n}`.padEnd(name.length + 6)
    return `${colour(host.padEnd(width))}: ${cell('ok', s.ok)}${cell('changed', s.changed)}${cell('unreachable', s.unreachable)}${cell('failed', s.failed)}${cell('skipped', s.skipped)}${cell('rescued', s.rescued)}${cell('ignored', s.ignored)}`.trimEnd()
  })
}
