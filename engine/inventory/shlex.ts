/**
 * Splits an INI host line as Python's shlex.split(line, comments=True) does (Ansible's
 * tokenizer): whitespace separates, '…' and "…" quote, a backslash escapes, '#' starts a
 * comment even inside a word. Each character remembers whether it was quoted or escaped, so
 * that `x="23"` can stay the string the user quoted.
 */

export interface ShlexToken {
  text: string
  /** One flag per character of `text`. */
  quoted: boolean[]
  /** 1-based column of the token's first character. */
  col: number
}

const SPACE = new Set([' ', '\t', '\r', '\n', '\f', '\v'])

export function shlexSplit(line: string): ShlexToken[] {
  const tokens: ShlexToken[] = []
  let current: ShlexToken | undefined
  const token = (at: number): ShlexToken => (current ??= { text: '', quoted: [], col: at + 1 })
  const add = (t: ShlexToken, ch: string, quoted: boolean): void => {
    t.text += ch
    t.quoted.push(quoted)
  }

  let i = 0
  while (i < line.length) {
    const ch = line.charAt(i)
    if (SPACE.has(ch)) {
      if (current) tokens.push(current)
      current = undefined
      i++
      continue
    }
    if (ch === '#') break
    const t = token(i)
    if (ch === "'") {
      const end = line.indexOf("'", i + 1)
      if (end < 0) throw new Error('no closing quotation')
      for (const c of line.slice(i + 1, end)) add(t, c, true)
      i = end + 1
    } else if (ch === '"') {
      i++
      for (;;) {
        if (i >= line.length) throw new Error('no closing quotation')
        const c = line.charAt(i)
        if (c === '"') break
        // Inside double quotes a backslash escapes only '"' and '\' (POSIX shell rules).
        const next = line.charAt(i + 1)
        if (c === '\\' && (next === '"' || next === '\\')) {
          add(t, next, true)
          i += 2
        } else {
          add(t, c, true)
          i++
        }
      }
      i++
    } else if (ch === '\\') {
      if (i + 1 >= line.length) throw new Error('no escaped character after the final backslash')
      add(t, line.charAt(i + 1), true)
      i += 2
    } else {
      add(t, ch, false)
      i++
    }
  }
  if (current) tokens.push(current)
  return tokens
}
