/**
 * Privileges as data: Ansible's `priv` text (`cattle.*:ALL/mysql.user:SELECT,GRANT`) and the
 * server's SHOW GRANTS lines both become one map, object -> privileges + grant option, so the
 * two compare exactly and the difference becomes the GRANT and REVOKE statements to run.
 */
import { sqlIdent } from '../../engine/facts/mysql-sql.js'

/** A privilege, with its columns for column-level grants (`SELECT (a, b)`). */
export interface Priv {
  name: string
  columns?: string[]
}

export interface ObjectGrants {
  /** Canonical key -> privilege. */
  privs: Map<string, Priv>
  grantOption: boolean
}

/** Keyed by the object as SHOW GRANTS writes it: `*.*`, `` `cattle`.* ``, `` `mysql`.`user` ``. */
export type GrantMap = Map<string, ObjectGrants>

export function privKey(p: Priv): string {
  return p.columns ? `${p.name} (${p.columns.join(', ')})` : p.name
}

export function privSql(p: Priv): string {
  return p.columns ? `${p.name} (${p.columns.map(sqlIdent).join(', ')})` : p.name
}

/** Splits at `sep` where it is outside backticks, single quotes and parentheses. */
export function splitTop(text: string, sep: string): string[] {
  const out: string[] = []
  let depth = 0
  let quote = ''
  let start = 0
  for (let i = 0; i < text.length; i++) {
    const c = text[i] as string
    if (quote) {
      if (c === '\\' && quote === "'") i++
      else if (c === quote) {
        if (text[i + 1] === quote) i++
        else quote = ''
      }
    } else if (c === '`' || c === "'") quote = c
    else if (c === '(') depth++
    else if (c === ')') depth--
    else if (depth === 0 && text.startsWith(sep, i)) {
      out.push(text.slice(start, i))
      start = i + sep.length
      i += sep.length - 1
    }
  }
  out.push(text.slice(start))
  return out
}

/** `` `a``b` `` -> a`b; a bare word stays as it is. */
function unquoteIdent(text: string): string {
  const t = text.trim()
  return t.startsWith('`') && t.endsWith('`') && t.length >= 2 ? t.slice(1, -1).replaceAll('``', '`') : t
}

const ROUTINE = /^(FUNCTION|PROCEDURE|PACKAGE BODY|PACKAGE)\s+/i

/** `db.table` (either part `*`, bare or backtick-quoted; a routine kind may lead) -> the canonical key. */
export function objectKey(text: string): string {
  const trimmed = text.trim()
  const kind = ROUTINE.exec(trimmed)
  const rest = kind ? trimmed.slice(kind[0].length) : trimmed
  const parts = splitTop(rest, '.')
  if (parts.length !== 2) throw new Error(`'${text}' is not db.table (use backticks around a name that holds a dot)`)
  const part = (p: string): string => (p.trim() === '*' ? '*' : sqlIdent(unquoteIdent(p)))
  return `${kind ? `${(kind[1] as string).toUpperCase()} ` : ''}${part(parts[0] as string)}.${part(parts[1] as string)}`
}

/** One privilege as written (`all`, `Select (a,b)`, `REPLICATION CLIENT`). */
export function parsePriv(text: string): Priv {
  const t = text.trim().replace(/\s+/g, ' ')
  const open = t.indexOf('(')
  const name = (open >= 0 ? t.slice(0, open) : t).trim().toUpperCase()
  const canonical = name === 'ALL' ? 'ALL PRIVILEGES' : name
  if (open < 0) return { name: canonical }
  const inner = t.slice(open + 1, t.lastIndexOf(')'))
  const columns = splitTop(inner, ',').map(unquoteIdent).filter((c) => c !== '').sort()
  return { name: canonical, columns }
}

function addPrivs(map: GrantMap, key: string, privs: readonly Priv[], grantOption: boolean): void {
  const entry = map.get(key) ?? { privs: new Map<string, Priv>(), grantOption: false }
  for (const p of privs) if (p.name !== 'USAGE') entry.privs.set(privKey(p), p)
  entry.grantOption ||= grantOption
  if (entry.privs.size || entry.grantOption) map.set(key, entry)
}

/** Ansible's priv text, or its mapping form ({'cattle.*': 'ALL'}). */
export function parsePrivSpec(spec: string | Record<string, unknown>): GrantMap {
  const map: GrantMap = new Map()
  const entries: [string, string][] =
    typeof spec === 'string'
      ? splitTop(spec.trim(), '/')
          .filter((item) => item.trim() !== '')
          .map((item) => {
            const colon = splitTop(item, ':')
            if (colon.length < 2) throw new Error(`priv '${item}' needs the form db.table:PRIV1,PRIV2`)
            return [colon.slice(0, -1).join(':'), colon[colon.length - 1] as string]
          })
      : Object.entries(spec).map(([k, v]) => [k, String(v)])
  for (const [object, list] of entries) {
    const words = splitTop(list, ',').filter((w) => w.trim() !== '')
    const grantOption = words.some((w) => w.trim().toUpperCase() === 'GRANT')
    const privs = words.filter((w) => w.trim().toUpperCase() !== 'GRANT').map(parsePriv)
    const key = objectKey(object)
    addPrivs(map, key, privs, grantOption)
    // `db.*:USAGE` (or `GRANT` alone) still names the object: it is wanted with no privileges.
    if (!map.has(key)) map.set(key, { privs: new Map(), grantOption })
  }
  return map
}

/** SHOW GRANTS lines -> the map; lines that grant roles or PROXY are not object privileges and are left out. */
export function parseShowGrants(lines: readonly string[]): GrantMap {
  const map: GrantMap = new Map()
  for (const line of lines) {
    const [head, ...rest] = splitTop(line.replace(/^GRANT /, ''), ' ON ')
    if (head === undefined || !rest.length) continue
    const [object, ...after] = splitTop(rest.join(' ON '), ' TO ')
    if (object === undefined || !after.length) continue
    const privs = splitTop(head, ',').map(parsePriv)
    if (privs.some((p) => p.name === 'PROXY')) continue
    const tail = after.join(' TO ').replace(/'(?:[^'\\]|\\.|'')*'|`(?:[^`]|``)*`/g, '')
    addPrivs(map, objectKey(object), privs, /\bWITH\b.*\bGRANT OPTION\b/.test(tail))
  }
  return map
}

export interface GrantChange {
  object: string
  revoke: Priv[]
  grant: Priv[]
  revokeGrantOption: boolean
  grantGrantOption: boolean
}

/** What must change to go from `current` to `wanted`; with append, nothing is revoked. */
export function grantChanges(current: GrantMap, wanted: GrantMap, append: boolean): GrantChange[] {
  const changes: GrantChange[] = []
  const objects = [...new Set([...current.keys(), ...wanted.keys()])]
  for (const object of objects) {
    const cur = current.get(object)
    const want = wanted.get(object)
    if (append && !want) continue
    const has = cur?.privs ?? new Map<string, Priv>()
    const wants = want?.privs ?? new Map<string, Priv>()
    const change: GrantChange = {
      object,
      revoke: append ? [] : [...has.entries()].filter(([k]) => !wants.has(k)).map(([, p]) => p),
      grant: [...wants.entries()].filter(([k]) => !has.has(k)).map(([, p]) => p),
      revokeGrantOption: !append && Boolean(cur?.grantOption) && !want?.grantOption,
      grantGrantOption: Boolean(want?.grantOption) && !cur?.grantOption,
    }
    if (change.revoke.length || change.grant.length || change.revokeGrantOption || change.grantGrantOption) changes.push(change)
  }
  return changes
}

/** The statements for the changes, revokes before grants (ALL replacing SELECT must not be undone). */
export function grantStatements(changes: readonly GrantChange[], account: string): string[] {
  const out: string[] = []
  for (const c of changes) {
    if (c.revoke.length) out.push(`REVOKE ${c.revoke.map(privSql).join(', ')} ON ${c.object} FROM ${account}`)
    if (c.revokeGrantOption) out.push(`REVOKE GRANT OPTION ON ${c.object} FROM ${account}`)
  }
  for (const c of changes) {
    if (c.grant.length || c.grantGrantOption) {
      const privs = c.grant.length ? c.grant.map(privSql).join(', ') : 'USAGE'
      out.push(`GRANT ${privs} ON ${c.object} TO ${account}${c.grantGrantOption ? ' WITH GRANT OPTION' : ''}`)
    }
  }
  return out
}

/** The grants after the changes (for the diff and for check mode). */
export function applyChanges(current: GrantMap, changes: readonly GrantChange[]): GrantMap {
  const out: GrantMap = new Map([...current].map(([k, v]) => [k, { privs: new Map(v.privs), grantOption: v.grantOption }]))
  for (const c of changes) {
    const entry = out.get(c.object) ?? { privs: new Map<string, Priv>(), grantOption: false }
    for (const p of c.revoke) entry.privs.delete(privKey(p))
    for (const p of c.grant) entry.privs.set(privKey(p), p)
    if (c.revokeGrantOption) entry.grantOption = false
    if (c.grantGrantOption) entry.grantOption = true
    if (entry.privs.size || entry.grantOption) out.set(c.object, entry)
    else out.delete(c.object)
  }
  return out
}

/** One line per object, sorted: what --diff compares. */
export function grantLines(map: GrantMap): string {
  return [...map.entries()]
    .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))
    .map(([object, g]) => `grant ${object}: ${[...g.privs.keys()].sort().join(', ') || 'USAGE'}${g.grantOption ? ' WITH GRANT OPTION' : ''}\n`)
    .join('')
}
