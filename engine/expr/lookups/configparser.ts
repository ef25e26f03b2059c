/**
 * Python's configparser.ConfigParser as Ansible's ini lookup builds it: `=` and `:` delimiters,
 * whole-line `#`/`;` comments, indented continuation lines, a DEFAULT section whose keys every
 * section has, keys lowercased unless case-sensitive, strict duplicates, and BasicInterpolation
 * (`%(name)s`, `%%`) when a value is read. The messages are configparser's.
 */
import { repr } from '../python.js'
import { fail } from '../values.js'

export interface ParserOptions {
  caseSensitive: boolean
  allowNoValue: boolean
}

type Section = Map<string, string[] | null>

export class ConfigParser {
  private readonly defaults: Section = new Map()
  private readonly sections = new Map<string, Section>()

  constructor(private readonly options: ParserOptions) {}

  optionxform(name: string): string {
    return this.options.caseSensitive ? name : name.toLowerCase()
  }

  read(text: string, source = '<???>'): void {
    const added = new Set<string>()
    const errors: string[] = []
    let section: Section | undefined
    let sectionName = ''
    let option: string | undefined
    let indent = Number.MAX_SAFE_INTEGER
    const lines = text.split(/(?<=\n)/)
    for (const [index, line] of lines.entries()) {
      const lineno = index + 1
      const comment = /^\s*[#;]/.test(line)
      const value = comment ? '' : line.trim()
      if (value === '') {
        if (!comment && section && option !== undefined) section.get(option)?.push('')
        continue
      }
      const lineIndent = line.search(/\S/)
      if (section && option !== undefined && lineIndent > indent) {
        section.get(option)?.push(value)
        continue
      }
      indent = lineIndent
      const header = /^\[(.+)\]/.exec(value)
      if (header) {
        sectionName = header[1] as string
        if (sectionName === 'DEFAULT') section = this.defaults
        else {
          if (added.has(sectionName)) fail(`While reading from '${source}' [line ${String(lineno).padStart(2)}]: section '${sectionName}' already exists`)
          added.add(sectionName)
          section = this.sections.get(sectionName) ?? new Map()
          this.sections.set(sectionName, section)
        }
        option = undefined
        continue
      }
      if (!section) fail(`File contains no section headers.\nfile: '${source}', line: ${lineno}\n${repr(line)}`)
      const m = (this.options.allowNoValue ? /^(.*?)\s*(?:([=:])\s*(.*))?$/s : /^(.*?)\s*([=:])\s*(.*)$/s).exec(value)
      if (!m || !m[1]) {
        errors.push(`\n\t[line ${String(lineno).padStart(2)}]: ${repr(line)}`)
        option = undefined
        continue
      }
      option = this.optionxform(m[1].trimEnd())
      const key = `${sectionName}\u0000${option}`
      if (added.has(key)) fail(`While reading from '${source}' [line ${String(lineno).padStart(2)}]: option '${option}' in section '${sectionName}' already exists`)
      added.add(key)
      section.set(option, m[2] === undefined ? null : [(m[3] ?? '').trim()])
    }
    if (errors.length) fail(`Source contains parsing errors: '${source}'${errors.join('')}`)
  }

  /** The section's values over the defaults (configparser's items() order), or undefined when there is no such section. */
  private unified(section: string): Map<string, string | null> | undefined {
    const own = this.sections.get(section)
    if (!own && section !== 'DEFAULT') return undefined
    const joined = new Map<string, string | null>()
    for (const [k, v] of [...this.defaults, ...(own ?? [])]) joined.set(k, v === null ? null : v.join('\n').trimEnd())
    return joined
  }

  private needSection(section: string): Map<string, string | null> {
    return this.unified(section) ?? fail(`No section: '${section}'`)
  }

  hasSection(section: string): boolean {
    return this.unified(section) !== undefined
  }

  /** get(): the interpolated value, null for a key without one, undefined when the key is missing. */
  get(section: string, key: string): string | null | undefined {
    const values = this.needSection(section)
    const option = this.optionxform(key)
    if (!values.has(option)) return undefined
    const raw = values.get(option) as string | null
    return raw === null ? null : interpolate(option, section, raw, values, (n) => this.optionxform(n))
  }

  /** items(): every key and interpolated value (a key without a value reads as ''). */
  items(section: string): [string, string][] {
    const values = this.needSection(section)
    return [...values].map(([k, v]) => [k, v === null ? '' : interpolate(k, section, v, values, (n) => this.optionxform(n))])
  }
}

const MAX_DEPTH = 10

function interpolate(option: string, section: string, raw: string, values: Map<string, string | null>, xform: (n: string) => string): string {
  const out: string[] = []
  const walk = (rest: string, depth: number): void => {
    if (depth > MAX_DEPTH) fail(`Recursion limit exceeded in value substitution: option '${option}' in section '${section}' contains an interpolation key which cannot be substituted in ${MAX_DEPTH} steps. Raw value: '${raw}'`)
    while (rest) {
      const p = rest.indexOf('%')
      if (p < 0) {
        out.push(rest)
        return
      }
      out.push(rest.slice(0, p))
      rest = rest.slice(p)
      const next = rest[1]
      if (next === '%') {
        out.push('%')
        rest = rest.slice(2)
      } else if (next === '(') {
        const m = /^%\(([^)]+)\)s/.exec(rest)
        if (!m) fail(`bad interpolation variable reference '${rest}'`)
        const name = xform(m[1] as string)
        rest = rest.slice(m[0].length)
        const value = values.get(name)
        if (value === undefined || value === null) fail(`Bad value substitution: option '${option}' in section '${section}' contains an interpolation key '${name}' which is not a valid option name. Raw value: '${raw}'`)
        if (value.includes('%')) walk(value, depth + 1)
        else out.push(value)
      } else fail(`'%' must be followed by '%' or '(', found: '${rest}'`)
    }
  }
  walk(raw, 1)
  return out.join('')
}
