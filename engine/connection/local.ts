/** The controller itself: same module code, no SSH. */
import { spawn } from 'node:child_process'
import type { ShellCommand } from '../quote.js'
import { prepareCommand, superviseCommand, type CommandExit } from './session.js'
import type { Connection, ExecOptions, ExecResult } from './types.js'

export class LocalConnection implements Connection {
  readonly kind = 'local'

  constructor(readonly host: string) {}

  exec(command: ShellCommand, options: ExecOptions = {}): Promise<ExecResult> {
    const prepared = prepareCommand(command, options)
    // A process group of its own, so a timeout kills the whole pipeline, not just the shell
    // (an orphaned grandchild would hold the output pipes open and the result would never come).
    const child = spawn('/bin/sh', ['-c', prepared.line.text], { stdio: ['pipe', 'pipe', 'pipe'], detached: true })
    const kill = (): void => {
      try {
        if (child.pid !== undefined) process.kill(-child.pid, 'SIGKILL')
      } catch {
        child.kill('SIGKILL')
      }
    }
    const exited = new Promise<CommandExit>((resolve, reject) => {
      child.on('error', reject)
      // 'close', not 'exit': only then has all output been read.
      child.on('close', (code, signal) => resolve({ code, ...(signal ? { signal } : {}) }))
    })
    return superviseCommand(
      { stdin: child.stdin, stdout: child.stdout, stderr: child.stderr, kill },
      exited,
      prepared,
      options,
      this.host,
    )
  }

  async close(): Promise<void> {}
}
