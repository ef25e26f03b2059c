/** The controller itself: same module code, no SSH. */
import { spawn } from 'node:child_process'
import type { ShellCommand } from '../quote.js'
import type { Connection, ExecOptions, ExecResult } from './types.js'
import { wrapCommand } from './wrap.js'

export class LocalConnection implements Connection {
  readonly kind = 'local'

  constructor(readonly host: string) {}

  exec(command: ShellCommand, options: ExecOptions = {}): Promise<ExecResult> {
    const line = wrapCommand(command, options)
    return new Promise((resolve, reject) => {
      const child = spawn('/bin/sh', ['-c', line.text], { stdio: ['pipe', 'pipe', 'pipe'] })
      const out: Buffer[] = []
      const err: Buffer[] = []
      let timer: NodeJS.Timeout | undefined
      let timedOut = false
      if (options.timeoutMs) {
        timer = setTimeout(() => {
          timedOut = true
          child.kill('SIGKILL')
        }, options.timeoutMs)
      }
      child.stdout.on('data', (b: Buffer) => out.push(b))
      child.stderr.on('data', (b: Buffer) => err.push(b))
      child.on('error', reject)
      child.on('close', (code, signal) => {
        if (timer) clearTimeout(timer)
        const stdoutBytes = Buffer.concat(out)
        resolve({
          stdout: stdoutBytes.toString('utf8'),
          stdoutBytes,
          stderr: Buffer.concat(err).toString('utf8'),
          code,
          ...(timedOut ? { signal: 'TIMEOUT' } : signal ? { signal } : {}),
        })
      })
      child.stdin.on('error', () => {
        // The command may exit without reading its input; that is not our error.
      })
      child.stdin.end(options.stdin ?? '')
    })
  }

  async close(): Promise<void> {}
}
