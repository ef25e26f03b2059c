/** Text pieces shared by the plain and live reporters: banners, result lines, diffs, recap. */
import type { FileDiff } from '../diff.js'
import type { HostStats, TaskResultEvent } from '../events.js'
import { pyJson } from '../expr/json.js'
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

/** `TASK [name] ****`: 80 columns as ansible-playbook writes them without a terminal. */
export function banner(kind: string, title?: string): string {
  const head = title === undefined ? kind : `${kind} [${title}]`
  return `${head} ${'*'.repeat(Math.max(3, 79 - head.length))}`
}

/** One result line as Ansible writes it: `changed: [web1] => (item=x)`. */
export function resultLine(event: TaskResultEvent, verbosity: number, palette: Palette): string {
  const host = event.delegatedTo ? `${event.host} -> ${event.delegatedTo}` : event.host
  const item = event.item !== undefined ? ` => (item=${event.item})` : ''
  // debug always shows its result, indented; other results show from -v, on one line up to -vv.
  const debug = event.task.module === 'debug'
  const always = debug || event.result['_ansible_verbose_always'] === true
  const detail = (obj: Record<string, unknown>) => ` => ${ansibleJson(debug ? debugView(obj) : withoutInternals(obj), always || verbosity > 2)}`
  const showResult = verbosity > 0 || always
  switch (event.status) {
    case 'ok':
      // An include_tasks that ran reads as Ansible's `included: FILE for HOST`.
      if (typeof event.result['include'] === 'string') return palette.skipped(`included: ${event.result['include']} for ${host}${item}`)
      return palette.ok(`ok: [${host}]${item}${showResult ? detail(visible(event.result, verbosity)) : ''}`)
    case 'changed':
      return palette.changed(`changed: [${host}]${item}${showResult ? detail(visible(event.result, verbosity)) : ''}`)
    case 'skipped':
      return palette.skipped(`skipping: [${host}]${item}${verbosity > 0 ? detail(visible(event.result, verbosity)) : ''}`)
    case 'unreachable':
      return palette.unreachable(`fatal: [${host}]: UNREACHABLE!${item} => ${ansibleJson({ changed: false, msg: event.msg, unreachable: true }, verbosity > 2)}`) + (event.ignored ? '\n...ignoring' : '')
    case 'failed': {
      const body = verbosity > 0 ? visible(event.result, verbosity) : failureSummary(event)
      return palette.failed(`${event.item !== undefined ? 'failed' : 'fatal'}: [${host}]: FAILED!${item} => ${ansibleJson(body, verbosity > 2)}`) + (event.ignored ? palette.skipped('\n...ignoring') : '')
    }
  }
}

/** The default callback's json.dumps: keys sorted, Python's separators, non-ASCII kept. */
export function ansibleJson(value: Record<string, unknown>, indented: boolean): string {
  return pyJson(value, { sortKeys: true, ensureAscii: false, ...(indented ? { indent: 4 } : {}) })
}

/** Ansible's bookkeeping keys (`_ansible_verbose_always`) are not shown. */
export function withoutInternals(result: Record<string, unknown>): Record<string, unknown> {
  return Object.fromEntries(Object.entries(result).filter(([k]) => !k.startsWith('_ansible_')))
}

/** debug shows what it was asked to (the default callback's _clean_results): `msg` alone, or the variable. */
const DEBUG_MSG_KEYS = new Set(['msg', 'exception', 'warnings', 'deprecations'])
const DEBUG_HIDDEN_KEYS = new Set(['changed', 'failed', 'skipped', 'invocation', 'skip_reason'])

export function debugView(result: Record<string, unknown>): Record<string, unknown> {
  const keep = 'msg' in result ? (k: string) => DEBUG_MSG_KEYS.has(k) : (k: string) => !DEBUG_HIDDEN_KEYS.has(k)
  return Object.fromEntries(Object.entries(result).filter(([k]) => keep(k)))
}

function failureSummary(event: TaskResultEvent): Record<string, unknown> {
  const r = event.result
  const out: Record<string, unknown> = { changed: Boolean(r['changed']) }
  for (const key of ['cmd', 'rc', 'stdout', 'stderr', 'msg', 'assertion', 'evaluated_to', 'censored']) if (r[key] !== undefined && r[key] !== '') out[key] = r[key]
  if (out['msg'] === undefined && event.msg) out['msg'] = event.msg
  return out
}

/**
 * What a result line shows: everything but the per-item copies of a loop (shown on their own
 * lines) and the diff (shown as a patch), as Ansible's callback drops it below -vvv.
 */
function visible(result: Record<string, unknown>, verbosity: number): Record<string, unknown> {
  const { results: _results, diff, ...rest } = result
  return verbosity > 2 && diff !== undefined ? { ...rest, diff } : rest
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

/** The recap as Ansible's default callback writes it: `%-26s : ok=%-4s changed=%-4s ...`, trailing spaces too. */
export function recapLines(stats: Record<string, HostStats>, palette: Palette): string[] {
  const hosts = Object.keys(stats)
  const width = Math.max(26, ...hosts.map((h) => h.length))
  return hosts.map((host) => {
    const s = stats[host] as HostStats
    const colour = s.failed || s.unreachable ? palette.failed : s.changed ? palette.changed : palette.ok
    const cells = (['ok', 'changed', 'unreachable', 'failed', 'skipped', 'rescued', 'ignored'] as const).map((name) => `${name}=${String(s[name]).padEnd(4)}`)
    return `${colour(host.padEnd(width))} : ${cells.join(' ')}`
  })
}
