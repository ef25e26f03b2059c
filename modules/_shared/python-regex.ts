/**
 * Ansible users write Python regular expressions, and lineinfile matches them against
 * bytes. Files are handled here as "binary strings" (latin1: one char per byte), so `.`
 * means one byte as in Python; this module turns Python syntax into a JS RegExp over
 * such strings and expands Python replacement templates (`\1`, `\g<name>`).
 */

/** A UTF-8 string as one char per byte, to match against latin1-decoded file content. */
export function toBinary(text: string): string {
  return Buffer.from(text, 'utf8').toString('latin1')
}

const PY_SPACE = ' \\t\\n\\r\\f\\v'

export function pythonRegex(pattern: string): RegExp {
  let flags = ''
  let body = toBinary(pattern)
  // Python allows global inline flags at the start: (?i), (?s), (?m), (?ims).
  const lead = /^\(\?([aiLmsux]+)\)/.exec(body)
  if (lead) {
    for (const f of lead[1] ?? '') {
      if ('ims'.includes(f)) flags += f
      else if (f === 'x') throw new Error('verbose regular expressions (?x) are not supported')
    }
    body = body.slice(lead[0].length)
  }
  let out = ''
  let inClass = false
  for (let i = 0; i < body.length; i++) {
    const c = body[i] ?? ''
    if (c === '\\') {
      const n = body[i + 1] ?? ''
      i++
      // Python's bytes \s is ASCII whitespace only; JS's would also take byte 0xA0, part of many UTF-8 letters.
      if (n === 's') out += inClass ? PY_SPACE : `[${PY_SPACE}]`
      else if (n === 'S' && !inClass) out += `[^${PY_SPACE}]`
      else if (n === 'A' && !inClass) out += '^'
      else if (n === 'Z' && !inClass) out += '$'
      else out += `\\${n}`
      continue
    }
    if (inClass) {
      if (c === ']') inClass = false
      out += c
      continue
    }
    if (c === '[') {
      inClass = true
      out += c
      // A ']' right after '[' or '[^' is a literal in both dialects.
      if (body[i + 1] === '^') out += body[++i]
      if (body[i + 1] === ']') out += body[++i]
      continue
    }
    if (body.startsWith('(?P<', i)) {
      out += '(?<'
      i += 3
      continue
    }
    const backref = /^\(\?P=(\w+)\)/.exec(body.slice(i))
    if (backref) {
      out += `\\k<${backref[1] ?? ''}>`
      i += backref[0].length - 1
      continue
    }
    out += c
  }
  return new RegExp(out, flags)
}

const ESCAPES: Record<string, string> = { n: '\n', t: '\t', r: '\r', f: '\f', v: '\v', a: '\x07', '\\': '\\' }

/** Python's `match.expand(template)`: `\1`, `\g<1>`, `\g<name>`, and the usual escapes. */
export function expandTemplate(template: string, match: RegExpExecArray): string {
  const group = (ref: string): string => {
    const value = /^\d+$/.test(ref) ? match[Number(ref)] : match.groups?.[ref]
    return value ?? ''
  }
  return template.replace(/\\(g<(\w+)>|\d{1,2}|.)/g, (whole: string, what: string, named: string | undefined) => {
    if (named !== undefined) return group(named)
    if (/^\d/.test(what)) return group(what)
    return ESCAPES[what] ?? whole
  })
}
