/**
 * What `tsplay ad-hoc` prints, as `ansible` does with its minimal callback: one block per host,
 * `web1 | CHANGED | rc=0 >>` and the output for command, shell and raw, `web1 | SUCCESS => {...}`
 * (the result as indented JSON) for the other modules; with --one-line (Ansible's oneline
 * callback) each host's block on one line. No banners and no recap.
 */
import type { Reporter, RunEvent, TaskResultEvent } from '../events.js'
import { pyJson } from '../expr/json.js'
import { ansibleJson, debugView, noColor, renderDiff, withoutInternals, type Palette } from './format.js'

/** Ansible's MODULE_NO_JSON: the modules whose output is shown as text, not as their result. */
const TEXT_OUTPUT = new Set(['command', 'shell', 'raw'])

export interface AdHocOptions {
  oneLine: boolean
  write?: (text: string) => void
  palette?: Palette
}

const text = (value: unknown): string => (typeof value === 'string' ? value : '')

export class AdHocReporter implements Reporter {
  private readonly write: (text: string) => void
  private readonly palette: Palette

  constructor(private readonly options: AdHocOptions) {
    this.write = options.write ?? ((line) => process.stdout.write(line + '\n'))
    this.palette = options.palette ?? noColor
  }

  handle(event: RunEvent): void {
    switch (event.kind) {
      case 'task:result':
        for (const d of event.diff) this.write(renderDiff(d, this.palette))
        this.write(this.block(event))
        break
      case 'warning':
        process.stderr.write(`[WARNING]: ${event.message}\n`)
        break
      case 'no-hosts':
        process.stderr.write('[WARNING]: No hosts matched, nothing to do\n')
        break
      default:
        break
    }
  }

  private block(event: TaskResultEvent): string {
    const { host, status, result } = event
    const p = this.palette
    if (status === 'skipped') return p.skipped(`${host} | SKIPPED`)
    if (status === 'unreachable') {
      return p.unreachable(this.options.oneLine ? `${host} | UNREACHABLE!: ${event.msg ?? ''}` : `${host} | UNREACHABLE! => ${this.json({ changed: false, msg: event.msg, unreachable: true })}`)
    }
    const caption = status === 'failed' ? 'FAILED' : status === 'changed' ? 'CHANGED' : 'SUCCESS'
    const color = status === 'failed' ? p.failed : status === 'changed' ? p.changed : p.ok
    // The diff is shown as a patch above, not again in the result (as Ansible's callback below -vvv).
    const { diff: _diff, ...rest } = result
    const shown = event.task.module === 'debug' ? debugView(rest) : withoutInternals(rest)
    // The oneline callback writes every failure as JSON; minimal shows a command's failure as its output.
    const asJson = !TEXT_OUTPUT.has(event.task.module ?? '') || 'ansible_job_id' in result || (this.options.oneLine && status === 'failed')
    if (asJson) {
      const withMsg = status === 'failed' && shown['msg'] === undefined && event.msg ? { ...shown, msg: event.msg } : shown
      return color(`${host} | ${caption}${status === 'failed' ? '!' : ''} => ${this.json(withMsg)}`)
    }
    const rc = result['rc'] ?? -1
    if (this.options.oneLine) {
      const stderr = text(result['stderr']) ? ` (stderr) ${escapeLines(text(result['stderr']))}` : ''
      return color(`${host} | ${caption} | rc=${String(rc)} | (stdout) ${escapeLines(text(result['stdout']))}${stderr}`)
    }
    const msg = text(result['msg']) || (status === 'failed' ? (event.msg ?? '') : '')
    return color(`${host} | ${caption} | rc=${String(rc)} >>\n${text(result['stdout'])}${text(result['stderr'])}${msg}`)
  }

  /** The minimal callback's indented dump; the oneline callback's compact one. */
  private json(value: Record<string, unknown>): string {
    return this.options.oneLine ? pyJson(value, { sortKeys: true, ensureAscii: false, indent: 0 }).replace(/\n/g, '') : ansibleJson(value, true)
  }

  close(): void {}
}

/** The oneline callback writes a line break as the two characters \n. */
const escapeLines = (value: string): string => value.replace(/\n/g, '\\n').replace(/\r/g, '\\r')
