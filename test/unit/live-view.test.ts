/**
 * The live view's bottom line, drawn on a model of a terminal: which task, how many hosts are
 * done of how many, and which are still on it. (test/integration/live-view.test.ts reads a real
 * terminal; this covers the cases a real run makes slow or racy.)
 */
import { describe, expect, it } from 'vitest'
import type { RunEvent, TaskRef, TaskStatus } from '../../engine/events.js'
import { LiveReporter, namesThatFit } from '../../engine/output/live.js'
import { StatusLine, type TerminalStream } from '../../engine/output/status-line.js'

/** Just enough of a terminal: rows, a cursor row, and the escapes the status line writes. */
class ScreenModel implements TerminalStream {
  rows: string[] = ['']
  private row = 0
  columns = 80

  write(text: string): boolean {
    for (const [token] of text.matchAll(/\r\u001b\[2K|\u001b\[(\d+)A|\u001b\[J|\u001b\[\?25[lh]|\u001b\[[\d;]*m|\r|\n|[^\r\n\u001b]+/g)) {
      if (token === '\r\u001b[2K') this.rows[this.row] = ''
      else if (token === '\n') this.rows[++this.row] ??= ''
      else if (token.endsWith('A')) this.row -= Number(token.slice(2, -1))
      else if (token === '\u001b[J') this.rows.length = this.row + 1
      else if (!token.startsWith('\u001b') && token !== '\r') this.rows[this.row] += token
    }
    return true
  }

  /** The redrawn line, spinner dropped. */
  status(): string {
    return (this.rows[this.row] as string).slice(2)
  }

  on(): this {
    return this
  }

  off(): this {
    return this
  }
}

function live(): { screen: ScreenModel; reporter: LiveReporter } {
  const screen = new ScreenModel()
  const reporter = new LiveReporter(0, new StatusLine(screen, { write: () => true }))
  return { screen, reporter }
}

function task(name: string, handler = false): TaskRef {
  return { name, handler, pos: { file: 'site.yml', line: name.length, col: 7 } }
}

function result(ref: TaskRef, host: string, status: TaskStatus, ignored = false): RunEvent {
  return { kind: 'task:result', task: ref, host, status, ignored, diff: [], result: {}, actions: [], durationMs: 1 }
}

const play: RunEvent = { kind: 'play:start', name: 'all', hosts: ['h1', 'h2', 'h3'], pos: { file: 'site.yml', line: 1, col: 3 } }

describe('the live line', () => {
  it('counts the hosts done and names those still running', () => {
    const { screen, reporter } = live()
    const slow = task('slow')
    for (const e of [play, { kind: 'task:start', task: slow } as RunEvent, result(slow, 'h2', 'changed')]) reporter.handle(e)
    expect(screen.status()).toMatch(/^TASK \[slow\] 1\/3 · \ds · h1 h3$/)
    expect(screen.rows).toContain('changed: [h2]')
    reporter.close()
  })

  it('leaves out of the next task a host that failed, but not one whose failure was ignored', () => {
    const { screen, reporter } = live()
    const first = task('first')
    const second = task('second')
    for (const e of [play, { kind: 'task:start', task: first } as RunEvent, result(first, 'h1', 'failed'), result(first, 'h2', 'failed', true), result(first, 'h3', 'ok')]) reporter.handle(e)
    reporter.handle({ kind: 'task:start', task: second })
    expect(screen.status()).toMatch(/^TASK \[second\] 0\/2 · \ds · h2 h3$/)
    reporter.close()
  })

  it('does not claim to know which hosts run a handler (only those notified do)', () => {
    const { screen, reporter } = live()
    const restart = task('restart', true)
    for (const e of [play, { kind: 'task:start', task: restart } as RunEvent, result(restart, 'h1', 'changed')]) reporter.handle(e)
    expect(screen.status()).toMatch(/^RUNNING HANDLER \[restart\] 1 done · \ds$/)
    reporter.close()
  })

  it('is gone once every host is done, and before the recap', () => {
    const { screen, reporter } = live()
    const one = task('one')
    for (const e of [play, { kind: 'task:start', task: one } as RunEvent, ...['h1', 'h2', 'h3'].map((h) => result(one, h, 'ok'))]) reporter.handle(e)
    expect(screen.rows.at(-1)).toBe('')
    reporter.handle({ kind: 'task:start', task: task('two') })
    reporter.handle({ kind: 'recap', stats: {} })
    reporter.close()
    expect(screen.rows.filter((r) => r.includes('TASK [two] 0/3'))).toEqual([])
    // The recap, its blank line, and the row the cursor is left on.
    expect(screen.rows.slice(-3)).toEqual([expect.stringMatching(/^PLAY RECAP \*+$/), '', ''])
  })

  it('fits a narrow terminal and keeps a task name with a newline on one line', () => {
    const { screen, reporter } = live()
    screen.columns = 30
    reporter.handle(play)
    reporter.handle({ kind: 'task:start', task: task('two\nlines and a long name after them') })
    expect(screen.rows.at(-1)?.length).toBeLessThanOrEqual(29)
    expect(screen.status()).toMatch(/^TASK \[two lines and a long…$/)
    reporter.close()
  })
})

describe('the hosts named on the live line', () => {
  const hosts = Array.from({ length: 30 }, (_, i) => `web${String(i + 1).padStart(2, '0')}`)

  it('are as many as fit, then how many more', () => {
    expect(namesThatFit(hosts, 20)).toBe('web01 web02 +28 more')
    expect(namesThatFit(hosts.slice(0, 3), 20)).toBe('web01 web02 web03')
    expect(namesThatFit(hosts, 5)).toBe('+30 more')
  })

  it('never take more room than given, whatever the room', () => {
    for (let room = 8; room < 200; room++) expect(namesThatFit(hosts, room).length).toBeLessThanOrEqual(room)
  })
})
