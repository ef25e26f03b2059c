/** Per-host state for the whole run: the connection (opened once, on first use), facts, set_fact values. */
import { readCachedFacts, writeCachedFacts, type FactCacheOptions } from './fact-cache.js'
import { homedir, userInfo } from 'node:os'
import { join } from 'node:path'
import { LocalConnection } from '../connection/local.js'
import type { Connection, ConnectionSpec } from '../connection/types.js'
import type { HostState } from '../module-context.js'
import { ConnectError, errorMessage, TsplayError } from '../errors.js'
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
  /** Failures that meta clear_host_errors undid: the recap still counts them, the exit code does not (as Ansible). */
  clearedFailures: number
  /** Facts have been gathered in this run (cached for the rest of it). */
  gathered: boolean
  /**
   * The host as a task with these connection keywords sees it: the same facts, and the session
   * they select (each different connection, user and port has its own, opened on first use).
   */
  session(keywords: SessionKeywords): HostState
  /** Closes every session that was opened. */
  close(): Promise<void>
  /** Keeps facts in the fact cache too (jsonfile: for later runs); nothing with the default memory cache. */
  cacheFacts(facts: Record<string, unknown>): void
}

/** The task keywords that choose a session: `connection`, `remote_user`, `port` (rendered). */
export interface SessionKeywords {
  connection?: string
  remoteUser?: string
  port?: number
}

/** Connection variables of a host, already rendered. */
export type ConnectionVars = (name: string) => unknown

/** The connection plugins tsplay has, by the names Ansible gives them (ssh stands for paramiko and smart too). */
const CONNECTION_KINDS: Record<string, 'ssh' | 'local'> = { local: 'local', ssh: 'ssh', smart: 'ssh', paramiko: 'ssh', paramiko_ssh: 'ssh' }

function connectionKind(named: string): 'ssh' | 'local' {
  const kind = CONNECTION_KINDS[named.replace(/^ansible\.(builtin|legacy)\./, '')]
  if (!kind) throw new TsplayError(`the connection plugin '${named}' was not found (tsplay has: ${Object.keys(CONNECTION_KINDS).join(', ')})`)
  return kind
}

/**
 * How to reach a host. As in Ansible, the host's connection variables (ansible_connection,
 * ansible_user, ansible_port) beat the keywords (connection, remote_user, port), which beat the
 * command line's -c and -u. So `-c` names the connection of the hosts that set none, and a name
 * no host uses is never looked at, as in Ansible.
 */
export function connectionSpec(host: string, get: ConnectionVars, options: RunOptions, keywords: SessionKeywords = {}): ConnectionSpec {
  const str = (name: string): string | undefined => {
    const v = get(name)
    return v === undefined || v === null ? undefined : String(v)
  }
  const named = str('ansible_connection') ?? keywords.connection ?? options.connection
  const kind = named === undefined ? 'ssh' : connectionKind(named)
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
    port: Number(str('ansible_port') ?? str('ansible_ssh_port') ?? keywords.port ?? 22),
    user: str('ansible_user') ?? str('ansible_ssh_user') ?? keywords.remoteUser ?? options.user ?? userInfo().username,
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

/** Which session a spec opens: two specs that reach the same account the same way share one. */
function sessionKey(spec: ConnectionSpec): string {
  return spec.kind === 'local' ? 'local' : `ssh ${spec.user}@${spec.address}:${spec.port}`
}

/** A host's state, connecting on first use; a failed connect is not kept (the next task tries again). */
export function createHostRun(name: string, specOf: (keywords: SessionKeywords) => ConnectionSpec, cache?: FactCacheOptions): HostRun {
  const sessions = new Map<string, Promise<Connection>>()
  const connect = (keywords: SessionKeywords): Promise<Connection> => {
    const spec = specOf(keywords)
    const key = sessionKey(spec)
    let pending = sessions.get(key)
    if (!pending) {
      pending = openConnection(spec).catch((err: unknown) => {
        sessions.delete(key)
        throw err instanceof ConnectError ? err : new ConnectError(errorMessage(err), name, { cause: err })
      })
      sessions.set(key, pending)
    }
    return pending
  }
  // A run with a jsonfile fact cache starts with the facts an earlier run left there.
  const state: HostState = { name, facts: cache ? readCachedFacts(cache, name) : {}, factCache: new Map(), connect: () => connect({}) }
  const session = (keywords: SessionKeywords): HostState => {
    if (keywords.connection === undefined && keywords.remoteUser === undefined && keywords.port === undefined) return state
    // A view, not a copy: facts set through it (clear_facts replaces the object) stay the host's.
    return Object.create(state, { connect: { value: () => connect(keywords) } }) as HostState
  }
  const close = async (): Promise<void> => {
    // A `poll: 0` job the controller runs needs the connection until it is done (or timed out).
    await Promise.all(state.jobs ?? [])
    const open = [...sessions.values()]
    sessions.clear()
    await Promise.all(open.map((p) => p.then((c) => c.close()).catch(() => undefined)))
  }
  const cacheFacts = (facts: Record<string, unknown>): void => {
    if (cache) writeCachedFacts(cache, name, facts)
  }
  return { name, state, setFacts: {}, includedVars: {}, failed: false, unreachable: false, clearedFailures: 0, gathered: false, session, close, cacheFacts }
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
