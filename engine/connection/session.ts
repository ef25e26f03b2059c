/**
 * Drives one running command for any transport (an SSH channel, a local child process):
 * stdin, output collection, timeout, and the sudo or su password dialogue. Shared so that SSH
 * and local behave identically under become.
 */
import { randomBytes } from 'node:crypto'
import type { Readable, Writable } from 'node:stream'
import { TsplayError } from '../errors.js'
import type { ShellCommand } from '../quote.js'
import { BECOME_PROMPT, promptEnds } from './become.js'
import type { Become, ExecOptions, ExecResult } from './types.js'
import { wrapCommand } from './wrap.js'

/** sudo or su refused (wrong or missing password, not in sudoers): a task failure, not an unreachable host. */
export class BecomeError extends TsplayError {
  override name = 'BecomeError'
  constructor(
    message: string,
    readonly host: string,
  ) {
    super(message)
  }
}

/** The command was killed because its task's time ran out (ExecOptions.signal). */
export class CommandAbortedError extends TsplayError {
  override name = 'CommandAbortedError'
  constructor() {
    super('the command was killed: its task ran out of time')
  }
}

/** The pieces of a started command that a transport hands over. */
export interface RunningCommand {
  stdin: Writable
  stdout: Readable
  stderr: Readable
  /** Stops the command at once (timeout). */
  kill(): void
}

/** How the command ended; a transport rejects instead when the connection itself died. */
export interface CommandExit {
  code: number | null
  signal?: string
}

export interface PreparedCommand {
  /** The full line to run (`/bin/sh -c ...`, `sudo ... /bin/sh -c ...` or `su ... -c ...`). */
  line: ShellCommand
  /** Present under become: echoed on stdout once sudo or su has let us in. */
  marker?: string
}

export function prepareCommand(command: ShellCommand, options: ExecOptions = {}): PreparedCommand {
  if (!options.become) return { line: wrapCommand(command, options) }
  const marker = `BECOME-SUCCESS-${randomBytes(12).toString('hex')}`
  return { line: wrapCommand(command, options, marker), marker }
}

/**
 * su waits on stdin once it has asked, and a prompt in a language Ansible's list lacks is not
 * recognised: rather than hang, give up after this long without su letting us in (Ansible gives
 * up after its connection timeout too). Not for sudo: it prints the prompt we chose, or none.
 */
export const SU_ESCALATION_TIMEOUT_MS = 30_000

/**
 * Feeds stdin, collects output and waits for `exited`. Under become, stdin is held back
 * until sudo (or su) has either asked for the password (answered first) and then let us in, or let
 * us in without asking: the marker on stdout is the signal, so NOPASSWD, cached credentials
 * and password prompts all deliver the command's input intact.
 */
export function superviseCommand(
  proc: RunningCommand,
  exited: Promise<CommandExit>,
  prepared: PreparedCommand,
  options: ExecOptions,
  host: string,
): Promise<ExecResult> {
  const out: Buffer[] = []
  const err: Buffer[] = []
  const become = options.become
  const marker = prepared.marker === undefined ? undefined : Buffer.from(`${prepared.marker}\n`)
  let authenticated = marker === undefined
  let head = Buffer.alloc(0) // stdout seen before the marker (normally only the marker itself)
  let prompts = 0
  let timedOut = false
  let stalled = false
  const escalation = become?.method === 'su' && marker
    ? setTimeout(() => {
        stalled = true
        proc.kill()
      }, SU_ESCALATION_TIMEOUT_MS)
    : undefined

  proc.stdin.on('error', () => {
    // The command may exit without reading its input; that is not our error.
  })
  const sendStdin = (): void => {
    proc.stdin.end(options.stdin ?? '')
  }

  proc.stdout.on('data', (chunk: Buffer) => {
    if (authenticated || !marker) {
      out.push(chunk)
      return
    }
    head = Buffer.concat([head, chunk])
    const at = head.indexOf(marker)
    if (at === -1) return
    authenticated = true
    clearTimeout(escalation)
    // What came before the marker is not the command's: su -l's login shell may print it.
    out.push(head.subarray(at + marker.length))
    head = Buffer.alloc(0)
    sendStdin()
  })
  proc.stderr.on('data', (chunk: Buffer) => {
    err.push(chunk)
    if (authenticated || !become) return
    const seen = promptEnds(Buffer.concat(err).toString('utf8'), become.method).length
    if (seen === prompts) return
    prompts = seen
    if (prompts === 1 && become.password !== undefined) {
      proc.stdin.write(`${become.password}\n`)
    } else {
      // Asked again (the password was wrong), or asked with no password to give: closing
      // stdin makes sudo or su give up at once instead of waiting or asking a third time.
      proc.stdin.end()
    }
  })

  if (!marker) sendStdin()
  const timer = options.timeoutMs
    ? setTimeout(() => {
        timedOut = true
        proc.kill()
      }, options.timeoutMs)
    : undefined
  let aborted = false
  const abort = (): void => {
    aborted = true
    proc.kill()
  }
  if (options.signal?.aborted) abort()
  else options.signal?.addEventListener('abort', abort, { once: true })

  return exited.finally(() => {
    clearTimeout(timer)
    clearTimeout(escalation)
    options.signal?.removeEventListener('abort', abort)
  }).then((exit) => {
    if (aborted) throw new CommandAbortedError()
    if (!authenticated && head.length) out.push(head)
    const stderr = stripBecomeChatter(Buffer.concat(err).toString('utf8'), become, prompts)
    if (stalled && become) throw suStalled(become, stderr, host)
    if (timedOut) return result(out, stderr, { code: null, signal: 'TIMEOUT' })
    if (!authenticated && become) throw becomeFailure(become, stderr, prompts, host)
    return result(out, stderr, exit)
  })
}

function result(out: Buffer[], stderr: string, exit: CommandExit): ExecResult {
  const stdoutBytes = Buffer.concat(out)
  return {
    stdout: stdoutBytes.toString('utf8'),
    stdoutBytes,
    stderr,
    code: exit.code,
    ...(exit.signal ? { signal: exit.signal } : {}),
  }
}

/** Everything on stderr up to the first password prompt is sudo's or su's (lecture, prompt): not the command's. */
function stripBecomeChatter(stderr: string, become: Become | undefined, prompts: number): string {
  // With no prompt seen, a command's own "Password:" line is the command's.
  const end = become && prompts > 0 ? promptEnds(stderr, become.method)[0] : undefined
  return end === undefined ? stderr : stderr.slice(end)
}

/** sudo's or su's own words say why; the password never appears in them (neither echoes it). */
function becomeFailure(become: Become, stderr: string, prompts: number, host: string): BecomeError {
  const who = `become user ${become.user} on host ${host}`
  if (become.method === 'su') return suFailure(become, stderr, prompts, who, host)
  if (prompts > 1 || /incorrect password|Sorry, try again/i.test(stderr)) {
    return new BecomeError(`sudo: incorrect password for ${who}`, host)
  }
  if (/a password is required/i.test(stderr)) {
    return new BecomeError(
      `sudo: a password is required for ${who}; set ansible_become_password (or --ask-become-pass)`,
      host,
    )
  }
  return new BecomeError(`sudo failed for ${who}: ${lastWords(stderr.replaceAll(BECOME_PROMPT, '')) || 'no message'}`, host)
}

/**
 * Ansible's words ("Incorrect su password"). su asks once, in the host's language, and says
 * "Authentication failure" (translated too) when the password is wrong: having answered its
 * prompt and not been let in is the sign that holds in every locale.
 */
function suFailure(become: Become, stderr: string, prompts: number, who: string, host: string): BecomeError {
  if (prompts > 0 && become.password === undefined) {
    return new BecomeError(`Missing su password for ${who}; set ansible_become_password (or --ask-become-pass)`, host)
  }
  if (prompts > 0 || /Authentication failure/i.test(stderr)) return new BecomeError(`Incorrect su password for ${who}`, host)
  return new BecomeError(`su failed for ${who}: ${lastWords(stderr) || 'no message'}`, host)
}

function suStalled(become: Become, stderr: string, host: string): BecomeError {
  return new BecomeError(
    `su did not let us in within ${SU_ESCALATION_TIMEOUT_MS / 1000} s for become user ${become.user} on host ${host} ` +
      `(a password prompt tsplay does not recognise?): ${lastWords(stderr) || 'su said nothing'}`,
    host,
  )
}

/** The last lines sudo or su printed, on one line: what a failure message quotes. */
function lastWords(stderr: string): string {
  return stderr.trim().split('\n').slice(-3).join(' / ')
}
