/** Builds the one command line a connection runs: environment, working directory, become. */
import { ShellCommand, sh } from '../quote.js'
import type { ExecOptions } from './types.js'

/** The marker sudo prints when it wants a password (so a connection knows when to send it). */
export const BECOME_PROMPT = '[tsplay-become-password]:'

/**
 * `marker` (become only) is echoed by the shell sudo starts, before anything else: seeing it
 * on stdout proves sudo let us in, which is when the command's own stdin may be sent
 * (Ansible's BECOME-SUCCESS trick). Without it, stdin written too early would be eaten by
 * sudo as a password, or a command would wait forever for input we hold back.
 */
export function wrapCommand(command: ShellCommand, options: ExecOptions = {}, marker?: string): ShellCommand {
  // One statement per line: the user's command may itself be several lines, start with a
  // comment or end in `&`, and must not be glued onto our own statements.
  const lines: string[] = []
  const become = options.become
  if (become && marker !== undefined) lines.push(sh`echo ${marker}`.text)
  if (options.env) {
    const exports = Object.entries(options.env).map(([k, v]) => {
      if (!/^[A-Za-z_][A-Za-z0-9_]*$/.test(k)) throw new Error(`invalid environment variable name '${k}'`)
      return `${k}=${sh`${v}`.text}`
    })
    if (exports.length) lines.push(`export ${exports.join(' ')}`)
  }
  // `|| exit` keeps cd's failure status instead of running the command in the wrong place.
  if (options.cwd !== undefined) lines.push(`${sh`cd -- ${options.cwd}`.text} || exit`)
  lines.push(command.text)
  const inner = lines.join('\n')
  // `exec`: the shell that runs this line (the login shell over SSH, ours locally) is replaced,
  // so exit codes and signals are the command's own and a kill reaches it directly.
  if (!become) return sh`exec /bin/sh -c ${inner}`
  // -n: never prompt when there is no password (fail at once instead of hanging);
  // with a password, -S reads it from stdin after our marker prompt appears on stderr.
  const auth = become.password !== undefined ? sh`-S -p ${BECOME_PROMPT}` : sh`-n`
  const flags = become.flags?.length ? sh` ${[...become.flags]}` : sh``
  return sh`exec sudo -H ${auth}${flags} -u ${become.user} -- /bin/sh -c ${inner}`
}
