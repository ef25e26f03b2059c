/**
 * A fingerprint of a directory tree, to prove check mode wrote nothing: the one tree hasher of
 * the tests (module tests through test/helpers/module-harness.ts's `converge`, executor tests).
 */
import { createHash } from 'node:crypto'
import { lstatSync, readdirSync, readFileSync, readlinkSync } from 'node:fs'
import { join } from 'node:path'

/**
 * Every entry below `dir`: name, type, mode, owner, size, content hash, link target, mtime.
 * `dirTimes: false` ignores directories' mtimes (a temporary file created and removed changes them);
 * `fileTimes: false` files' mtimes (a test that writes the same bytes again changes them).
 */
export function fingerprint(dir: string, options: { dirTimes?: boolean; fileTimes?: boolean } = {}): string {
  const lines: string[] = []
  const walk = (path: string, rel: string): void => {
    const st = lstatSync(path)
    let extra = ''
    if (st.isSymbolicLink()) extra = `-> ${readlinkSync(path)}`
    else if (st.isFile()) extra = createHash('sha1').update(readFileSync(path)).digest('hex')
    const timeKept = st.isDirectory() ? options.dirTimes !== false : options.fileTimes !== false
    const time = timeKept ? String(st.mtimeMs) : '-'
    lines.push(`${rel} ${st.mode.toString(8)} ${st.uid}:${st.gid} ${st.size} ${time} ${st.ino} ${extra}`)
    if (st.isDirectory()) for (const name of readdirSync(path).sort()) walk(join(path, name), `${rel}/${name}`)
  }
  walk(dir, '.')
  return lines.join('\n')
}
