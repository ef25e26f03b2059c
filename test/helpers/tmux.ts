/**
 * A real pseudo-terminal for the tests of the live view: a tmux pane of a given size, driven
 * as a person would (typed commands, Ctrl-C, a resized window), read back as the screen and the
 * scrollback show it. Each pane has its own tmux server, so tests never see each other's panes.
 */
import { execFileSync } from 'node:child_process'

let panes = 0

export class TmuxPane {
  private readonly socket = `tsplay-test-${process.pid}-${++panes}`
  /** Commands typed so far: the output of the last one follows the last of as many BEGIN lines. */
  private typed = 0

  constructor(columns = 80, rows = 40) {
    // A bare shell: no rc files, a prompt that cannot be mistaken for output.
    this.tmux('new-session', '-d', '-x', String(columns), '-y', String(rows), '-s', 'main', 'env -u CI -u NO_COLOR PS1="$ " bash --norc --noprofile')
    this.tmux('set-option', '-g', 'history-limit', '50000')
  }

  /** Types `command` and Enter; its output is framed by BEGIN and `rc=<exit code>` lines. */
  type(command: string): void {
    this.typed++
    this.tmux('send-keys', '-t', 'main', '-l', `echo BEGIN; ${command}; echo rc=$?`)
    this.tmux('send-keys', '-t', 'main', 'Enter')
  }

  keys(...keys: string[]): void {
    this.tmux('send-keys', '-t', 'main', ...keys)
  }

  resize(columns: number, rows: number): void {
    this.tmux('resize-window', '-t', 'main', '-x', String(columns), '-y', String(rows))
  }

  /** The visible screen, one row a line (a wrapped line stays split, as a person sees it). */
  screen(): string[] {
    return this.tmux('capture-pane', '-p', '-t', 'main').split('\n')
  }

  /** Everything printed so far, scrollback included, with the terminal's own wrapping undone. */
  scrollback(options: { escapes?: boolean } = {}): string[] {
    return this.tmux('capture-pane', '-p', '-J', ...(options.escapes ? ['-e'] : []), '-S', '-', '-t', 'main').split('\n')
  }

  /** What the typed command printed (between BEGIN and rc=), once it has ended. */
  output(): { lines: string[]; rc: number | undefined } {
    const all = this.scrollback()
    const begins = all.flatMap((line, i) => (line === 'BEGIN' ? [i] : []))
    const begin = begins.length === this.typed ? (begins.at(-1) as number) : -1
    const end = all.findIndex((line, i) => i > begin && /^rc=\d+$/.test(line))
    if (begin < 0 || end < 0) return { lines: [], rc: undefined }
    return { lines: all.slice(begin + 1, end), rc: Number((all[end] as string).slice(3)) }
  }

  async waitFor(what: string, done: () => boolean, timeoutMs = 60_000): Promise<void> {
    const deadline = Date.now() + timeoutMs
    while (!done()) {
      if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}; the screen:\n${this.scrollback().join('\n')}`)
      await new Promise((r) => setTimeout(r, 100))
    }
  }

  /** Waits for the typed command to end and returns what it printed and its exit code. */
  async finished(timeoutMs = 90_000): Promise<{ lines: string[]; rc: number }> {
    await this.waitFor('the command to end', () => this.output().rc !== undefined, timeoutMs)
    const { lines, rc } = this.output()
    return { lines, rc: rc as number }
  }

  close(): void {
    try {
      this.tmux('kill-server')
    } catch {
      // Already gone.
    }
  }

  private tmux(...args: string[]): string {
    return execFileSync('tmux', ['-L', this.socket, ...args], { encoding: 'utf8' })
  }
}
