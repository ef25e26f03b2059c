/** Filters over controller paths that read the system: splitext, expanduser, realpath (as Python's posixpath). */
import { realpathSync } from 'node:fs'
import { homedir } from 'node:os'
import { basename, dirname, relative, resolve } from 'node:path'
import { toStr, tuple } from './python.js'
import { needString, params, type FilterFn } from './types.js'

/** posixpath.splitext: the last dot of the last component, unless the component's dots all lead. */
function splitext(p: string): [string, string] {
  const name = p.slice(p.lastIndexOf('/') + 1)
  const dot = name.lastIndexOf('.')
  if (dot <= 0 || /^\.+$/.test(name.slice(0, dot + 1))) return [p, '']
  const cut = p.length - name.length + dot
  return [p.slice(0, cut), p.slice(cut)]
}

/** Only `~` and `~/...` (the current user); `~other` stays as written, as Python leaves an unknown user. */
function expanduser(p: string): string {
  if (p !== '~' && !p.startsWith('~/')) return p
  const home = process.env['HOME'] ?? homedir()
  return (home.replace(/\/+$/, '') || '/') + p.slice(1)
}

/** os.path.realpath (non-strict): links resolved as far as the path exists, the rest joined lexically. */
function realpath(p: string): string {
  const full = resolve(p)
  try {
    return realpathSync(full)
  } catch {
    const parent = dirname(full)
    return parent === full ? full : resolve(realpath(parent), basename(full))
  }
}

/** posixpath.expandvars: `$NAME` and `${NAME}` from the controller's environment; unknown names stay. */
function expandvars(p: string): string {
  return p.replace(/\$(\w+|\{[^}]*\})/g, (whole, name: string) => {
    const key = name.startsWith('{') ? name.slice(1, -1) : name
    return process.env[key] ?? whole
  })
}

const pathFilter = (fn: (p: string) => unknown): FilterFn => (input, call, ctx) => (params(call, [], ctx), fn(needString(input, `the input of '${ctx.name}'`)))

export const PATH_FILTERS: Record<string, FilterFn> = {
  splitext: pathFilter((p) => tuple(splitext(p))),
  expanduser: pathFilter(expanduser),
  realpath: pathFilter(realpath),
  expandvars: pathFilter(expandvars),
  /** os.path.relpath: from `start` (the working directory by default); '.' for the same path. */
  relpath: (input, call, ctx) => {
    const [start] = params(call, ['start'], ctx)
    const from = resolve(start === undefined || start === null ? '.' : toStr(start))
    return relative(from, resolve(needString(input, "the input of 'relpath'"))) || '.'
  },
}
