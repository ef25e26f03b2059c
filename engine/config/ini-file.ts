/**
 * ansible.cfg's INI dialect: Python's configparser as Ansible sets it up (`inline_comment_prefixes=
 * (';',)`, values read raw, so no `%` interpolation). The inventory INI reader does not fit: there,
 * a line is a host followed by Python literals; here, `key = value` (or `key: value`), keys
 * case-insensitive, indented lines continuing a value, and `[DEFAULT]` seen from every section.
 */
import { OptionsError } from '../errors.js'

export interface IniValue {
  value: string
  line: number
}

/** Section name -> key (lower case) -> value. `[DEFAULT]` is merged into every other section. */
export type IniSections = Map<string, Map<string, IniValue>>

const SECTION = /^\[(?<name>[^\]]+)\]/
const OPTION = /^(?<key>.*?)\s*[=:]\s*(?<value>.*)$/

export function parseIni(text: string, file: string): IniSections {
  const sections: IniSections = new Map()
  const fail = (line: number, what: string): never => {
    throw new OptionsError(`${file}:${line}: error reading config file: ${what}`)
  }
  let section: Map<string, IniValue> | undefined
  let last: { entry: IniValue; indent: number } | undefined
  text.split(/\r?\n/).forEach((raw, i) => {
    const line = i + 1
    const stripped = stripInlineComment(raw).trim()
    const indent = raw.length - raw.trimStart().length
    if (stripped === '' || /^[#;]/.test(raw.trim())) return
    if (last && indent > last.indent) {
      last.entry.value += `\n${stripped}`
      return
    }
    last = undefined
    const header = SECTION.exec(stripped)
    if (header?.groups) {
      const name = header.groups['name'] as string
      if (sections.has(name)) fail(line, `section [${name}] appears twice`)
      section = new Map()
      sections.set(name, section)
      return
    }
    if (!section) return fail(line, `'${stripped}' comes before any [section] header`)
    const option = OPTION.exec(stripped)
    const key = option?.groups?.['key']?.trim().toLowerCase()
    if (!option?.groups || !key) return fail(line, `expected 'key = value', got '${stripped}'`)
    if (section.has(key)) fail(line, `'${key}' is set twice in its section`)
    const entry = { value: option.groups['value'] ?? '', line }
    section.set(key, entry)
    last = { entry, indent }
  })
  return withDefaults(sections)
}

/** configparser's inline comments: a `;` that follows whitespace starts one. */
function stripInlineComment(line: string): string {
  const at = line.search(/\s;/)
  return at < 0 ? line : line.slice(0, at)
}

function withDefaults(sections: IniSections): IniSections {
  const defaults = sections.get('DEFAULT')
  if (!defaults) return sections
  sections.delete('DEFAULT')
  for (const [name, entries] of sections) sections.set(name, new Map([...defaults, ...entries]))
  return sections
}
