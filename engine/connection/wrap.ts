/** Builds the one command line a connection runs: environment, working directory, become. */
import { ShellCommand, sh } from '../quote.js'
import type { ExecOptions } from './types.js'

/** The marker sudo prints when it wants a password (so a connection knows when to send it). */
export const BECOME_PROMPT = '[tsplay-become-password]:'

export function wrapCommand(command: ShellCommand, options: ExecOptions = {}): ShellCommand {
  let inner = command.text
  if (options.cwd !== undefined) inner = `${sh`cd ${options.cwd}`.text} && ${inner}`
  if (options.env) {
    const exports = Object.entries(options.env).map(([k, v]) => {
      if (!/^[A-Za-z_][A-Za-z0-9_]*$/.test(k)) throw new Error(`invalid environment variable name '${k}'`)
      return `${k}=${sh`${v}`.text}`
    })
    if (exports.length) inner = `export ${exports.join(' ')}; ${inner}`
  }
  const become = options.become
  if (!become) return sh`/bin/sh -c ${inner}`
  // -n: never prompt when there is no password (fail at once instead of hanging);
  // with a password, -S reads it from stdin after our marker prompt appears on stderr.
  const auth = become.password !== undefined ? sh`-S -p ${BECOME_PROMPT}` : sh`-n`
  return sh`sudo -H ${auth} ${[...(become.flags ?? [])]} -u ${become.user} -- /bin/sh -c ${inner}`
}
