/**
 * ini: values of keys in an INI file (or a Java properties file, `type=properties`) on the
 * controller, read with Python's configparser rules as Ansible 2.14's lookup reads them.
 */
import { readFileSync } from 'node:fs'
import { truthy } from '../python.js'
import { needString } from '../types.js'
import { fail, type Dict } from '../values.js'
import { ConfigParser } from './configparser.js'
import { boolOption, decodeText, textOption } from './options.js'
import { pyRegex } from '../regex.js'
import { needFile } from './search-path.js'
import type { LookupFn } from './types.js'

interface IniParams {
  file: string
  section: string
  re: unknown
  default: unknown
  type: string
  encoding: string
}

const INLINE_KEYS = ['type', 'file', 'section', 're', 'encoding', 'default', 'case_sensitive', 'allow_no_value', 'allow_none']

/**
 * The old inline form, `'user section=prod file=users.ini'`: words join the last key named
 * (values may hold spaces), the first word is the key. As Ansible's _parse_params.
 */
export function parseInline(term: string): { key: string; params: Dict } {
  const values = new Map<string, string>()
  const order: string[] = []
  let current = 'key'
  for (const [i, phrase] of term.split(/\s+/).filter(Boolean).entries()) {
    if (phrase.includes('=')) for (const k of INLINE_KEYS) if (phrase.includes(`${k}=`)) current = k
    if (i === 0 || !values.get(current)) {
      values.set(current, phrase)
      order.push(current)
    } else values.set(current, `${values.get(current) ?? ''} ${phrase}`)
  }
  let key: string | undefined
  const params: Dict = {}
  for (const param of order.map((k) => values.get(k) ?? '')) {
    if (param.includes('=')) {
      const parts = param.split('=')
      if (parts.length !== 2) fail(`Could not use '${param}' from the inline options of '${term}': too many '=' in it`)
      const [name = '', value = ''] = parts
      if (!INLINE_KEYS.includes(name)) fail(`${name} is not a valid option.`)
      params[name] = value
    } else key ??= param
  }
  return key !== undefined ? { key, params } : fail(`No key to lookup was provided as first term with in string inline options: ${term}`)
}

function readIni(params: IniParams, parser: ConfigParser, ctx: Parameters<LookupFn>[2]): void {
  const path = needFile(params.file, ctx, 'ini')
  let data: Buffer
  try {
    data = readFileSync(path)
  } catch (err) {
    return fail(`the ini file ${path} cannot be read: ${(err as NodeJS.ErrnoException).code ?? String(err)}`)
  }
  const text = decodeText(data, params.encoding, path)
  try {
    parser.read(params.type === 'properties' ? `[java_properties]\n${text}` : text)
  } catch (err) {
    const message = (err as Error).message
    if (/option '.*' in section/.test(message)) fail(`Duplicate option in '${params.file}': ${message}`)
    throw err
  }
}

export const ini: LookupFn = (terms, options, ctx) => {
  const parser = new ConfigParser({
    caseSensitive: truthy(options['case_sensitive'] ?? false),
    allowNoValue: boolOption(options, 'allow_no_value', boolOption(options, 'allow_none', false, 'ini'), 'ini'),
  })
  const out: unknown[] = []
  for (const term of terms) {
    let key = needString(term, 'the ini key')
    const given: Dict = { ...options }
    if (key.includes('=') || key.trim().includes(' ')) {
      const inline = parseInline(key)
      key = inline.key
      Object.assign(given, inline.params)
    }
    const type = textOption(given, 'type', 'ini', 'ini')
    if (type !== 'ini' && type !== 'properties') fail(`lookup('ini'): type must be one of ini, properties, not '${type}'`)
    const params: IniParams = {
      file: textOption(given, 'file', 'ansible.ini', 'ini'),
      section: type === 'properties' ? 'java_properties' : textOption(given, 'section', 'global', 'ini'),
      re: typeof given['re'] === 'string' ? given['re'] : boolOption(given, 're', false, 'ini'),
      default: given['default'] === undefined ? '' : given['default'],
      type,
      encoding: textOption(given, 'encoding', 'utf-8', 'ini'),
    }
    readIni(params, parser, ctx)
    if (!parser.hasSection(params.section)) fail(`No section '${params.section}' in ${params.file}`)
    if (truthy(params.re)) {
      const pattern = pyRegex(key)
      out.push(...parser.items(params.section).filter(([k]) => pattern.exec(k)?.index === 0).map(([, v]) => v))
      continue
    }
    const value = parser.get(params.section, key)
    // A key without a value (allow_no_value), or a missing one whose default is None, gives nothing.
    const found = value === undefined ? params.default : value
    if (found !== null && found !== undefined) out.push(found)
  }
  return out
}
