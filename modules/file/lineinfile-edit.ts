/**
 * lineinfile's algorithm, a pure function of (file bytes, arguments) -> new bytes,
 * following Ansible's `present()` and `absent()` step by step, so playbooks written for
 * Ansible edit files the same way. Lines are "binary strings" (see python-regex.ts).
 */
import { expandTemplate, pythonRegex, toBinary } from '../_shared/python-regex.js'

export interface LineEditArgs {
  state: 'present' | 'absent'
  line?: string | undefined
  regexp?: string | undefined
  search_string?: string | undefined
  insertafter?: string | undefined
  insertbefore?: string | undefined
  backrefs: boolean
  firstmatch: boolean
}

export interface LineEdit {
  changed: boolean
  msg: string
  content: Buffer
  /** Lines removed (state=absent). */
  found?: number
}

/** Python's readlines(): lines keep their '\n'. */
function readLines(content: Buffer): string[] {
  const text = content.toString('latin1')
  return text === '' ? [] : (text.match(/[^\n]*\n|[^\n]+$/g) ?? [])
}

const stripEol = (l: string): string => l.replace(/[\r\n]+$/, '')
/** Python's `$` matches before a final newline; a JS `$` does so once the newline is gone. */
const forMatch = (l: string): string => (l.endsWith('\n') ? l.slice(0, -1) : l)
const endsWithEol = (l: string | undefined): boolean => l !== undefined && (l.endsWith('\n') || l.endsWith('\r'))

export function editLines(content: Buffer, a: LineEditArgs): LineEdit {
  const lines = readLines(content)
  const done = (changed: boolean, msg: string, extra: Partial<LineEdit> = {}): LineEdit => ({
    changed,
    msg,
    content: Buffer.from(lines.join(''), 'latin1'),
    ...extra,
  })
  return a.state === 'absent' ? absent(lines, a, done) : present(lines, a, done)
}

type Done = (changed: boolean, msg: string, extra?: Partial<LineEdit>) => LineEdit

function present(lines: string[], a: LineEditArgs, done: Done): LineEdit {
  const line = toBinary(a.line ?? '')
  const re = a.regexp !== undefined ? pythonRegex(a.regexp) : undefined
  const search = a.search_string !== undefined ? toBinary(a.search_string) : undefined
  const insertafter = a.insertafter ?? (a.insertbefore === undefined ? 'EOF' : undefined)
  const insertbefore = a.insertbefore
  const insRe =
    insertafter !== undefined && insertafter !== 'BOF' && insertafter !== 'EOF'
      ? pythonRegex(insertafter)
      : insertbefore !== undefined && insertbefore !== 'BOF'
        ? pythonRegex(insertbefore)
        : undefined

  let matchIndex = -1
  let insertIndex = -1
  let match: RegExpExecArray | undefined
  let matched = false

  // 1-2. A regexp or search_string match is replaced; insertafter/before then play no part.
  for (let i = 0; i < lines.length && (re || search !== undefined); i++) {
    const cur = lines[i] ?? ''
    const m = re ? re.exec(forMatch(cur)) : null
    if (m || (search !== undefined && cur.includes(search))) {
      matchIndex = i
      matched = true
      match = m ?? undefined
      if (a.firstmatch) break
    }
  }
  // 3. No match: look for the exact line, and for where to insert it.
  if (!matched) {
    for (let i = 0; i < lines.length; i++) {
      const cur = lines[i] ?? ''
      if (stripEol(cur) === line) {
        matchIndex = i
      } else if (insRe && insRe.exec(forMatch(cur))) {
        insertIndex = insertafter !== undefined ? i + 1 : i
        if (a.firstmatch) break
      }
    }
  }

  if (matchIndex !== -1) {
    let newLine = a.backrefs && match ? expandTemplate(line, match) : line
    if (!newLine.endsWith('\n')) newLine += '\n'
    if (lines[matchIndex] !== newLine) {
      lines[matchIndex] = newLine
      return done(true, 'line replaced')
    }
    return done(false, '')
  }
  // Without a match there is nothing to fill the backreferences from: leave the file alone.
  if (a.backrefs) return done(false, '')
  if (insertbefore === 'BOF' || insertafter === 'BOF') {
    lines.unshift(line + '\n')
    return done(true, 'line added')
  }
  if (insertafter === 'EOF' || insertIndex === -1) {
    if (lines.length && !endsWithEol(lines[lines.length - 1])) lines.push('\n')
    lines.push(line + '\n')
    return done(true, 'line added')
  }
  if (insertafter !== undefined) {
    // The line right after the anchor is already ours: nothing to do.
    if (insertIndex === lines.length) {
      if (stripEol(lines[insertIndex - 1] ?? '') === line) return done(false, '')
      // Ansible appends here without ending an unterminated last line, gluing the two
      // lines together; that is a bug no playbook relies on, so end the line first.
      if (!endsWithEol(lines[lines.length - 1])) lines.push('\n')
      lines.push(line + '\n')
      return done(true, 'line added')
    }
    if (stripEol(lines[insertIndex] ?? '') === line) return done(false, '')
    lines.splice(insertIndex, 0, line + '\n')
    return done(true, 'line added')
  }
  lines.splice(insertIndex, 0, line + '\n')
  return done(true, 'line added')
}

function absent(lines: string[], a: LineEditArgs, done: Done): LineEdit {
  const re = a.regexp !== undefined ? pythonRegex(a.regexp) : undefined
  const search = a.search_string !== undefined ? toBinary(a.search_string) : undefined
  const line = toBinary(a.line ?? '')
  const matches = (cur: string): boolean => {
    if (re) return re.test(forMatch(cur))
    if (search !== undefined) return cur.includes(search)
    return stripEol(cur) === line
  }
  const kept = lines.filter((l) => !matches(l))
  const found = lines.length - kept.length
  lines.splice(0, lines.length, ...kept)
  return done(found > 0, found > 0 ? `${found} line(s) removed` : '', { found })
}
