/**
 * Ansible's `command` expands `$VAR`, `${VAR}` and a leading `~` in each word on the
 * target (expand_argument_vars, on by default), and leaves an unset variable as written.
 * This builds a shell word that does the same: literal text quoted, each variable as
 * `"${VAR-\$VAR}"` (the fallback is the text itself), the tilde unquoted.
 */
import { sh, ShellCommand } from '../../engine/quote.js'

const VARIABLE = /\$(?:([A-Za-z_]\w*)|\{([A-Za-z_]\w*)\})/g
const TILDE = /^~([a-z_][a-z0-9_-]*)?(?=\/|$)/

function concat(parts: readonly ShellCommand[]): ShellCommand {
  return parts.reduce((acc, part) => sh`${acc}${part}`, sh``)
}

export function expandedWord(word: string): ShellCommand {
  const parts: ShellCommand[] = []
  let rest = word
  const tilde = TILDE.exec(rest)
  if (tilde) {
    // A user name matched by TILDE holds no shell syntax, so the text may stand bare.
    parts.push(ShellCommand.raw(tilde[0]))
    rest = rest.slice(tilde[0].length)
  }
  let last = 0
  for (const m of rest.matchAll(VARIABLE)) {
    if (m.index > last) parts.push(sh`${rest.slice(last, m.index)}`)
    const name = m[1] ?? m[2] ?? ''
    // `name` is \w+ only: quote() leaves it bare, so this is `"${NAME-\$NAME}"`.
    parts.push(m[1] !== undefined ? sh`"\${${name}-\\$${name}}"` : sh`"\${${name}-\\\${${name}\\}}"`)
    last = m.index + m[0].length
  }
  if (last < rest.length || parts.length === 0) parts.push(sh`${rest.slice(last)}`)
  return concat(parts)
}
