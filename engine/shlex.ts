/**
 * Splits text into words as Python's shlex.split (POSIX mode) does, which is how Ansible reads
 * a command's free-form text (`command`, the `creates=` words of `shell`) and, with `comments`,
 * an INI host line: whitespace separates words, '…' keeps everything, "…" keeps everything but
 * `\"` and `\\`, a backslash outside quotes keeps the next character, and with `comments` a '#'
 * outside quotes ends the line, even inside a word. No globbing, no variables. Each character
 * remembers whether it was quoted or escaped, so that an inventory's `x="23"` can stay the
 * string the user quoted.
 */

export interface ShlexWord {
  text: string
  /** One flag per character of `text`: quoted or escaped. */
  quoted: boolean[]
  /** 1-based column of the word's first character (for the inventory's error positions). */
  col: number
  /** Offsets of the word in the text, `end` exclusive (for cutting `creates=...` out of shell text). */
  start: number
  end: number
}

export class ShlexError extends Error {
  override name = 'ShlexError'
}

/** ASCII whitespace only: a no-break space stays inside a word, as in Python's shlex. */
const SPACE = new Set([' ', '\t', '\r', '\n', '\f', '\v'])

/** Python's shlex.split(text): the words alone. */
export function shlexSplit(text: string): string[] {
  return shlexWords(text).map((w) => w.text)
}

export function shlexWords(text: string, options: { comments?: boolean } = {}): ShlexWord[] {
  const comments = options.comments ?? false
  const words: ShlexWord[] = []
  let i = 0
  for (;;) {
    while (i < text.length && SPACE.has(text.charAt(i))) i++
    if (i >= text.length || (comments && text.charAt(i) === '#')) break
    const word: ShlexWord = { text: '', quoted: [], col: i + 1, start: i, end: i }
    i = readWord(text, i, word, comments)
    word.end = i
    words.push(word)
  }
  return words
}

/** Reads one word from `i` into `word`; returns where it ended (a space, a comment or the end). */
function readWord(text: string, i: number, word: ShlexWord, comments: boolean): number {
  const add = (ch: string, quoted: boolean): void => {
    word.text += ch
    word.quoted.push(quoted)
  }
  while (i < text.length) {
    const ch = text.charAt(i)
    if (SPACE.has(ch) || (comments && ch === '#')) break
    if (ch === "'") {
      const end = text.indexOf("'", i + 1)
      if (end < 0) throw new ShlexError('No closing quotation')
      for (const c of text.slice(i + 1, end)) add(c, true)
      i = end + 1
    } else if (ch === '"') {
      i++
      for (;;) {
        if (i >= text.length) throw new ShlexError('No closing quotation')
        const c = text.charAt(i)
        if (c === '"') break
        // Inside double quotes a backslash escapes only '"' and '\' (POSIX shell rules).
        const next = text.charAt(i + 1)
        if (c === '\\' && (next === '"' || next === '\\')) {
          add(next, true)
          i += 2
        } else {
          add(c, true)
          i++
        }
      }
      i++
    } else if (ch === '\\') {
      if (i + 1 >= text.length) throw new ShlexError('No escaped character after the final backslash')
      add(text.charAt(i + 1), true)
      i += 2
    } else {
      add(ch, false)
      i++
    }
  }
  return i
}
