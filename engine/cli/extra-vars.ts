/** -e/--extra-vars: `k=v k2=v2`, inline JSON/YAML, or `@file` (YAML or JSON), merged in order. */
import { OptionsError } from '../errors.js'
import { parseKv } from '../playbook/kv.js'
import { loadYamlFileSync, parseYaml } from '../yaml.js'

export function parseExtraVars(values: readonly string[]): Record<string, unknown> {
  const out: Record<string, unknown> = {}
  for (const value of values) Object.assign(out, parseOne(value))
  return out
}

function parseOne(value: string): Record<string, unknown> {
  const text = value.trim()
  if (text.startsWith('@')) {
    const data = loadYamlFileSync(text.slice(1))
    return asMapping(data, `extra vars file ${text.slice(1)}`)
  }
  if (text.startsWith('{') || text.startsWith('[')) {
    return asMapping(parseYaml(text, '<extra vars>'), 'extra vars')
  }
  const { args, freeForm } = parseKv(text)
  if (freeForm) throw new OptionsError(`-e '${value}': expected key=value pairs, JSON, or @file; cannot read '${freeForm}'`)
  return args
}

function asMapping(data: unknown, what: string): Record<string, unknown> {
  if (data === null) return {}
  if (typeof data !== 'object' || Array.isArray(data)) throw new OptionsError(`${what} must be a mapping of variables`)
  return data as Record<string, unknown>
}
