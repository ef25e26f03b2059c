/** Turns what ssh2 and the socket report into messages a person can act on. */

export interface FailureContext {
  user: string
  address: string
  timeoutMs: number
  /** Credentials offered so far, as `describeAttempt` names them. */
  tried: readonly string[]
}

/** Reads `code` and `level` off an unknown error without trusting its shape. */
function field(err: unknown, name: 'code' | 'level'): string | undefined {
  if (typeof err !== 'object' || err === null) return undefined
  const value = (err as Record<string, unknown>)[name]
  return typeof value === 'string' ? value : undefined
}

/** The reason part of "host web1 (10.0.0.1:22): <reason>" for a failure before the session was up. */
export function describeConnectFailure(err: unknown, ctx: FailureContext): string {
  const message = err instanceof Error ? err.message : String(err)
  const code = field(err, 'code')
  const level = field(err, 'level')
  if (level === 'client-authentication') {
    const tried = ctx.tried.length ? ctx.tried.join(', ') : 'nothing: no key, agent or password available'
    return `authentication failed for user ${ctx.user} (tried: ${tried})`
  }
  if (level === 'client-timeout' || code === 'ETIMEDOUT') return `timed out after ${seconds(ctx.timeoutMs)}`
  switch (code) {
    case 'ECONNREFUSED':
      return 'connection refused'
    case 'ENOTFOUND':
    case 'EAI_NONAME':
    case 'EAI_AGAIN':
    case 'EAI_FAIL':
      return `cannot resolve address '${ctx.address}' (DNS lookup failed: ${code})`
    case 'EHOSTUNREACH':
      return 'host unreachable (no route to host)'
    case 'ENETUNREACH':
      return 'network unreachable'
    case 'ECONNRESET':
      return 'connection reset by the server before the ssh session was ready'
  }
  if (level === 'protocol' || level === 'handshake') return `ssh handshake failed: ${message}`
  return message
}

/**
 * Whether a failure is the server dropping us before authentication began, which a busy sshd
 * does (MaxStartups) and which is worth another try. A refused port, a timeout, a host key
 * mismatch or a rejected credential is not: those fail at once.
 */
export function isDroppedBeforeAuth(err: unknown, triedAuth: boolean): boolean {
  if (triedAuth || field(err, 'level') === 'client-authentication') return false
  const message = err instanceof Error ? err.message : String(err)
  const code = field(err, 'code')
  return code === 'ECONNRESET' || code === 'EPIPE' || /connection lost before handshake/i.test(message)
}

/** The reason part for a connection that was up and went away. */
export function describeLostConnection(err: unknown): string {
  const message = err instanceof Error ? err.message : String(err)
  if (/keepalive/i.test(message)) return 'connection lost: the host stopped answering keepalives'
  if (field(err, 'code') === 'ECONNRESET') return 'connection lost: reset by the host'
  return `connection lost: ${message}`
}

function seconds(ms: number): string {
  const s = ms / 1000
  return `${Number.isInteger(s) ? s : s.toFixed(1)} s`
}
