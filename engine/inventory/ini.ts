/**
 * Ansible's INI inventory format, read as Ansible's ini plugin reads it: `[group]` host lines,
 * `[group:vars]` key=value lines, `[group:children]` group names; hosts before any section are
 * 'ungrouped'; `#` and `;` start comment lines. A group named in `:children`, or given
 * `:vars`, must be declared by its own section somewhere in the file (Ansible's rule), which
 * catches misspelt group names.
 */
import { InventoryError, type SourcePos } from '../errors.js'
import { pyLiteral } from './literal.js'
import { checkInventoryVar, setKey, type InventoryData } from './model.js'
import { expandHostPattern } from './ranges.js'
import { shlexWords, type ShlexWord } from '../shlex.js'

type State = 'hosts' | 'vars' | 'children'

interface Pending {
  line: number
  state: 'vars' | 'children'
  parents: string[]
}

const SECTION = /^\[([^:\]\s]+)(?::(\w+))?\]\s*(?:#.*)?$/
const GROUP_NAME = /^([^:\]\s]+)\s*(?:#.*)?$/

export function parseIniInventory(text: string, file: string, inv: InventoryData): void {
  const pending = new Map<string, Pending>()
  let group = 'ungrouped'
  let state: State = 'hosts'
  const lines = text.split(/\r\n|\r|\n/)

  lines.forEach((raw, index) => {
    const lineNo = index + 1
    const line = raw.trim()
    const indent = raw.length - raw.trimStart().length
    const at = (col = 1): SourcePos => ({ file, line: lineNo, col: indent + col })
    if (line === '' || line.startsWith('#') || line.startsWith(';')) return

    const section = SECTION.exec(line)
    if (section) {
      group = section[1] ?? ''
      const kind = section[2] ?? 'hosts'
      if (kind !== 'hosts' && kind !== 'vars' && kind !== 'children') {
        throw new InventoryError(`section [${group}:${kind}] has an unknown type '${kind}' (expected children or vars)`, at())
      }
      state = kind
      if (!inv.groups.has(group) && state === 'vars' && !pending.has(group)) {
        pending.set(group, { line: lineNo, state: 'vars', parents: [] })
      }
      inv.addGroup(group)
      // A [group] or [group:children] section declares the group: settle what waited for it.
      const waiting = pending.get(group)
      if (waiting && state !== 'vars') {
        pending.delete(group)
        if (waiting.state === 'children') for (const parent of waiting.parents) inv.addChild(parent, group, at())
      }
      return
    }
    if (line.startsWith('[') && line.endsWith(']')) {
      throw new InventoryError(`invalid section '${line}': a section is [name], [name:vars] or [name:children], with no spaces`, at())
    }

    if (state === 'hosts') parseHostLine(line, group, file, inv, at)
    else if (state === 'vars') {
      const eq = line.indexOf('=')
      const key = eq < 0 ? '' : line.slice(0, eq).trim()
      if (key === '') throw new InventoryError(`expected key=value in [${group}:vars], got '${line}'`, at())
      // Ansible literal_evals :vars values too (8080 is a number), whatever its docs say.
      const text = line.slice(eq + 1).trim()
      const literal = pyLiteral(text)
      inv.setGroupVar(group, key, literal.ok ? literal.value : text, at())
    } else {
      const child = GROUP_NAME.exec(line)?.[1]
      if (child === undefined) throw new InventoryError(`expected a group name in [${group}:children], got '${line}'`, at())
      if (inv.groups.has(child)) {
        inv.addChild(group, child, at())
      } else {
        const waiting = pending.get(child) ?? { line: lineNo, state: 'children', parents: [] }
        waiting.parents.push(group)
        pending.set(child, waiting)
      }
    }
  })

  for (const [name, waiting] of pending) {
    const pos = { file, line: waiting.line, col: 1 }
    if (waiting.state === 'vars') {
      throw new InventoryError(`[${name}:vars] is for a group that is never declared: add a [${name}] section`, pos)
    }
    const parent = waiting.parents[waiting.parents.length - 1] ?? ''
    throw new InventoryError(`[${parent}:children] lists '${name}', which is not a group: add a [${name}] section`, pos)
  }
}

function parseHostLine(line: string, group: string, file: string, inv: InventoryData, at: (col?: number) => SourcePos): void {
  let tokens: ShlexWord[]
  try {
    tokens = shlexWords(line, { comments: true })
  } catch (err) {
    // shlex's reason, as Python words it ('No closing quotation'), continues this sentence.
    const reason = (err as Error).message
    throw new InventoryError(`cannot read host line: ${reason.charAt(0).toLowerCase()}${reason.slice(1)}`, at())
  }
  const [first, ...rest] = tokens
  if (!first) return
  const { names, port } = expandHostPattern(first.text, at(first.col))
  const vars: [string, unknown][] = []
  for (const token of rest) {
    const eq = token.text.indexOf('=')
    if (eq <= 0) throw new InventoryError(`expected key=value after the host name, got '${token.text}'`, at(token.col))
    const key = token.text.slice(0, eq)
    const value = hostValue(token.text.slice(eq + 1), token.quoted.slice(eq + 1))
    checkInventoryVar(key, value, at(token.col))
    vars.push([key, value])
  }
  for (const name of names) {
    const host = inv.addHost(name, group, port, file)
    for (const [key, value] of vars) setKey(host.vars, key, value)
  }
}

/**
 * Host-line values are typed as Python literals (`2222` is a number, `True` a boolean, `[1, 2]`
 * a list). A number, boolean or None the user quoted stays the string written: Ansible would
 * still turn `x="23"` into 23, which surprises everyone. Quoted lists and dicts (`x="[1, 2]"`,
 * the only way to write one with spaces) and quoted Python strings (`x="'a#b'"`, the idiom
 * Ansible's docs give to keep a value as written) read as in Ansible, so such inventories work.
 */
function hostValue(text: string, quoted: boolean[]): unknown {
  const literal = pyLiteral(text)
  if (!literal.ok) return text
  if (!quoted.some(Boolean)) return literal.value
  return typeof literal.value === 'string' || (typeof literal.value === 'object' && literal.value !== null) ? literal.value : text
}
