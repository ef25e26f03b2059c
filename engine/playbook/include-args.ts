/**
 * What a dynamic include (include_tasks, include_role) accepts besides its arguments, as Ansible
 * 2.14 checks it: only the keywords that make sense for the include itself (its own when, loop,
 * tags, vars...), and `apply:`, the keywords meant for the included tasks.
 */
import { PlaybookError, type SourcePos } from '../errors.js'
import { posOf } from '../yaml.js'
import { COMMON_KEYWORDS, LOOP_KEYWORDS, parseCommonAttrs, parse } from './attrs.js'
import type { Attrs } from './types.js'

type Raw = Record<string, unknown>

/** Ansible's TaskInclude.VALID_INCLUDE_KEYWORDS (and `listen`, which a handler include may have). */
const INCLUDE_KEYWORDS = new Set(['name', 'action', 'args', 'ignore_errors', 'loop', 'loop_control', 'no_log', 'register', 'run_once', 'tags', 'timeout', 'vars', 'when', 'listen', ...LOOP_KEYWORDS])

/**
 * A keyword such as `become:` on include_tasks would set nothing on the included tasks (Ansible
 * refuses it: "not a valid attribute for a TaskInclude"), so it is an error naming apply:.
 */
export function checkIncludeKeywords(raw: Raw, action: string, short: string): void {
  for (const key of Object.keys(raw)) {
    if (key === action || INCLUDE_KEYWORDS.has(key)) continue
    const hint = COMMON_KEYWORDS.has(key) ? `; to set it on the included tasks, put it under ${short}'s apply:` : ''
    throw new PlaybookError(`'${key}' is not a valid keyword for ${short}${hint}`, posOf(raw, key))
  }
}

/** `apply:` is read as a block's keywords; a key a block does not take is an error at its line. */
export function parseApply(value: unknown, at: SourcePos, short: string): Attrs | undefined {
  if (value === undefined || value === null) return undefined
  const raw = parse.mapping(value, posOf(value) ?? at, 'apply')
  for (const key of Object.keys(raw)) {
    if (!COMMON_KEYWORDS.has(key)) throw new PlaybookError(`'${key}' is not valid under ${short}'s apply; expected one of: ${[...COMMON_KEYWORDS].join(', ')}`, posOf(raw, key) ?? at)
  }
  return parseCommonAttrs(raw)
}

/** An option that must be a literal boolean (public, allow_duplicates, rolespec_validate). */
export function boolOption(args: Raw, key: string, at: SourcePos): boolean | undefined {
  return args[key] === undefined || args[key] === null ? undefined : parse.bool(args[key], at, key)
}

/** A `*_from` option: a file name (a template is rendered when the include runs). */
export function fileOption(args: Raw, key: string, at: SourcePos): string | undefined {
  const value = args[key]
  if (value === undefined || value === null) return undefined
  if (typeof value !== 'string' || !value) throw new PlaybookError(`'${key}' must be a file name`, at)
  return value
}
