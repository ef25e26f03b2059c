/**
 * How Ansible's config manager reads a setting's text by its type (`ensure_type`): booleans,
 * integers, comma lists, and paths made absolute from the folder of the file that set them (from
 * the current folder when an environment variable did), `~` and `$VAR` expanded.
 */
import { isAbsolute, resolve } from 'node:path'
import { OptionsError } from '../errors.js'
import { expandHome } from './find.js'

/** Where a value was set, for messages and for relative paths. */
export interface Origin {
  /** `/p/ansible.cfg:3 ([defaults] forks)` or `ANSIBLE_FORKS`. */
  where: string
  /** The folder relative paths start from. */
  base: string
  env: NodeJS.ProcessEnv
  home: string
}

const TRUE = ['y', 'yes', 'on', '1', 'true', 't']
const FALSE = ['n', 'no', 'off', '0', 'false', 'f', '']

/** Ansible turns any other word into false; a typo in `become = ture` must not silently do that. */
export function toBoolean(raw: string, at: Origin): boolean {
  const word = unquote(raw).toLowerCase()
  if (TRUE.includes(word)) return true
  if (FALSE.includes(word)) return false
  throw new OptionsError(`${at.where}: expected a boolean (yes/no, true/false, on/off, 1/0), got '${raw}'`)
}

export function toInteger(raw: string, at: Origin): number {
  const text = unquote(raw)
  if (!/^[+-]?\d+$/.test(text)) throw new OptionsError(`${at.where}: expected a whole number, got '${raw}'`)
  return Number(text)
}

export function toText(raw: string): string {
  return unquote(raw)
}

/** `list`: comma-separated, each item trimmed and unquoted. */
export function toList(raw: string): string[] {
  return raw.split(',').map((item) => unquote(item.trim())).filter((item) => item !== '')
}

/** `path`: one path. */
export function toPath(raw: string, at: Origin): string {
  const expanded = expandHome(expandVars(raw.trim(), at.env), at.home)
  return isAbsolute(expanded) ? resolve(expanded) : resolve(at.base, expanded)
}

/** `pathlist`: comma-separated paths (the inventory). */
export function toPathList(raw: string, at: Origin): string[] {
  return raw.split(',').map((p) => p.trim()).filter((p) => p !== '').map((p) => toPath(p, at))
}

/** `pathspec`: colon-separated paths, as $PATH (roles_path). */
export function toPathSpec(raw: string, at: Origin): string[] {
  return raw.split(':').filter((p) => p.trim() !== '').map((p) => toPath(p, at))
}

/** Python's os.path.expandvars: `$NAME` and `${NAME}`; unknown names are left as written. */
function expandVars(text: string, env: NodeJS.ProcessEnv): string {
  return text.replace(/\$(\w+)|\$\{([^}]*)\}/g, (whole, bare: string | undefined, braced: string | undefined) => env[bare ?? braced ?? ''] ?? whole)
}

/** Ansible's unquote: one pair of matching quotes around the whole value goes. */
function unquote(text: string): string {
  return /^(['"]).*\1$/s.test(text) && text.length >= 2 ? text.slice(1, -1) : text
}
