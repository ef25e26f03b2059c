/** Runs the real `tsplay` command, as a user would, and collects what it printed. */
import { spawn } from 'node:child_process'
import { mkdirSync, writeFileSync } from 'node:fs'
import { dirname, join } from 'node:path'
import { fileURLToPath } from 'node:url'

export const ROOT = join(dirname(fileURLToPath(import.meta.url)), '..', '..')
export const TSPLAY = join(ROOT, 'bin', 'tsplay')

export interface CliResult {
  code: number | null
  /** The signal that ended the process, if one did. */
  signal?: NodeJS.Signals | null
  stdout: string
  stderr: string
}

export function tsplay(args: string[], options: { cwd?: string; env?: Record<string, string>; input?: string; timeoutMs?: number; onSpawn?: (pid: number) => void } = {}): Promise<CliResult> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [TSPLAY, ...args], {
      cwd: options.cwd ?? ROOT,
      env: { ...process.env, CI: '1', ...options.env },
      stdio: ['pipe', 'pipe', 'pipe'],
    })
    if (child.pid) options.onSpawn?.(child.pid)
    let stdout = ''
    let stderr = ''
    child.stdout.on('data', (d: Buffer) => (stdout += d.toString()))
    child.stderr.on('data', (d: Buffer) => (stderr += d.toString()))
    const timer = setTimeout(() => child.kill('SIGKILL'), options.timeoutMs ?? 120_000)
    child.on('error', reject)
    child.on('close', (code, signal) => {
      clearTimeout(timer)
      resolve({ code, signal, stdout, stderr })
    })
    child.stdin.end(options.input ?? '')
  })
}

/** --json output, parsed. */
export interface JsonRun {
  plays: { play: { name: string; hosts: string[] }; tasks: { task: { name: string; handler: boolean }; hosts: Record<string, Record<string, unknown>> }[] }[]
  stats: Record<string, { ok: number; changed: number; unreachable: number; failed: number; skipped: number; rescued: number; ignored: number }>
}

export async function tsplayJson(args: string[], options: Parameters<typeof tsplay>[1] = {}): Promise<CliResult & { json: JsonRun }> {
  const result = await tsplay([...args, '--json'], options)
  let json: JsonRun
  try {
    json = JSON.parse(result.stdout) as JsonRun
  } catch {
    throw new Error(`tsplay --json printed no JSON (exit ${result.code}):\n${result.stdout}\n${result.stderr}`)
  }
  return { ...result, json }
}

/** Writes a tree of files: { 'roles/a/tasks/main.yml': '...' }. */
export function writeTree(root: string, files: Record<string, string>): void {
  for (const [path, content] of Object.entries(files)) {
    const full = join(root, path)
    mkdirSync(dirname(full), { recursive: true })
    writeFileSync(full, content)
  }
}

/** The tasks of a run with each host's status: [[taskName, {host: status}]]. */
export function statuses(run: JsonRun): [string, Record<string, string>][] {
  return run.plays.flatMap((p) => p.tasks.map((t) => [t.task.name, Object.fromEntries(Object.entries(t.hosts).map(([h, r]) => [h, String(r['status'])]))] as [string, Record<string, string>]))
}

export function totalChanged(run: JsonRun): number {
  return Object.values(run.stats).reduce((n, s) => n + s.changed, 0)
}
