/** Builds the one command line a connection runs: environment, working directory, become. */
import { ShellCommand, sh } from '../quote.js'
import { BECOME_PROMPT } from './become.js'
import type { Become, ExecOptions } from './types.js'

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
  // -P: the physical directory, as Ansible's os.chdir gives (a shell's $PWD then has no symlink).
  if (options.cwd !== undefined) lines.push(`${sh`cd -P -- ${options.cwd}`.text} || exit`)
  lines.push(command.text)
  const inner = lines.join('\n')
  // `exec`: the shell that runs this line (the login shell over SSH, ours locally) is replaced,
  // so exit codes and signals are the command's own and a kill reaches it directly.
  const shell = sh`exec /bin/sh -c ${inner}`
  if (!become) return shell
  return become.method === 'su' ? suCommand(become, shell) : sudoCommand(become, inner)
}

function flagsOf(become: Become): ShellCommand {
  return become.flags?.length ? sh` ${[...become.flags]}` : sh``
}

function sudoCommand(become: Become, inner: string): ShellCommand {
  // -n: never prompt when there is no password (fail at once instead of hanging);
  // with a password, -S reads it from stdin after our marker prompt appears on stderr.
  const auth = become.password !== undefined ? sh`-S -p ${BECOME_PROMPT}` : sh`-n`
  return sh`exec sudo -H ${auth}${flagsOf(become)} -u ${become.user} -- /bin/sh -c ${inner}`
}

/**
 * Ansible's form, `su FLAGS USER -c 'SHELL -c ...'`, with two additions. `-s /bin/sh`: the
 * `-c` text is ours, for a POSIX shell, whatever the user's login shell is. `-l`: a login
 * environment, so PATH has the sbin folders (as sudo's secure_path gives; without it su keeps
 * the login user's PATH and useradd, sysctl... are not found). become_flags come after both, so
 * `-s /bin/bash` or Ansible's usual `-` still work. su reads the password from stdin when it
 * prompts on stderr; it never appears on this line.
 */
function suCommand(become: Become, shell: ShellCommand): ShellCommand {
  // su takes a leading dash as an option: such a name would become a flag, not a user.
  if (become.user.startsWith('-')) throw new Error(`invalid become user '${become.user}'`)
  return sh`exec su -l -s /bin/sh${flagsOf(become)} ${become.user} -c ${shell.text}`
}
