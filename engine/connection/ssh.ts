/**
 * SSH transport: one node-ssh connection per host for the whole run, one exec channel per
 * command. The only file that imports node-ssh / ssh2.
 */
import { NodeSSH, type Config } from 'node-ssh'
import ssh2 from 'ssh2'
import type { AnyAuthMethod, AuthenticationType, AuthHandlerMiddleware, Client, ClientChannel, ServerHostKeyAlgorithm } from 'ssh2'
import { ConnectError } from '../errors.js'
import type { ShellCommand } from '../quote.js'
import { authAttempts, describeAttempt, type AuthAttempt } from './auth.js'
import { describeConnectFailure, describeLostConnection, isDroppedBeforeAuth } from './connect-errors.js'
import { HandshakeLimiter } from './handshakes.js'
import { hostKeyPolicy, type HostKeyPolicy } from './host-key.js'
import { prepareCommand, superviseCommand, type CommandExit } from './session.js'
import { Slots } from './slots.js'
import type { Connection, ConnectionSpec, ExecOptions, ExecResult } from './types.js'

/** OpenSSH's MaxSessions defaults to 10; staying under it means we queue instead of failing. */
export const CHANNELS_PER_CONNECTION = 8
/** A host that vanishes without closing TCP is noticed after about interval x count (15 s). */
const KEEPALIVE_INTERVAL_MS = 5_000
const KEEPALIVE_COUNT_MAX = 3
/** How long to wait for the server to confirm a channel we closed on timeout. */
const CLOSE_GRACE_MS = 2_000

/**
 * A connection the server dropped before authentication (a busy sshd) is tried again, this
 * many times in all, after a jittered, doubling pause; anything else fails at once.
 */
const CONNECT_ATTEMPTS = 5
const RETRY_BASE_MS = 250
const RETRY_MAX_MS = 4_000

/** One limiter for the process: sshd's MaxStartups counts every connection to it, whichever run opened it. */
const handshakes = new HandshakeLimiter()

export async function connectSsh(spec: ConnectionSpec): Promise<Connection> {
  const attempts = await authAttempts(spec)
  const policy = spec.hostKeyChecking ? await hostKeyPolicy(spec) : undefined
  for (let attempt = 1; ; attempt++) {
    const release = await handshakes.acquire(`${spec.address}:${spec.port}`)
    let outcome: Handshake
    try {
      outcome = await handshake(spec, attempts, policy)
    } finally {
      release()
    }
    if (outcome.ok) return outcome.connection
    if (!outcome.dropped || attempt >= CONNECT_ATTEMPTS) {
      if (attempt > 1) outcome.error.message += ` (after ${attempt} attempts)`
      throw outcome.error
    }
    await new Promise((resolve) => setTimeout(resolve, retryDelayMs(attempt)))
  }
}

/** Full-ish jitter: hosts dropped together must not all come back at the same instant. */
export function retryDelayMs(attempt: number, random: () => number = Math.random): number {
  const ceiling = Math.min(RETRY_MAX_MS, RETRY_BASE_MS * 2 ** (attempt - 1))
  return Math.round(ceiling * (0.5 + random() / 2))
}

type Handshake = { ok: true; connection: Connection } | { ok: false; error: ConnectError; dropped: boolean }

async function handshake(spec: ConnectionSpec, attempts: readonly AuthAttempt[], policy: HostKeyPolicy | undefined): Promise<Handshake> {
  const where = `host ${spec.host} (${spec.address}:${spec.port})`
  const tried: string[] = []
  let refusal: string | undefined
  const config: Config = {
    host: spec.address,
    port: spec.port,
    username: spec.user,
    readyTimeout: spec.connectTimeoutMs,
    keepaliveInterval: KEEPALIVE_INTERVAL_MS,
    keepaliveCountMax: KEEPALIVE_COUNT_MAX,
    authHandler: authHandler(spec.user, attempts, tried),
  }
  if (policy) {
    // Without hostHash, ssh2 hands the verifier the raw key blob, which is what known_hosts stores.
    config.hostVerifier = (key: Buffer): boolean => {
      refusal = policy.verify(key)
      return refusal === undefined
    }
    // The list holds only names from ssh2's own default set (see preferredHostKeyAlgorithms).
    if (policy.algorithms) config.algorithms = { serverHostKey: policy.algorithms as ServerHostKeyAlgorithm[] }
  }

  const ssh = new NodeSSH()
  let firstError: unknown
  const connecting = ssh.connect(config)
  // node-ssh creates the client synchronously and drops its own error listener once ready;
  // ours stays, so a late socket error can never crash the process as an unhandled 'error'.
  const client = ssh.connection
  client?.on('error', (err: unknown) => {
    firstError ??= err
  })
  try {
    await connecting
  } catch (err) {
    ssh.dispose()
    if (refusal !== undefined) return { ok: false, error: new ConnectError(refusal, spec.host), dropped: false }
    const cause = firstError ?? err
    const reason = describeConnectFailure(cause, { user: spec.user, address: spec.address, timeoutMs: spec.connectTimeoutMs, tried })
    return { ok: false, error: new ConnectError(`${where}: ${reason}`, spec.host, { cause }), dropped: isDroppedBeforeAuth(cause, tried.length > 0) }
  }
  if (!client) return { ok: false, error: new ConnectError(`${where}: connection closed during setup`, spec.host), dropped: false }
  // Each task is a few small packets each way: without TCP_NODELAY, Nagle's algorithm holds a
  // small write until the last one is acknowledged, and the server's delayed ACK makes that ~40 ms.
  client.setNoDelay(true)
  return { ok: true, connection: new SshConnection(spec.host, where, ssh, client) }
}

/** Offers the attempts in order, skipping kinds the server no longer accepts, and records what was tried. */
function authHandler(username: string, attempts: readonly AuthAttempt[], tried: string[]): AuthHandlerMiddleware {
  let index = 0
  return (methodsLeft, _partialSuccess, next) => {
    // ssh2 passes null before the server has listed its methods.
    const allows = (m: AuthenticationType): boolean => !methodsLeft || methodsLeft.includes(m)
    while (index < attempts.length) {
      const attempt = attempts[index++]
      if (!attempt) break
      const method = toMethod(username, attempt, allows, tried)
      if (!method) continue
      tried.push(describeAttempt(attempt))
      next(method)
      return
    }
    // ssh2 accepts false as "nothing left", which its typings do not spell out.
    ;(next as (auth: AnyAuthMethod | false) => void)(false)
  }
}

function toMethod(
  username: string,
  attempt: AuthAttempt,
  allows: (m: AuthenticationType) => boolean,
  tried: string[],
): AnyAuthMethod | undefined {
  switch (attempt.kind) {
    case 'agent':
      return allows('publickey') ? { type: 'agent', username, agent: attempt.socket } : undefined
    case 'key': {
      if (!allows('publickey')) return undefined
      const parsed = ssh2.utils.parseKey(attempt.data)
      const key = Array.isArray(parsed) ? (parsed as unknown[])[0] : parsed
      if (key instanceof Error || key === undefined) {
        // Encrypted keys need a passphrase we do not have; say so instead of failing silently.
        tried.push(`key ${attempt.path} (unusable: ${key instanceof Error ? key.message : 'empty'})`)
        return undefined
      }
      return { type: 'publickey', username, key: attempt.data }
    }
    case 'password':
      if (allows('password')) return { type: 'password', username, password: attempt.password }
      if (!allows('keyboard-interactive')) return undefined
      // PAM servers often ask for the password this way; answer every prompt with it.
      return {
        type: 'keyboard-interactive',
        username,
        prompt: (_name, _instructions, _lang, prompts, finish) => finish(prompts.map(() => attempt.password)),
      }
  }
}

class SshConnection implements Connection {
  readonly kind = 'ssh'
  private lost: ConnectError | undefined
  private readonly slots = new Slots(CHANNELS_PER_CONNECTION)
  /** Rejecters of commands in flight, so a dropped connection fails them instead of hanging. */
  private readonly inFlight = new Set<(err: ConnectError) => void>()

  constructor(
    readonly host: string,
    private readonly where: string,
    private readonly ssh: NodeSSH,
    private readonly client: Client,
  ) {
    client.on('error', (err: unknown) => this.fail(describeLostConnection(err), err))
    client.on('close', () => this.fail('connection lost: closed by the host'))
  }

  async exec(command: ShellCommand, options: ExecOptions = {}): Promise<ExecResult> {
    if (this.lost) throw this.lost
    const release = await this.slots.acquire()
    try {
      if (this.lost) throw this.lost
      const prepared = prepareCommand(command, options)
      let forceExit: (() => void) | undefined
      const { channel, exited } = await this.openChannel(prepared.line.text, (f) => (forceExit = f))
      const kill = (): void => {
        sendSignal(channel, 'KILL')
        channel.close()
        setTimeout(() => forceExit?.(), CLOSE_GRACE_MS).unref()
      }
      return await superviseCommand(
        { stdin: channel, stdout: channel, stderr: channel.stderr, kill },
        exited,
        prepared,
        options,
        this.host,
      )
    } finally {
      release()
    }
  }

  async close(): Promise<void> {
    this.fail('connection closed')
    this.ssh.dispose()
  }

  private fail(reason: string, cause?: unknown): void {
    if (this.lost) return
    this.lost = new ConnectError(`${this.where}: ${reason}`, this.host, { cause })
    for (const reject of this.inFlight) reject(this.lost)
    this.inFlight.clear()
  }

  /**
   * Opens an exec channel and starts watching its exit status at once, inside ssh2's callback:
   * a short command's exit-status often arrives in the same packet batch as the channel's
   * confirmation, and is emitted before a listener attached after an `await` would exist.
   */
  private openChannel(line: string, exposeForce: (force: () => void) => void): Promise<{ channel: ClientChannel; exited: Promise<CommandExit> }> {
    return new Promise((resolve, reject) => {
      const onLost = (err: ConnectError): void => reject(err)
      this.inFlight.add(onLost)
      try {
        this.client.exec(line, (err, channel) => {
          this.inFlight.delete(onLost)
          if (!err) return resolve({ channel, exited: this.watchExit(channel, exposeForce) })
          reject(this.lost ?? new ConnectError(`${this.where}: cannot open a session channel: ${err.message}`, this.host, { cause: err }))
        })
      } catch (err) {
        this.inFlight.delete(onLost)
        reject(this.lost ?? new ConnectError(`${this.where}: ${describeLostConnection(err)}`, this.host, { cause: err }))
      }
    })
  }

  /** Resolves on the channel's close with its exit status; rejects if the connection went first. */
  private watchExit(channel: ClientChannel, exposeForce: (force: () => void) => void): Promise<CommandExit> {
    return new Promise((resolve, reject) => {
      let exit: CommandExit | undefined
      const onLost = (err: ConnectError): void => reject(err)
      this.inFlight.add(onLost)
      const settle = (): void => {
        this.inFlight.delete(onLost)
        if (!exit && this.lost) reject(this.lost)
        else resolve(exit ?? { code: null })
      }
      exposeForce(settle)
      channel.on('exit', (code: number | null, signal?: string) => {
        // Servers differ on the SIG prefix (RFC 4254 says without); report it as Node does locally.
        const name = signal && !signal.startsWith('SIG') ? `SIG${signal}` : signal
        exit = code !== null ? { code } : { code: null, ...(name ? { signal: name } : {}) }
      })
      channel.on('close', settle)
    })
  }
}

/** The parts of ssh2's channel internals that sendSignal needs; checked at run time, not trusted. */
interface ChannelInternals {
  type?: unknown
  outgoing?: { id?: unknown; state?: unknown }
  _client?: { _protocol?: { signal?: unknown } }
}

/**
 * sshd answers a "signal" request with killpg() on the session, so the whole remote command
 * dies (except for root logins, which sshd refuses to signal, and become'd processes, which the
 * login user may not kill: there the command may outlive its timeout on the host). ssh2's
 * channel.signal() silently sends nothing once our side of stdin is closed, which it always is
 * (stdin is written and ended up front), so go to the protocol layer when we can.
 */
function sendSignal(channel: ClientChannel, name: string): void {
  const internals = channel as unknown as ChannelInternals
  const protocol = internals._client?._protocol
  const id = internals.outgoing?.id
  if (protocol && typeof protocol.signal === 'function' && typeof id === 'number' && ['open', 'eof'].includes(String(internals.outgoing?.state))) {
    try {
      ;(protocol.signal as (channel: number, signal: string) => void).call(protocol, id, name)
      return
    } catch {
      // Fall through to the public method.
    }
  }
  channel.signal(name)
}
