/**
 * One Ansible setting, global or a plugin's, resolved as Ansible's ConfigManager does
 * (get_config_value_and_origin): the task's variables, else the environment, else the ansible.cfg
 * Ansible would read, else the default; within each source the last name listed that is set
 * wins. The value is then typed as ensure_type does.
 */
import { homedir } from 'node:os'
import { dirname } from 'node:path'
import { findConfigFile } from '../../config/find.js'
import { parseIni } from '../../config/ini-file.js'
import { toBoolean, toInteger, toList, toPath, toPathList, toPathSpec, toText, type Origin } from '../../config/values.js'
import { readTextFileSync } from '../../text-file.js'
import { MISSING } from '../values.js'

/** A setting's type, as Ansible's config definitions name them (`none` kept as text). */
export type Kind = 'text' | 'int' | 'float' | 'bool' | 'list' | 'path' | 'pathlist' | 'pathspec'

export interface Setting {
  kind: Kind
  default: unknown
  ini: [section: string, key: string][]
  env: string[]
  vars: string[]
}

/**
 * A setting from its sources written as words: `ini: 'defaults.remote_port'`, `env:
 * 'ANSIBLE_REMOTE_PORT'`, `vars: 'ansible_port ansible_ssh_port'` (Ansible's lists, in order).
 */
export function opt(kind: Kind, fallback: unknown, from: { ini?: string; env?: string; vars?: string } = {}): Setting {
  const words = (text = ''): string[] => text.split(' ').filter(Boolean)
  const ini = words(from.ini).map((entry): [string, string] => {
    const dot = entry.indexOf('.')
    return [entry.slice(0, dot), entry.slice(dot + 1)]
  })
  return { kind, default: fallback, ini, env: words(from.env), vars: words(from.vars) }
}

const READERS: Record<Kind, (raw: string, at: Origin) => unknown> = {
  text: toText,
  int: toInteger,
  float: (raw, at) => {
    const n = Number(toText(raw))
    if (raw.trim() === '' || Number.isNaN(n)) throw new Error(`${at.where}: expected a number, got '${raw}'`)
    return n
  },
  bool: toBoolean,
  list: toList,
  path: toPath,
  pathlist: toPathList,
  pathspec: toPathSpec,
}

/** ensure_type for a value that is not text (a variable's number or list, a default): kept when it already fits. */
function typed(value: unknown, kind: Kind, at: Origin): unknown {
  if (value === null || value === undefined) return null
  if (typeof value === 'string') return READERS[kind](value, at)
  if (kind === 'int' && typeof value === 'number') return Math.trunc(value)
  if (kind === 'int' && typeof value === 'boolean') return Number(value)
  if (kind === 'text' || kind === 'list' || kind === 'pathspec' || kind === 'pathlist') return value
  if (kind === 'bool' && typeof value === 'number') return value === 1
  return value
}

export interface Places {
  env: NodeJS.ProcessEnv
  cwd: string
  home: string
  /** The task's variables (a plugin setting's `vars:`); MISSING when not set. */
  lookup?: (name: string) => unknown
}

const HERE = (): Places => ({ env: process.env, cwd: process.cwd(), home: homedir() })

export function resolveSetting(s: Setting, places: Places = HERE()): unknown {
  const { env, cwd, home } = places
  const at = (where: string, base = cwd): Origin => ({ where, base, env, home })
  const fromVars = s.vars.map((name) => [name, places.lookup?.(name) ?? MISSING] as const).filter(([, v]) => v !== MISSING && v !== null && v !== undefined).at(-1)
  if (fromVars) return typed(fromVars[1], s.kind, at(`var: ${fromVars[0]}`))
  const fromEnv = s.env.filter((name) => env[name] !== undefined && env[name] !== '').at(-1)
  if (fromEnv !== undefined) return typed(env[fromEnv], s.kind, at(fromEnv))
  const file = s.ini.length ? findConfigFile({ env, cwd, home }).file : undefined
  if (file) {
    const sections = parseIni(readTextFileSync(file), file)
    const found = s.ini.map(([section, key]) => ({ section, key, entry: sections.get(section)?.get(key) })).filter((e) => e.entry).at(-1)
    if (found?.entry) return typed(found.entry.value, s.kind, at(`${file}:${found.entry.line} ([${found.section}] ${found.key})`, dirname(file)))
  }
  return typeof s.default === 'function' ? (s.default as (home: string) => unknown)(home) : typed(s.default, s.kind, at('default'))
}
