/** What is mounted where, from /proc/self/mountinfo (bind mounts included, unlike a device check). */
import { ModuleError } from '../errors.js'
import { defineFact } from '../module.js'
import { sh } from '../quote.js'

export interface LiveMount {
  /** The mount point. */
  dst: string
  /** The source as mount shows it (a device, `tmpfs`, a server:/export). */
  source: string
  /** The directory of the source file system that is mounted (not `/` for a bind mount of a subdirectory). */
  root: string
  fstype: string
  opts: string
}

/** Mount point -> what is mounted there (the last, i.e. topmost, mount wins). */
export const mountsFact = defineFact<Record<string, LiveMount>, ''>({
  name: 'mounts',
  command: () => sh`cat /proc/self/mountinfo`,
  parse: (result) => {
    if (result.code !== 0) throw new ModuleError(`cannot read /proc/self/mountinfo: ${result.stderr.trim()}`, { rc: result.code })
    return parseMountinfo(result.stdout)
  },
})

/** mountinfo escapes space, tab, newline and backslash as octal (\040). */
function unescape(field: string): string {
  return field.replace(/\\([0-7]{3})/g, (_, octal: string) => String.fromCharCode(parseInt(octal, 8)))
}

export function parseMountinfo(text: string): Record<string, LiveMount> {
  const mounts: Record<string, LiveMount> = {}
  for (const line of text.split('\n')) {
    const fields = line.trim().split(' ')
    // id parent major:minor root dst opts [optional...] - fstype source superopts
    const dash = fields.indexOf('-', 6)
    if (dash < 0) continue
    const dst = unescape(fields[4] ?? '')
    mounts[dst] = {
      dst,
      root: unescape(fields[3] ?? ''),
      opts: fields[5] ?? '',
      fstype: fields[dash + 1] ?? '',
      source: unescape(fields[dash + 2] ?? ''),
    }
  }
  return mounts
}
