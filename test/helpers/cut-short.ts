/**
 * Cuts a copy short at a random point while its content travels (a signal to tsplay, a
 * dropped connection) and tells what the destination became: the old file, the new one, or
 * anything else, and whether a temporary file was left beside it.
 */
import { readdirSync, readFileSync, rmSync, statSync, watch, writeFileSync } from 'node:fs'
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
  /** Runs interrupted mid-transfer: the temporary file held only part of the content. */
  midTransfer: number
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

/** Bytes the host has written so far, or undefined when no temporary file is there. */
function received(dir: string): number | undefined {
  const name = temps(dir)[0]
  if (name === undefined) return undefined
  try {
    return statSync(join(dir, name)).size
  } catch {
    return undefined
  }
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
export async function cutOnce(copying: Copying, delayMs: number, interrupt: Interrupt, run: number): Promise<{ outcome: Outcome; leftover: boolean; midTransfer: boolean; result: CliResult }> {
  const { dir, dest, old, fresh } = copying
  writeFileSync(dest, old)
  let pid = 0
  const watcher = whenWriting(dir)
  const exited = copying.start((p) => (pid = p))
  const began = await Promise.race([watcher.writing.then(() => true), exited.then(() => false)])
  watcher.stop()
  let midTransfer = false
  if (began) {
    await sleep(delayMs)
    const got = received(dir)
    midTransfer = got !== undefined && got < fresh.length
    await interrupt(pid, run)
  }
  const result = await exited
  const leftover = !(await settle(dir))
  for (const name of temps(dir)) rmSync(join(dir, name), { force: true })
  const now = readFileSync(dest)
  const outcome: Outcome = now.equals(fresh) ? 'new' : now.equals(old) ? 'old' : 'other'
  return { outcome, leftover, midTransfer, result }
}

/**
 * How long the content takes to arrive on an undisturbed run (from the temporary file's
 * creation until it holds every byte): the window the interruptions aim at. The checks and
 * the rename that follow are quick, and an interruption there finds the content whole.
 */
export async function transferWindow(copying: Copying): Promise<number> {
  writeFileSync(copying.dest, copying.old)
  const watcher = whenWriting(copying.dir)
  const exited = copying.start(() => {})
  await Promise.race([watcher.writing, exited])
  watcher.stop()
  const from = Date.now()
  for (;;) {
    const got = received(copying.dir)
    if (got === undefined || got >= copying.fresh.length) break
    await sleep(2)
  }
  const window = Date.now() - from
  const result = await exited
  if (!readFileSync(copying.dest).equals(copying.fresh)) throw new Error(`the undisturbed copy failed (exit ${result.code}):\n${result.stdout}\n${result.stderr}`)
  return window
}

/**
 * `runs` runs, each interrupted at a uniformly random moment from the start of the transfer
 * to a little past its usual end, so most land mid-transfer and some after it.
 */
export async function cutMany(copying: Copying, runs: number, windowMs: number, interrupt: Interrupt): Promise<Tally> {
  const tally: Tally = { runs, old: 0, new: 0, other: 0, leftovers: 0, midTransfer: 0 }
  for (let run = 0; run < runs; run++) {
    const once = await cutOnce(copying, Math.random() * windowMs * 1.25, interrupt, run)
    tally[once.outcome]++
    if (once.leftover) tally.leftovers++
    if (once.midTransfer) tally.midTransfer++
  }
  return tally
}

export function describeTally(way: string, t: Tally): string {
  return `${way}: ${t.runs} runs (${t.midTransfer} cut mid-transfer): old ${t.old}, new ${t.new}, other ${t.other}, temporary files left ${t.leftovers}`
}
