import type { ShellCommand } from '../quote.js'
import type { BecomeMethod } from './become.js'

/** Who to become (sudo or su) for one command. The password never appears on a command line. */
export interface Become {
  user: string
  method: BecomeMethod
  password?: string
  /** Extra sudo/su flags from become_flags, already split into words. */
  flags?: readonly string[]
}

export interface ExecOptions {
  /** Bytes written to the command's standard input, then closed. */
  stdin?: string | Buffer
  become?: Become
  /** Environment for the command (exported inside the shell, never on the sudo line). */
  env?: Readonly<Record<string, string>>
  /** Working directory; the command fails if it does not exist. */
  cwd?: string
  /** Abort the command after this many milliseconds (the result then has code null, signal 'TIMEOUT'). */
  timeoutMs?: number
  /** Kills the command when aborted (the task's `timeout` expired); exec then rejects with CommandAbortedError. */
  signal?: AbortSignal
}

export interface ExecResult {
  /** Standard output decoded as UTF-8. */
  stdout: string
  /** The same output as raw bytes (for binary files). */
  stdoutBytes: Buffer
  stderr: string
  /** Exit code; null when the command died from a signal. */
  code: number | null
  signal?: string
}

/**
 * One interface for every transport: SSH, local, and whatever comes later.
 * Only the SSH implementation imports node-ssh.
 */
export interface Connection {
  /** The inventory name of the host this connection reaches. */
  readonly host: string
  /** 'ssh' | 'local' */
  readonly kind: string
  /** Runs one command through `/bin/sh -c` on the host (wrapped in sudo when `become` is set). */
  exec(command: ShellCommand, options?: ExecOptions): Promise<ExecResult>
  close(): Promise<void>
}

/** How to reach a host: built from inventory variables and CLI flags. */
export interface ConnectionSpec {
  host: string
  kind: 'ssh' | 'local'
  address: string
  port: number
  user: string
  privateKeyFile?: string
  password?: string
  /** Check the host key against known_hosts (the default). */
  hostKeyChecking: boolean
  /** known_hosts files to check against (default ~/.ssh/known_hosts, /etc/ssh/ssh_known_hosts). */
  knownHostsFiles: readonly string[]
  connectTimeoutMs: number
}
