/** Runs a program on the controller with an argv array (never a shell line) and collects what it printed. */
import { spawn } from 'node:child_process'

export interface ProgramOptions {
  cwd?: string
  env?: NodeJS.ProcessEnv
  /** Sent on stdin, which is then closed. */
  input?: string | Buffer
  /** Killed with SIGKILL after this long. */
  timeoutMs?: number
  onSpawn?: (pid: number) => void
}

export interface ProgramResult {
  code: number | null
  /** The signal that ended the process, if one did. */
  signal: NodeJS.Signals | null
  stdout: string
  stderr: string
}

/** Resolves when the program has ended, whatever its exit; rejects only when it cannot be started (the spawn error). */
export function runProgram(program: string, args: readonly string[], options: ProgramOptions = {}): Promise<ProgramResult> {
  return new Promise((resolve, reject) => {
    const child = spawn(program, args, { cwd: options.cwd, env: options.env ?? process.env, stdio: ['pipe', 'pipe', 'pipe'] })
    if (child.pid) options.onSpawn?.(child.pid)
    // Chunks are kept as bytes and decoded once: a character split across two chunks would
    // otherwise come out as two replacement characters.
    const stdout: Buffer[] = []
    const stderr: Buffer[] = []
    child.stdout.on('data', (d: Buffer) => stdout.push(d))
    child.stderr.on('data', (d: Buffer) => stderr.push(d))
    const timer = options.timeoutMs ? setTimeout(() => child.kill('SIGKILL'), options.timeoutMs) : undefined
    child.on('error', (err) => {
      clearTimeout(timer)
      reject(err)
    })
    child.on('close', (code, signal) => {
      clearTimeout(timer)
      resolve({ code, signal, stdout: Buffer.concat(stdout).toString('utf8'), stderr: Buffer.concat(stderr).toString('utf8') })
    })
    // A program that exits without reading its stdin makes the write fail with EPIPE: not an error here.
    child.stdin.on('error', () => undefined)
    child.stdin.end(options.input ?? '')
  })
}
