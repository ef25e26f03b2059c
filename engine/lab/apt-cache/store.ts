/**
 * The cache on disk: one file per URL under the cache folder, written to `.partial/` first and
 * renamed into place only once its length matched what the mirror announced.
 */
import { randomBytes } from 'node:crypto'
import { createWriteStream, mkdirSync, readdirSync, readFileSync, renameSync, rmSync, statSync, type WriteStream } from 'node:fs'
import { dirname, join } from 'node:path'

export interface Cached {
  file: string
  size: number
  mtimeMs: number
}

export class Store {
  constructor(readonly dir: string) {}

  /** Drops the temp files of downloads a previous server did not finish. */
  clearPartial(): void {
    rmSync(join(this.dir, '.partial'), { recursive: true, force: true })
  }

  lookup(relative: string): Cached | undefined {
    const file = join(this.dir, relative)
    try {
      const st = statSync(file)
      return st.isFile() ? { file, size: st.size, mtimeMs: st.mtimeMs } : undefined
    } catch {
      return undefined
    }
  }

  read(relative: string): Buffer | undefined {
    try {
      return readFileSync(join(this.dir, relative))
    } catch {
      return undefined
    }
  }

  /** A temp file for a download; `commit` moves it into place, `discard` removes it. */
  begin(): { path: string; stream: WriteStream } {
    const partial = join(this.dir, '.partial')
    mkdirSync(partial, { recursive: true })
    const path = join(partial, randomBytes(8).toString('hex'))
    return { path, stream: createWriteStream(path) }
  }

  commit(temp: string, relative: string): void {
    const file = join(this.dir, relative)
    mkdirSync(dirname(file), { recursive: true })
    renameSync(temp, file)
  }

  discard(temp: string): void {
    rmSync(temp, { force: true })
  }

  /**
   * A suite's release file changed: its indexes cached by name (not by hash) and its detached
   * signature no longer match it, so they go; `keep` is the release file just stored.
   */
  invalidateSuite(relativeDir: string, keep: string): number {
    let removed = 0
    const walk = (dir: string): void => {
      let names: string[]
      try {
        names = readdirSync(dir)
      } catch {
        return
      }
      for (const name of names) {
        const full = join(dir, name)
        if (name === 'by-hash') continue
        if (statSync(full, { throwIfNoEntry: false })?.isDirectory()) walk(full)
        else if (full !== join(this.dir, keep)) {
          rmSync(full, { force: true })
          removed++
        }
      }
    }
    walk(join(this.dir, relativeDir))
    return removed
  }
}
