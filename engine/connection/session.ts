/**
 * Drives one running command for any transport (an SSH channel, a local child process):
 * stdin, output collection, timeout, and the sudo password dialogue. Shared so that SSH and
 * local behave identically under become.
 */
import { randomBytes } from 'node:crypto'
import type { Readable, Writable } from 'node:stream'
import { TsplayError } from '../errors.js'
import type { ShellCommand } from '../quote.js'
import type { Become, ExecOptions, ExecResult } from './types.js'
import { BECOME_PROMPT, wrapCommand } from './wrap.js'

/** sudo refused (wrong or missing password, not in sudoers): a task failure, not an unreachable host. */
export class BecomeError extends TsplayError {
  override name = 'BecomeError'
  constructor(
    message: string,
    readonly host: string,
  ) {
    super(message)
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
  /** The full line to run (`/bin/sh -c ...` or `sudo ... /bin/sh -c ...`). */
  line: ShellCommand
  /** Present under become: echoed on stdout once sudo has let us in. */
  marker?: string
}

export function prepareCommand(command: ShellCommand, options: ExecOptions = {}): PreparedCommand {
  if (!options.become) return { line: wrapCommand(command, options) }
  const marker = `BECOME-SUCCESS-${randomBytes(12).toString('hex')}`
  return { line: wrapCommand(command, options, marker), marker }
}

/**
 * Feeds stdin, collects output and waits for `exited`. Under become, stdin is held back
 * until sudo has either asked for the password (answered first) and then let us in, or let
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
    out.push(head.subarray(0, at), head.subarray(at + marker.length))
    head = Buffer.alloc(0)
    sendStdin()
  })
  proc.stderr.on('data', (chunk: Buffer) => {
    err.push(chunk)
    if (authenticated || !become) return
    const seen = countPrompts(Buffer.concat(err).toString('utf8'))
    if (seen === prompts) return
    prompts = seen
    if (prompts === 1 && become.password !== undefined) {
      proc.stdin.write(`${become.password}\n`)
    } else {
      // Asked again: the password was wrong. Closing stdin makes sudo give up at once
      // instead of asking a third time.
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

  return exited.finally(() => clearTimeout(timer)).then((exit) => {
    if (!authenticated && head.length) out.push(head)
    const stderr = stripSudoChatter(Buffer.concat(err).toString('utf8'), prompts)
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

function countPrompts(text: string): number {
  return text.split(BECOME_PROMPT).length - 1
}

/** Everything on stderr up to the password prompt is sudo's (lecture, prompt): not the command's. */
function stripSudoChatter(stderr: string, prompts: number): string {
  if (prompts === 0) return stderr
  const at = stderr.indexOf(BECOME_PROMPT)
  return stderr.slice(at + BECOME_PROMPT.length)
}

/** sudo's own words say why; the password never appears in them (sudo does not echo it). */
function becomeFailure(become: Become, stderr: string, prompts: number, host: string): BecomeError {
  const who = `become user ${become.user} on host ${host}`
  if (prompts > 1 || /incorrect password|Sorry, try again/i.test(stderr)) {
    return new BecomeError(`sudo: incorrect password for ${who}`, host)
  }
  if (/a password is required/i.test(stderr)) {
    return new BecomeError(
      `sudo: a password is required for ${who}; set ansible_become_password (or --ask-become-pass)`,
      host,
    )
  }
  const said = stderr.replaceAll(BECOME_PROMPT, '').trim().split('\n').slice(-3).join(' / ')
  return new BecomeError(`sudo failed for ${who}: ${said || 'no message'}`, host)
}
