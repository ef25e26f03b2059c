/**
 * Splits a Jinja2 template into text, `{{ }}` and `{% %}` chunks, applying whitespace control
 * (`{%-`, `-%}`, `{%+`, `+%}`), trim_blocks and lstrip_blocks, dropping comments and keeping
 * `{% raw %}` text as it is. Offsets point into the whole source, for error positions.
 */
import { ExprFailure } from '../values.js'
import type { JinjaSettings } from './settings.js'

export type Chunk =
  | { kind: 'text'; text: string; at: number }
  /** The inside of a `{{ }}` or `{% %}`: source.slice(start, end). */
  | { kind: 'var' | 'block'; start: number; end: number; at: number }

type Kind = 'var' | 'block' | 'comment'

/** A line statement or line comment found (Jinja's linestatement_begin / linecomment_begin). */
type LineTag = { kind: 'line-block' | 'line-comment'; at: number; start: number }

const escapeRegExp = (text: string): string => text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')

const RAW = /^\s*raw\s*$/
const END_RAW = /^\s*endraw\s*$/

/** The offset of the quote closing the string literal that opens at `i`. */
export function stringEnd(text: string, i: number): number {
  const quote = text[i]
  let j = i + 1
  while (j < text.length && text[j] !== quote) j += text[j] === '\\' ? 2 : 1
  if (j >= text.length) throw new ExprFailure('unterminated string', i)
  return j
}

/** Where the end delimiter closing a tag starts, skipping strings and nested brackets. */
function tagEnd(text: string, from: number, close: string): number {
  let depth = 0
  for (let i = from; i < text.length; i++) {
    const c = text[i]
    if (depth === 0 && text.startsWith(close, i)) return i
    if (c === '"' || c === "'") {
      i = stringEnd(text, i)
    } else if (c === '(' || c === '[' || c === '{') {
      depth++
    } else if ((c === ')' || c === ']' || c === '}') && depth > 0) {
      depth--
    }
  }
  return -1
}

class Scanner {
  private readonly chunks: Chunk[] = []
  private pending = ''
  private pendingAt = 0

  /** Jinja's patterns: a statement prefix after a line's blanks; a comment prefix and the blanks before it. */
  private readonly lineStatement?: RegExp
  private readonly lineComment?: RegExp

  constructor(
    private readonly source: string,
    private readonly s: JinjaSettings,
  ) {
    if (s.lineStatementPrefix) this.lineStatement = new RegExp(`^[ \\t\\v]*${escapeRegExp(s.lineStatementPrefix)}`, 'gm')
    if (s.lineCommentPrefix) this.lineComment = new RegExp(`[^\\S\\r\\n]*${escapeRegExp(s.lineCommentPrefix)}`, 'g')
  }

  /** The first line statement or line comment at or after `from`. */
  private nextLineTag(from: number): LineTag | undefined {
    let best: LineTag | undefined
    for (const [pattern, kind] of [[this.lineStatement, 'line-block'], [this.lineComment, 'line-comment']] as const) {
      if (!pattern) continue
      pattern.lastIndex = from
      const found = pattern.exec(this.source)
      if (found && (!best || found.index < best.at)) best = { kind, at: found.index, start: found.index + found[0].length }
    }
    return best
  }

  /** The text of a line tag runs to the line's end; a statement's line break goes with it, a comment's stays. */
  private lineTag(tag: LineTag): number {
    const eol = this.source.indexOf('\n', tag.start)
    const end = eol < 0 ? this.source.length : eol
    if (tag.kind === 'line-comment') return end
    this.flush()
    this.chunks.push({ kind: 'block', start: tag.start, end: this.source[end - 1] === '\r' ? end - 1 : end, at: tag.at })
    return eol < 0 ? end : eol + 1
  }

  private text(text: string, at: number): void {
    if (!this.pending) this.pendingAt = at
    this.pending += text
  }

  private flush(): void {
    const text = this.s.newlineSequence === '\n' ? this.pending : this.pending.replace(/\r\n|\r|\n/g, this.s.newlineSequence)
    if (text) this.chunks.push({ kind: 'text', text, at: this.pendingAt })
    this.pending = ''
  }

  private nextOpen(from: number): { at: number; kind: Kind } | undefined {
    let best: { at: number; kind: Kind } | undefined
    const opens: [string, Kind][] = [[this.s.variableStart, 'var'], [this.s.blockStart, 'block'], [this.s.commentStart, 'comment']]
    for (const [open, kind] of opens) {
      const at = this.source.indexOf(open, from)
      if (at >= 0 && (!best || at < best.at)) best = { at, kind }
    }
    return best
  }

  /** Whitespace before a tag: `-` strips all of it; lstrip_blocks strips the tag's line indent. */
  private stripBefore(kind: Kind, marker: string | undefined): void {
    if (marker === '-') this.pending = this.pending.trimEnd()
    else if (marker !== '+' && kind !== 'var' && this.s.lstripBlocks) {
      const indent = /(^|\n)[ \t]+$/.exec(this.pending)
      if (indent && (indent[1] || this.pendingStartsLine())) this.pending = this.pending.slice(0, indent.index + indent[1]!.length)
    }
  }

  /** Pending text that is all indent starts a line if the source has a newline (or nothing) before it. */
  private pendingStartsLine(): boolean {
    return this.pendingAt === 0 || this.source[this.pendingAt - 1] === '\n'
  }

  /** Whitespace after a tag: `-` skips all of it; trim_blocks skips one newline after `%}`/`#}`. */
  private skipAfter(kind: Kind, marker: string | undefined, from: number): number {
    if (marker === '-') {
      let i = from
      while (i < this.source.length && /\s/.test(this.source[i] as string)) i++
      return i
    }
    if (kind !== 'var' && marker !== '+' && this.s.trimBlocks) {
      if (this.source.startsWith('\r\n', from)) return from + 2
      if (this.source[from] === '\n') return from + 1
    }
    return from
  }

  run(): Chunk[] {
    const src = this.source
    let pos = 0
    for (;;) {
      const open = this.nextOpen(pos)
      const line = this.lineStatement || this.lineComment ? this.nextLineTag(pos) : undefined
      if (line && (!open || line.at < open.at)) {
        this.text(src.slice(pos, line.at), pos)
        pos = this.lineTag(line)
        continue
      }
      if (!open) break
      this.text(src.slice(pos, open.at), pos)
      const openLen = open.kind === 'var' ? this.s.variableStart.length : open.kind === 'block' ? this.s.blockStart.length : this.s.commentStart.length
      const close = open.kind === 'var' ? this.s.variableEnd : open.kind === 'block' ? this.s.blockEnd : this.s.commentEnd
      const before = src[open.at + openLen]
      const markerBefore = before === '-' || (before === '+' && open.kind !== 'var') ? before : undefined
      const start = open.at + openLen + (markerBefore ? 1 : 0)
      const end = open.kind === 'comment' ? src.indexOf(close, start) : tagEnd(src, start, close)
      if (end < 0) throw new ExprFailure(`'${src.slice(open.at, open.at + openLen)}' is not closed by '${close}'`, open.at)
      const after = src[end - 1]
      const markerAfter = end - 1 >= start && (after === '-' || (after === '+' && open.kind !== 'var')) ? after : undefined
      const innerEnd = markerAfter ? end - 1 : end
      this.stripBefore(open.kind, markerBefore)
      pos = this.skipAfter(open.kind, markerAfter, end + close.length)
      if (open.kind === 'comment') continue
      if (open.kind === 'block' && RAW.test(src.slice(start, innerEnd))) {
        pos = this.raw(pos)
        continue
      }
      this.flush()
      this.chunks.push({ kind: open.kind, start, end: innerEnd, at: open.at })
    }
    this.text(src.slice(pos), pos)
    this.flush()
    return this.chunks
  }

  /** `{% raw %}...{% endraw %}`: the text between is output as written. */
  private raw(from: number): number {
    const src = this.source
    let search = from
    for (;;) {
      const at = src.indexOf(this.s.blockStart, search)
      if (at < 0) throw new ExprFailure("'{% raw %}' is not closed by '{% endraw %}'", from)
      const openLen = this.s.blockStart.length
      const markerBefore = src[at + openLen] === '-' ? '-' : undefined
      const start = at + openLen + (markerBefore ? 1 : 0)
      const end = src.indexOf(this.s.blockEnd, start)
      const markerAfter = end > start && (src[end - 1] === '-' || src[end - 1] === '+') ? src[end - 1] : undefined
      if (end >= 0 && END_RAW.test(src.slice(start, markerAfter ? end - 1 : end))) {
        this.text(src.slice(from, at), from)
        this.stripBefore('block', markerBefore)
        return this.skipAfter('block', markerAfter, end + this.s.blockEnd.length)
      }
      search = at + openLen
    }
  }
}

/** Jinja's keep_trailing_newline off: one line break at the very end of a template is dropped. */
export function scan(source: string, settings: JinjaSettings): Chunk[] {
  const trailing = settings.keepTrailingNewline ? null : /(\r\n|\r|\n)$/.exec(source)
  return new Scanner(trailing ? source.slice(0, trailing.index) : source, settings).run()
}
