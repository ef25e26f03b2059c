/** Per-host state for the whole run: the connection (opened once, on first use), facts, set_fact values. */
import { homedir, userInfo } from 'node:os'
import { join } from 'node:path'
import { LocalConnection } from '../connection/local.js'
import type { Connection, ConnectionSpec } from '../connection/types.js'
import type { HostState } from '../module-context.js'
import { ConnectError, errorMessage } from '../errors.js'
import type { RunOptions } from './options.js'

export interface HostRun {
  name: string
  state: HostState
  /** set_fact and register values: they live for the whole run. */
  setFacts: Record<string, unknown>
  /** include_vars values (just below set_fact): they live for the whole run too. */
  includedVars: Record<string, unknown>
  /** Failed in this run: left out of later plays, as in Ansible. */
  failed: boolean
  unreachable: boolean
  /** Facts have been gathered in this run (cached for the rest of it). */
  gathered: boolean
  /** Closes the connection if one was opened. */
  close(): Promise<void>
}

/** Connection variables of a host, already rendered. */
export type ConnectionVars = (name: string) => unknown

export function connectionSpec(host: string, get: ConnectionVars, options: RunOptions, playUser?: string): ConnectionSpec {
  const str = (name: string): string | undefined => {
    const v = get(name)
    return v === undefined || v === null ? undefined : String(v)
  }
  const kind = options.connection ?? (str('ansible_connection') === 'local' ? 'local' : 'ssh')
  const knownHosts = [
    ...options.knownHostsFiles,
    ...(str('tsplay_known_hosts_file') ? [str('tsplay_known_hosts_file') as string] : []),
    ...(process.env['TSPLAY_KNOWN_HOSTS'] ?? '').split(':').filter(Boolean),
    join(homedir(), '.ssh', 'known_hosts'),
    '/etc/ssh/ssh_known_hosts',
  ]
  const spec: ConnectionSpec = {
    host,
    kind,
    address: str('ansible_host') ?? str('ansible_ssh_host') ?? host,
    port: Number(str('ansible_port') ?? str('ansible_ssh_port') ?? 22),
    // ansible_user beats the play's remote_user, which beats -u (Ansible's precedence).
    user: str('ansible_user') ?? str('ansible_ssh_user') ?? playUser ?? options.user ?? userInfo().username,
    hostKeyChecking: hostKeyChecking(str('ansible_host_key_checking') ?? str('ansible_ssh_host_key_checking'), options.hostKeyChecking),
    knownHostsFiles: [...new Set(knownHosts)],
    connectTimeoutMs: Number(str('ansible_timeout') ?? 0) * 1000 || options.connectTimeoutMs,
  }
  const key = str('ansible_ssh_private_key_file') ?? str('ansible_private_key_file') ?? options.privateKey
  if (key) spec.privateKeyFile = key.startsWith('~/') ? join(homedir(), key.slice(2)) : key
  const password = str('ansible_password') ?? str('ansible_ssh_pass') ?? str('ansible_ssh_password')
  if (password !== undefined) spec.password = password
  return spec
}

function hostKeyChecking(fromInventory: string | undefined, fromOptions: boolean): boolean {
  if (!fromOptions) return false
  if (fromInventory === undefined) return true
  return !['false', 'no', '0', 'off'].includes(fromInventory.toLowerCase())
}

/** A host's state, connecting on first use; a failed connect is remembered (the host is unreachable). */
export function createHostRun(name: string, specOf: () => ConnectionSpec): HostRun {
  let pending: Promise<Connection> | undefined
  const state: HostState = {
    name,
    facts: {},
    factCache: new Map(),
    connect() {
      pending ??= openConnection(specOf()).catch((err: unknown) => {
        pending = undefined
        throw err instanceof ConnectError ? err : new ConnectError(errorMessage(err), name, { cause: err })
      })
      return pending
    },
  }
  const close = async (): Promise<void> => {
    // A `poll: 0` job the controller runs needs the connection until it is done (or timed out).
    await Promise.all(state.jobs ?? [])
    const open = pending
    pending = undefined
    if (open) await open.then((c) => c.close()).catch(() => undefined)
  }
  return { name, state, setFacts: {}, includedVars: {}, failed: false, unreachable: false, gathered: false, close }
}

async function openConnection(spec: ConnectionSpec): Promise<Connection> {
  if (spec.kind === 'local') return new LocalConnection(spec.host)
  // ssh2 takes a fifth of a second to load: runs that only use the local connection skip it.
  const { connectSsh } = await import('../connection/ssh.js')
  return connectSsh(spec)
}

/** Closes every opened connection (at the end of the run or on Ctrl-C). */
export async function closeAll(hosts: Iterable<HostRun>): Promise<void> {
  await Promise.all([...hosts].map((h) => h.close()))
}
