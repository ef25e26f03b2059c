/** The lexer settings of a Jinja2 environment, with Ansible's defaults (trim_blocks on). */
import { pyLiteral } from '../../inventory/literal.js'
import { fail } from '../values.js'

export interface JinjaSettings {
  trimBlocks: boolean
  lstripBlocks: boolean
  variableStart: string
  variableEnd: string
  blockStart: string
  blockEnd: string
  commentStart: string
  commentEnd: string
  /** What every line break of the template's own text becomes (values keep theirs, as in Jinja). */
  newlineSequence: string
  /** A playbook string, not a template file: string literals in `{{ }}` keep their backslashes (see tokenize). */
  literalBackslashes?: true
  /** Jinja's line statements: a line starting with this (after blanks) is a `{% %}` tag to the line's end. */
  lineStatementPrefix?: string
  /** Jinja's line comments: from this to the line's end is a comment. */
  lineCommentPrefix?: string
  /** Jinja's keep_trailing_newline (off: one line break at the very end is dropped). */
  keepTrailingNewline?: boolean
}

export const ANSIBLE_SETTINGS: Readonly<JinjaSettings> = {
  trimBlocks: true,
  lstripBlocks: false,
  variableStart: '{{',
  variableEnd: '}}',
  blockStart: '{%',
  blockEnd: '%}',
  commentStart: '{#',
  commentEnd: '#}',
  newlineSequence: '\n',
}

/** How Ansible's templar reads a playbook string that holds statements. */
export const PLAYBOOK_STRING_SETTINGS: Readonly<JinjaSettings> = { ...ANSIBLE_SETTINGS, literalBackslashes: true }

const OVERRIDES: Record<string, Exclude<keyof JinjaSettings, 'literalBackslashes'>> = {
  line_statement_prefix: 'lineStatementPrefix',
  line_comment_prefix: 'lineCommentPrefix',
  keep_trailing_newline: 'keepTrailingNewline',
  trim_blocks: 'trimBlocks',
  lstrip_blocks: 'lstripBlocks',
  variable_start_string: 'variableStart',
  variable_end_string: 'variableEnd',
  block_start_string: 'blockStart',
  block_end_string: 'blockEnd',
  comment_start_string: 'commentStart',
  comment_end_string: 'commentEnd',
}

/**
 * A template file's first line `#jinja2:trim_blocks: False, lstrip_blocks: True` overrides the
 * settings for that file, as Ansible's template module reads it; the line itself is dropped.
 */
export function fileOverrides(text: string, base: JinjaSettings): { text: string; settings: JinjaSettings } {
  if (!text.startsWith('#jinja2:')) return { text, settings: base }
  const eol = text.indexOf('\n')
  const line = eol < 0 ? text.slice(8) : text.slice(8, eol)
  const settings = { ...base }
  for (const pair of line.split(',')) {
    const colon = pair.indexOf(':')
    if (colon < 0) fail(`failed to parse jinja2 override '${pair.trim()}'. Did you use something different from colon as key-value separator?`)
    const name = pair.slice(0, colon).trim()
    const key = Object.hasOwn(OVERRIDES, name) ? OVERRIDES[name] : undefined
    // An environment setting tsplay lacks (line_statement_prefix...) would change what the
    // template means: rendering it without that setting would be a wrong file that looks right.
    if (!key) fail(`the first line's #jinja2: setting '${name}' is not supported by tsplay (supported: ${Object.keys(OVERRIDES).join(', ')})`)
    // The value is a Python literal, as Ansible reads it with ast.literal_eval.
    const raw = pair.slice(colon + 1).trim()
    const literal = pyLiteral(raw)
    if (!literal.ok) fail(`the first line's #jinja2: ${name} is not a Python literal: ${raw}`)
    const value = literal.value
    if (key === 'trimBlocks' || key === 'lstripBlocks' || key === 'keepTrailingNewline') {
      if (typeof value !== 'boolean') fail(`the first line's #jinja2: ${name} must be True or False, not ${raw}`)
      settings[key] = value
    } else if (typeof value === 'string') settings[key] = value
    else fail(`the first line's #jinja2: ${name} must be a quoted string, not ${raw}`)
  }
  return { text: eol < 0 ? '' : text.slice(eol + 1), settings }
}
