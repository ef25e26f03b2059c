/** Plain lines, as ansible-playbook prints them: for pipes, CI logs, and -v. */
import { basename } from 'node:path'
import type { Reporter, RunEvent } from '../events.js'
import { banner, noColor, recapLines, renderDiff, resultLine, type Palette } from './format.js'

export interface PlainOptions {
  verbosity: number
  write?: (text: string) => void
  palette?: Palette
}

export class PlainReporter implements Reporter {
  private readonly write: (text: string) => void
  private readonly palette: Palette

  constructor(private readonly options: PlainOptions) {
    this.write = options.write ?? ((text) => process.stdout.write(text + '\n'))
    this.palette = options.palette ?? noColor
  }

  handle(event: RunEvent): void {
    const v = this.options.verbosity
    switch (event.kind) {
      case 'playbook:start':
        // ansible-playbook -vv: the default callback's banner, then the playbook executor's count.
        if (v >= 2) this.write(`\n${banner(`PLAYBOOK: ${basename(event.file)}`)}\n${event.plays} plays in ${event.named}`)
        break
      case 'play:start':
        this.write(`\n${banner('PLAY', event.name)}`)
        break
      case 'no-hosts':
        this.write(`skipping: no hosts matched '${event.pattern}'`)
        break
      case 'task:start':
        this.write(`\n${banner(event.task.handler ? 'RUNNING HANDLER' : 'TASK', event.task.name)}`)
        if (v >= 2 && event.task.pos) this.write(this.palette.dim(`task path: ${event.task.pos.file}:${event.task.pos.line}`))
        break
      case 'task:item':
        for (const d of event.result.diff) this.write(renderDiff(d, this.palette))
        this.write(resultLine(event.result, v, this.palette))
        break
      case 'task:result':
        // A loop's items were printed one by one; its summary line only matters when it failed.
        if ('results' in event.result && event.status !== 'failed' && event.status !== 'unreachable') break
        for (const d of event.diff) this.write(renderDiff(d, this.palette))
        if (v >= 1) for (const a of event.actions) this.write(this.palette.dim(`  ${a}`))
        this.write(resultLine(event, v, this.palette))
        break
      case 'warning':
        process.stderr.write(`[WARNING]: ${event.message}\n`)
        break
      case 'log':
        if (v >= event.level) this.write(this.palette.dim(event.message))
        break
      case 'recap':
        if (event.aborted && event.aborted !== 'no hosts left') this.write(`\n${this.palette.failed(`PLAY STOPPED: ${event.aborted}`)}`)
        this.write(`\n${banner('PLAY RECAP')}`)
        for (const line of recapLines(event.stats, this.palette)) this.write(line)
        this.write('')
        break
      default:
        break
    }
  }

  close(): void {}
}
