/**
 * One line at the bottom of a terminal, redrawn in place, with finished lines printed above it
 * once (as a package manager shows its progress). The line is cut to the terminal's width, so it
 * never wraps and a redraw always wipes all of it; the lines above wrap as the terminal likes.
 *
 * Writes to stderr (warnings, the Ctrl-C notice) land on the same screen: while the line is
 * shown, they go through `print` too, or they would be written into the middle of it and leave
 * a stale copy of it behind.
 */

const ESC = '\u001b['
const CLEAR_LINE = `\r${ESC}2K`
const HIDE_CURSOR = `${ESC}?25l`
const SHOW_CURSOR = `${ESC}?25h`
const SPINNER = ['⠋', '⠙', '⠹', '⠸', '⠼', '⠴', '⠦', '⠧', '⠇', '⠏']
const FRAME_MS = 100

/** Draws the line's text for a width of `columns` characters (the spinner is added before it). */
export type StatusText = (columns: number) => string

export interface TerminalStream {
  write(text: string): boolean
  columns?: number
  getWindowSize?(): [number, number]
  on(event: 'resize', listener: () => void): unknown
  off(event: 'resize', listener: () => void): unknown
}

export class StatusLine {
  private text: StatusText | undefined
  private frame = 0
  private timer: NodeJS.Timeout | undefined
  private readonly stderrWrite: typeof process.stderr.write
  /** Characters of the line as last drawn: after a resize, the rows it now covers. */
  private drawn = 0
  /** The line as last drawn without its spinner glyph, and the width it was drawn for. */
  private drawnText = ''
  private drawnColumns = 0
  private readonly redraw = (): void => this.draw()
  private readonly leave = (): void => {
    this.wipe()
    this.out.write(SHOW_CURSOR)
  }

  constructor(
    private readonly out: TerminalStream = process.stdout,
    private readonly err: Pick<NodeJS.WriteStream, 'write'> = process.stderr,
  ) {
    this.stderrWrite = err.write
    err.write = ((chunk: string | Uint8Array, ...rest: never[]) => {
      this.printRaw(() => this.stderrWrite.call(err, chunk, ...rest))
      return true
    }) as typeof err.write
    // SIGWINCH: the width changed, so the line is cut anew.
    out.on('resize', this.redraw)
    // A second Ctrl-C ends the process at once: no stale line, and the cursor shown again.
    process.on('exit', this.leave)
    out.write(HIDE_CURSOR)
  }

  /** Prints finished lines above the status line, once. */
  print(text: string): void {
    this.printRaw(() => this.out.write(text + '\n'))
  }

  /** Shows `text` as the status line (a spinner turns before it); undefined hides it. */
  show(text: StatusText | undefined): void {
    this.text = text
    if (text && !this.timer) {
      this.timer = setInterval(() => this.turnSpinner(), FRAME_MS)
      this.timer.unref()
    }
    if (!text && this.timer) {
      clearInterval(this.timer)
      this.timer = undefined
    }
    this.draw()
  }

  /** Removes the line and gives the terminal back as it was. */
  close(): void {
    this.show(undefined)
    this.err.write = this.stderrWrite
    this.out.off('resize', this.redraw)
    process.off('exit', this.leave)
    this.out.write(SHOW_CURSOR)
  }

  private printRaw(write: () => void): void {
    this.wipe()
    write()
    this.draw()
  }

  private draw(): void {
    this.wipe()
    const columns = this.columns()
    const line = this.line(columns)
    this.out.write(line)
    this.drawn = Array.from(line).length
    this.drawnText = line.slice(1)
    this.drawnColumns = columns
  }

  /**
   * A frame of the spinner rewrites only its glyph while the text and width stay the same. A
   * whole line written for the old width that the terminal reads after it has rewrapped the
   * screen for a new one erases one row of the rewrapped old line and leaves the rest behind;
   * rewriting a glyph, not the line, ten times a second makes that window rare.
   */
  private turnSpinner(): void {
    this.frame = (this.frame + 1) % SPINNER.length
    const columns = this.columns()
    const line = this.line(columns)
    if (columns !== this.drawnColumns || line.slice(1) !== this.drawnText || this.drawn < 2) return this.draw()
    // Back to the line's end, where a full draw leaves the cursor and a wipe expects it.
    this.out.write(`\r${SPINNER[this.frame]}${ESC}${this.drawn - 1}C`)
  }

  /** The line for `columns`: the last column is left free, as a line filling it makes some terminals wrap at once. */
  private line(columns: number): string {
    return this.text ? fit(`${SPINNER[this.frame]} ${this.text(columns - 3)}`, columns - 1) : ''
  }

  /**
   * Erases the line. A terminal made narrower rewraps the line drawn for the old width over
   * several rows (tmux, VTE, iTerm2 and kitty do), the cursor on the last: erase from the first.
   */
  private wipe(): void {
    const rows = Math.ceil(this.drawn / this.columns())
    this.out.write(rows > 1 ? `\r${ESC}${rows - 1}A${ESC}J` : CLEAR_LINE)
    this.drawn = 0
  }

  /** Asked of the terminal each time: the spinner may draw before Node has seen the SIGWINCH. */
  private columns(): number {
    return this.out.getWindowSize?.()[0] || this.out.columns || 80
  }
}

/** Cuts `text` to `columns` characters (by code point: the names shown are mostly ASCII). */
function fit(text: string, columns: number): string {
  const chars = Array.from(text.replace(/[\u0000-\u001f\u007f-\u009f]/g, ' '))
  if (chars.length <= columns) return chars.join('')
  return chars.slice(0, Math.max(0, columns - 1)).join('') + '…'
}
