/**
 * A lock file holding the owner's pid, so two `lab up` (two test files, or a person and CI) never
 * create the same container or build the same image at once. A lock whose process is gone is taken over.
 */
import { mkdirSync, openSync, readFileSync, rmSync, writeSync, closeSync } from 'node:fs'
import { dirname } from 'node:path'
import { setTimeout as sleep } from 'node:timers/promises'
import { LabError } from './errors.js'

export async function withLock<T>(file: string, what: string, work: () => Promise<T>, timeoutMs = 15 * 60_000): Promise<T> {
  await acquire(file, what, timeoutMs)
  try {
    return await work()
  } finally {
    rmSync(file, { force: true })
  }
}

async function acquire(file: string, what: string, timeoutMs: number): Promise<void> {
  mkdirSync(dirname(file), { recursive: true })
  const deadline = Date.now() + timeoutMs
  for (;;) {
    try {
      const fd = openSync(file, 'wx')
      writeSync(fd, String(process.pid))
      closeSync(fd)
      return
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code !== 'EEXIST') throw err
    }
    let owner = ownerOf(file)
    // The owner may be between creating the file and writing its pid: look again before judging.
    if (owner === undefined) {
      await sleep(200)
      owner = ownerOf(file)
    }
    if (owner === undefined || !alive(owner)) {
      rmSync(file, { force: true })
      continue
    }
    if (Date.now() > deadline) throw new LabError(`${what} is locked by process ${owner} (${file}); waited ${Math.round(timeoutMs / 1000)} s`)
    await sleep(300)
  }
}

function ownerOf(file: string): number | undefined {
  try {
    const pid = Number(readFileSync(file, 'utf8').trim())
    return Number.isInteger(pid) && pid > 0 ? pid : undefined
  } catch {
    return undefined
  }
}

function alive(pid: number): boolean {
  try {
    process.kill(pid, 0)
    return true
  } catch (err) {
    return (err as NodeJS.ErrnoException).code === 'EPERM'
  }
}
