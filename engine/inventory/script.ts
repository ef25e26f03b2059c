/**
 * Executable inventories, run as Ansible's script plugin runs them: `SCRIPT --list` prints a JSON
 * object of groups (each a list of hosts, or `{hosts, vars, children}`), with every host's vars
 * in `_meta.hostvars`; without `_meta`, `SCRIPT --host NAME` is asked for each host.
 *
 * What a script prints is data, never a template: its values usually come from a CMDB or a
 * cloud API, where anyone who can tag a machine could otherwise run a lookup on the controller.
 * Every string is marked as `!unsafe` is (Ansible 2.14 would render them; docs/decisions.md).
 */
import { execFile } from 'node:child_process'
import { resolve as absolute } from 'node:path'
import { InventoryError } from '../errors.js'
import { markUnsafe } from '../yaml.js'
import { setKey, type InventoryData } from './model.js'

type Json = Record<string, unknown>

/** A CMDB's answer can be large; Ansible sets no limit at all. */
const MAX_OUTPUT = 256 * 1024 * 1024

export async function readInventoryScript(file: string, inv: InventoryData): Promise<void> {
  const listing = asObject(await runScript(file, ['--list']), file, '--list')
  const meta = listing['_meta']
  const hostvars = isObject(meta) && 'hostvars' in meta ? meta['hostvars'] : undefined
  if (hostvars !== undefined && !isObject(hostvars)) throw new InventoryError(`inventory script ${file}: _meta.hostvars must be a JSON object of host names to their vars`)
  const hosts = new Set<string>()
  for (const [group, data] of Object.entries(listing)) {
    if (group !== '_meta') for (const host of readGroup(group, data, file, inv)) hosts.add(host)
  }
  for (const name of hosts) {
    const vars = hostvars ? (hostvars[name] ?? {}) : await hostVars(file, name)
    if (!isObject(vars)) throw new InventoryError(`inventory script ${file}: the vars of host '${name}' must be a JSON object`)
    const host = inv.addHost(name, undefined, undefined, file)
    for (const [key, value] of Object.entries(vars)) setKey(host.vars, key, markUnsafe(value))
  }
}

/** One group of `--list`: its hosts are returned, so that their vars can be read once all are known. */
function readGroup(name: string, data: unknown, file: string, inv: InventoryData): string[] {
  inv.addGroup(name)
  // As Ansible: a list is the group's hosts; a mapping without hosts/vars/children is one host's vars.
  const group: Json = !isObject(data) ? { hosts: data } : ['hosts', 'vars', 'children'].some((k) => k in data) ? data : { hosts: [name], vars: data }
  const bad = (what: string): never => {
    throw new InventoryError(`inventory script ${file}: group '${name}' has bad data for ${what}: ${JSON.stringify(group[what === 'its hosts' ? 'hosts' : what])}`)
  }
  const hosts = group['hosts'] ?? []
  if (!Array.isArray(hosts) || !hosts.every((h) => typeof h === 'string')) bad('its hosts')
  for (const host of hosts as string[]) inv.addHost(host, name, undefined, file)
  const vars = group['vars'] ?? {}
  if (!isObject(vars)) bad('vars')
  for (const [key, value] of Object.entries(vars as Json)) inv.setGroupVar(name, key, key === 'ansible_group_priority' ? value : markUnsafe(value))
  const children = group['children'] ?? []
  if (!Array.isArray(children) || !children.every((c) => typeof c === 'string')) bad('children')
  for (const child of children as string[]) inv.addChild(name, child)
  return hosts as string[]
}

/** `--host NAME`: the vars of one host; printing nothing means none. */
async function hostVars(file: string, host: string): Promise<Json> {
  const output = await runScript(file, ['--host', host])
  return output.trim() === '' ? {} : asObject(output, file, `--host ${host}`)
}

function runScript(file: string, args: string[]): Promise<string> {
  const command = [file, ...args].join(' ')
  return new Promise((resolve, reject) => {
    // A bare name is this folder's file, not a command on $PATH.
    execFile(absolute(file), args, { encoding: 'utf8', maxBuffer: MAX_OUTPUT }, (err, stdout, stderr) => {
      if (!err) return resolve(stdout)
      const e = err as NodeJS.ErrnoException & { code?: number | string; signal?: string | null }
      const said = stderr.trim() ? `; it said on stderr:\n${stderr.trim()}` : ' (nothing on stderr)'
      const how = typeof e.code === 'number' ? `exited with code ${e.code}` : e.signal ? `was killed by ${e.signal}` : `could not run (${e.code ?? e.message})`
      reject(new InventoryError(`inventory script ${command} ${how}${said}`, undefined, { cause: err }))
    })
  })
}

function asObject(output: string, file: string, args: string): Json {
  let data: unknown
  try {
    data = JSON.parse(output)
  } catch (err) {
    throw new InventoryError(`inventory script ${file} ${args} printed something that is not JSON (${(err as Error).message.replace(/\s+/g, ' ')}): ${preview(output)}`)
  }
  if (!isObject(data)) throw new InventoryError(`inventory script ${file} ${args} must print a JSON object, got: ${preview(output)}`)
  return data
}

function isObject(value: unknown): value is Json {
  return typeof value === 'object' && value !== null && !Array.isArray(value)
}

function preview(text: string): string {
  const trimmed = text.trim()
  return trimmed === '' ? '(nothing)' : JSON.stringify(trimmed.length > 200 ? `${trimmed.slice(0, 200)}...` : trimmed)
}
