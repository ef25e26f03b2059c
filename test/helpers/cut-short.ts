/**
 * Cuts a copy short at a random point while its content travels (a signal to tsplay, a
 * dropped connection) and tells what the destination became: the old file, the new one, or
 * anything else, and whether a temporary file was left beside it.
 */
import { readdirSync, readFileSync, rmSync, watch, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import type { CliResult } from './cli.js'

/** engine/files/write.ts names its temporary files so. */
export const TEMP_PREFIX = '.tsplay.'
/** How long the host may take to clean up after tsplay is gone (the remote shell sees EOF, then exits). */
const CLEANUP_MS = 10_000

export type Outcome = 'old' | 'new' | 'other'

export interface Tally {
  runs: number
  old: number
  new: number
  other: number
  /** Runs after which a temporary file was still there once the host had had its moment. */
  leftovers: number
  /** Runs in which the interruption came while the write was under way (a temporary file existed). */
  midWrite: number
}

export interface Copying {
  dir: string
  dest: string
  old: Buffer
  fresh: Buffer
  /** Starts tsplay copying `fresh` to `dest`; resolves when it has exited. */
  start(onSpawn: (pid: number) => void): Promise<CliResult>
}

/** What is done to a run once its write is under way (run is 0-based). */
export type Interrupt = (pid: number, run: number) => void | Promise<void>

export function temps(dir: string): string[] {
  return readdirSync(dir).filter((name) => name.startsWith(TEMP_PREFIX))
}

export function signal(pid: number, name: NodeJS.Signals): void {
  try {
    process.kill(pid, name)
  } catch {
    // Already gone: the copy finished first.
  }
}

export const sleep = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms))

/** Resolves when a temporary file exists in `dir`, that is, when the host has begun writing. */
function whenWriting(dir: string): { writing: Promise<void>; stop(): void } {
  let done = (): void => {}
  const writing = new Promise<void>((resolve) => (done = resolve))
  const watcher = watch(dir, () => {
    if (temps(dir).length) done()
  })
  if (temps(dir).length) done()
  return { writing, stop: () => watcher.close() }
}

async function settle(dir: string): Promise<boolean> {
  const deadline = Date.now() + CLEANUP_MS
  while (Date.now() < deadline) {
    if (!temps(dir).length) return true
    await sleep(50)
  }
  return false
}

/**
 * One run: the destination holds the old bytes, tsplay starts the copy, and `interrupt`
 * comes `delayMs` after the temporary file appeared. A temporary file still there after
 * CLEANUP_MS counts as left over (and is removed, so the next run starts clean).
 */
export async function cutOnce(copying: Copying, delayMs: number, interrupt: Interrupt, run: number): Promise<{ outcome: Outcome; leftover: boolean; midWrite: boolean; result: CliResult }> {
  const { dir, dest, old, fresh } = copying
  writeFileSync(dest, old)
  let pid = 0
  const watcher = whenWriting(dir)
  const exited = copying.start((p) => (pid = p))
  const began = await Promise.race([watcher.writing.then(() => true), exited.then(() => false)])
  watcher.stop()
  let midWrite = false
  if (began) {
    await sleep(delayMs)
    midWrite = temps(dir).length > 0
    await interrupt(pid, run)
  }
  const result = await exited
  const leftover = !(await settle(dir))
  for (const name of temps(dir)) rmSync(join(dir, name), { force: true })
  const now = readFileSync(dest)
  const outcome: Outcome = now.equals(fresh) ? 'new' : now.equals(old) ? 'old' : 'other'
  return { outcome, leftover, midWrite, result }
}

/** How long the temporary file exists on an undisturbed run: the window the interruptions aim at. */
export async function writeWindow(copying: Copying): Promise<number> {
  writeFileSync(copying.dest, copying.old)
  const watcher = whenWriting(copying.dir)
  const exited = copying.start(() => {})
  await Promise.race([watcher.writing, exited])
  watcher.stop()
  const from = Date.now()
  while (temps(copying.dir).length) await sleep(5)
  const window = Date.now() - from
  const result = await exited
  if (!readFileSync(copying.dest).equals(copying.fresh)) throw new Error(`the undisturbed copy failed (exit ${result.code}):\n${result.stdout}\n${result.stderr}`)
  return window
}

/**
 * `runs` runs, each interrupted at a uniformly random moment from the start of the write to
 * a little past its usual end, so most land mid-transfer and some after it.
 */
export async function cutMany(copying: Copying, runs: number, windowMs: number, interrupt: Interrupt): Promise<Tally> {
  const tally: Tally = { runs, old: 0, new: 0, other: 0, leftovers: 0, midWrite: 0 }
  for (let run = 0; run < runs; run++) {
    const once = await cutOnce(copying, Math.random() * windowMs * 1.25, interrupt, run)
    tally[once.outcome]++
    if (once.leftover) tally.leftovers++
    if (once.midWrite) tally.midWrite++
  }
  return tally
}

export function describeTally(way: string, t: Tally): string {
  return `${way}: ${t.runs} runs (${t.midWrite} interrupted mid-write): old ${t.old}, new ${t.new}, other ${t.other}, temporary files left ${t.leftovers}`
}
