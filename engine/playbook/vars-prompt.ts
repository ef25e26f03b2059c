/** A play's `vars_prompt:` as Ansible's Play._load_vars_prompt reads it: a list of mappings, each with a name and known keys only. */
import { PlaybookError, type SourcePos } from '../errors.js'
import { posOf } from '../yaml.js'
import type { VarPrompt } from './types.js'

const KEYS = ['name', 'prompt', 'default', 'private', 'confirm', 'encrypt', 'salt_size', 'salt', 'unsafe']

export function parseVarsPrompt(value: unknown, at: SourcePos): VarPrompt[] {
  if (value === undefined || value === null) return []
  const entries = Array.isArray(value) ? value : [value]
  return entries.map((entry, i) => {
    const pos = posOf(entries, i) ?? at
    if (!entry || typeof entry !== 'object' || Array.isArray(entry)) throw new PlaybookError('each vars_prompt entry must be a mapping with a name (name: ..., prompt: ...)', pos)
    const fields = entry as Record<string, unknown>
    for (const key of Object.keys(fields)) {
      if (!KEYS.includes(key)) throw new PlaybookError(`unknown vars_prompt key '${key}'; expected one of: ${KEYS.join(', ')}`, posOf(fields, key) ?? pos)
    }
    const name = fields['name']
    if (typeof name !== 'string' || !/^[A-Za-z_][A-Za-z0-9_]*$/.test(name)) throw new PlaybookError("a vars_prompt entry needs 'name', a variable name", posOf(fields, 'name') ?? pos)
    return { name, pos, fields }
  })
}
