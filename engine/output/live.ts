/**
 * The live view on a TTY, drawn by listr2: one spinner line per running task, with each
 * host's result below it as it arrives, then the task's final mark (✔ or ✖).
 * Tasks are drawn one after another, so the scrollback reads like the plain output.
 */
import { Listr } from 'listr2'
import type { Reporter, RunEvent } from '../events.js'
import { ansi, banner, recapLines, renderDiff, resultLine } from './format.js'

/** The part of listr2's task wrapper we use. */
interface TaskHandle {
  output: string
}

interface Current {
  lines: string[]
  failures: string[]
  wrapper?: TaskHandle
  finish(): void
}

export class LiveReporter implements Reporter {
  private chain: Promise<void> = Promise.resolve()
  private current: Current | undefined

  constructor(private readonly verbosity: number) {}

  handle(event: RunEvent): void {
    switch (event.kind) {
      case 'play:start':
        this.endTask()
        this.print(`\n${banner('PLAY', event.name)}`)
        break
      case 'no-hosts':
        this.print(`skipping: no hosts matched '${event.pattern}'`)
        break
      case 'task:start':
        this.endTask()
        this.startTask(`${event.task.handler ? 'HANDLER' : 'TASK'} [${event.task.name}]`)
        break
      case 'task:item':
      case 'task:result': {
        const result = event.kind === 'task:item' ? event.result : event
        if (event.kind === 'task:result' && 'results' in result.result && result.status !== 'failed') break
        const lines = [...result.diff.map((d) => renderDiff(d, ansi)), resultLine(result, this.verbosity, ansi)]
        if (result.status === 'failed' && !result.ignored) this.current?.failures.push(result.host)
        this.addLines(lines)
        break
      }
      case 'log':
        if (this.verbosity >= event.level) this.addLines([ansi.dim(event.message)])
        break
      case 'warning':
        this.addLines([ansi.failed(`[WARNING]: ${event.message}`)])
        break
      case 'recap':
        this.endTask()
        if (event.aborted && event.aborted !== 'no hosts left') this.print(`\n${ansi.failed(`PLAY STOPPED: ${event.aborted}`)}`)
        this.print(`\n${banner('PLAY RECAP', '').replace(' [] ', ' ')}\n${recapLines(event.stats, ansi).join('\n')}\n`)
        break
      default:
        break
    }
  }

  async close(): Promise<void> {
    this.endTask()
    await this.chain
  }

  private print(text: string): void {
    this.chain = this.chain.then(() => {
      process.stdout.write(text + '\n')
    })
  }

  private addLines(lines: string[]): void {
    if (!this.current) {
      for (const line of lines) this.print(line)
      return
    }
    this.current.lines.push(...lines)
    if (this.current.wrapper) this.current.wrapper.output = this.current.lines.join('\n')
  }

  private startTask(title: string): void {
    let finish = (): void => {}
    const done = new Promise<void>((resolve) => (finish = resolve))
    const current: Current = { lines: [], failures: [], finish: () => finish() }
    this.current = current
    const list = new Listr(
      [
        {
          title,
          task: async (_ctx, wrapper) => {
            current.wrapper = wrapper
            if (current.lines.length) wrapper.output = current.lines.join('\n')
            await done
            if (current.failures.length) throw new Error(`failed on ${current.failures.join(', ')}`)
          },
          rendererOptions: { persistentOutput: true, outputBar: Infinity },
        },
      ],
      { exitOnError: false, rendererOptions: { collapseErrors: false } },
    )
    this.chain = this.chain.then(() => list.run().then(() => undefined, () => undefined))
  }

  private endTask(): void {
    this.current?.finish()
    this.current = undefined
  }
}
