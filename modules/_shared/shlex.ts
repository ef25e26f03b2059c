/**
 * Splits command text into words the way Python's `shlex.split` (POSIX mode) does,
 * which is how Ansible's `command` module reads its free-form text: whitespace separates
 * words, single quotes keep everything, double quotes keep everything but `\"` and `\\`,
 * a backslash outside quotes keeps the next character. No globbing, no variables.
 */

export interface Word {
  value: string
  /** Where the word starts and ends in the text (for cutting `creates=...` out of shell text). */
  start: number
  end: number
}

export class ShlexError extends Error {
  override name = 'ShlexError'
}

const SPACE = /\s/

export function shlexWords(text: string): Word[] {
  const words: Word[] = []
  let i = 0
  while (i < text.length) {
    while (i < text.length && SPACE.test(text[i] ?? '')) i++
    if (i >= text.length) break
    const start = i
    let value = ''
    while (i < text.length && !SPACE.test(text[i] ?? '')) {
      const c = text[i] ?? ''
      if (c === "'") {
        const close = text.indexOf("'", i + 1)
        if (close === -1) throw new ShlexError('No closing quotation')
        value += text.slice(i + 1, close)
        i = close + 1
      } else if (c === '"') {
        i++
        for (;;) {
          if (i >= text.length) throw new ShlexError('No closing quotation')
          const d = text[i] ?? ''
          if (d === '"') break
          if (d === '\\' && (text[i + 1] === '"' || text[i + 1] === '\\')) {
            value += text[i + 1]
            i += 2
          } else {
            value += d
            i++
          }
        }
        i++
      } else if (c === '\\') {
        if (i + 1 >= text.length) throw new ShlexError('No escaped character')
        value += text[i + 1]
        i += 2
      } else {
        value += c
        i++
      }
    }
    words.push({ value, start, end: i })
  }
  return words
}

export function shlexSplit(text: string): string[] {
  return shlexWords(text).map((w) => w.value)
}
