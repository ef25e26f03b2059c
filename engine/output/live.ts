/**
 * The live view on a TTY: the plain output, each line printed once as it is final, and below
 * it one redrawn line for the running task: a spinner, how many hosts are done of how many, how
 * long it has run, and the hosts still on it. The scrollback a run leaves is the plain output.
 */
import type { Reporter, RunEvent, TaskRef } from '../events.js'
import { ansi } from './format.js'
import { PlainReporter } from './plain.js'
import { StatusLine } from './status-line.js'

/** The task under way, as far as the events tell. */
interface Progress {
  key: string
  title: string
  /**
   * Hosts expected to report, in play order; a host that reports is added if missing. None for
   * a handler: it runs on the hosts that notified it, which the events do not say.
   */
  hosts: string[] | undefined
  done: Set<string>
  startedAt: number
}

export class LiveReporter implements Reporter {
  private readonly lines: PlainReporter
  private playHosts: string[] = []
  /** Hosts whose last result ended them for this play (a failure not ignored, unreachable). */
  private readonly out = new Set<string>()
  private progress: Progress | undefined

  constructor(
    verbosity: number,
    private readonly status = new StatusLine(),
  ) {
    this.lines = new PlainReporter({ verbosity, palette: ansi, write: (text) => this.status.print(text) })
  }

  handle(event: RunEvent): void {
    if (event.kind === 'play:end' || event.kind === 'recap') this.track(undefined)
    this.lines.handle(event)
    switch (event.kind) {
      case 'play:start':
        this.playHosts = event.hosts
        this.out.clear()
        break
      case 'task:start':
        this.track(startProgress(event.task, this.playHosts.filter((h) => !this.out.has(h))))
        break
      case 'task:result':
        if (event.status === 'failed' || event.status === 'unreachable') {
          if (!event.ignored) this.out.add(event.host)
        } else this.out.delete(event.host)
        this.hostDone(event.task, event.host)
        break
      default:
        break
    }
  }

  close(): void {
    this.status.close()
  }

  private hostDone(task: TaskRef, host: string): void {
    const progress = this.progress
    if (!progress || progress.key !== taskKey(task)) return
    if (progress.hosts && !progress.hosts.includes(host)) progress.hosts.push(host)
    progress.done.add(host)
    this.track(!progress.hosts || progress.done.size < progress.hosts.length ? progress : undefined)
  }

  private track(progress: Progress | undefined): void {
    this.progress = progress
    this.status.show(progress && ((columns) => progressText(progress, columns)))
  }
}

function startProgress(task: TaskRef, hosts: string[]): Progress {
  const title = `${task.handler ? 'RUNNING HANDLER' : 'TASK'} [${task.name}]`
  return { key: taskKey(task), title, hosts: task.handler ? undefined : hosts, done: new Set(), startedAt: Date.now() }
}

/** Results name their task; under the free strategy they may belong to one started earlier. */
function taskKey(task: TaskRef): string {
  return JSON.stringify([task.name, task.handler, task.pos?.file, task.pos?.line, task.pos?.col])
}

/** `TASK [x] 3/30 · 12s · web04 web05 +23 more`, the host names cut to what fits in `columns`. */
function progressText(progress: Progress, columns: number): string {
  const seconds = Math.floor((Date.now() - progress.startedAt) / 1000)
  const { hosts, done } = progress
  const head = `${progress.title} ${hosts ? `${done.size}/${hosts.length}` : `${done.size} done`} · ${seconds}s`
  const running = hosts?.filter((h) => !done.has(h)) ?? []
  if (!running.length) return head
  return `${head} · ${namesThatFit(running, columns - head.length - 3)}`
}

/** As many names as fit in `room` characters, then how many were left out: `web01 web02 +28 more`. */
export function namesThatFit(names: string[], room: number): string {
  const shown: string[] = []
  for (const [i, name] of names.entries()) {
    const left = names.length - i - 1
    const line = [...shown, name].join(' ') + (left ? ` +${left} more` : '')
    if (line.length > room) break
    shown.push(name)
  }
  const left = names.length - shown.length
  return [...shown, ...(left ? [`+${left} more`] : [])].join(' ')
}
