/** Runs the real `tsplay` command, as a user would, and collects what it printed. */
import { mkdirSync, writeFileSync } from 'node:fs'
import { dirname, join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { runProgram, type ProgramOptions } from '../../engine/process.js'

export const ROOT = join(dirname(fileURLToPath(import.meta.url)), '..', '..')
export const TSPLAY = join(ROOT, 'bin', 'tsplay')

export interface CliResult {
  code: number | null
  /** The signal that ended the process, if one did. */
  signal?: NodeJS.Signals | null
  stdout: string
  stderr: string
}

/** Runs a program to its end (killed after the timeout, 120 s unless given) and collects what it printed. */
export function runProcess(program: string, args: readonly string[], options: ProgramOptions = {}): Promise<CliResult> {
  return runProgram(program, args, { cwd: ROOT, timeoutMs: 120_000, ...options })
}

export function tsplay(args: string[], options: Omit<ProgramOptions, 'env'> & { env?: Record<string, string> } = {}): Promise<CliResult> {
  return runProcess(process.execPath, [TSPLAY, ...args], { ...options, env: { ...process.env, CI: '1', ...options.env } })
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

/** Each task that changed a host, as 'task name: host', handlers included, sorted. */
export function changes(run: JsonRun): string[] {
  return statuses(run).flatMap(([task, hosts]) => Object.entries(hosts).filter(([, s]) => s === 'changed').map(([h]) => `${task}: ${h}`)).sort()
}

export function totalChanged(run: JsonRun): number {
  return Object.values(run.stats).reduce((n, s) => n + s.changed, 0)
}
