/**
 * Before/after text for file diffs. Text is shown as it is; a binary or oversized file is
 * described in one line rather than dumped into the terminal.
 */
import { createHash } from 'node:crypto'
import type { FileDiff } from '../diff.js'

/** Ansible's limit for diffing a file (max_diff_size). */
export const MAX_DIFF_BYTES = 104448

export type DiffSide = Buffer | { absent: true } | { tooBig: number }

export function sha1(content: string | Buffer): string {
  return createHash('sha1').update(content).digest('hex')
}

/** True when the bytes are not UTF-8 text (a NUL byte, or bytes that do not decode). */
export function isBinary(content: Buffer): boolean {
  if (content.includes(0)) return true
  return !Buffer.from(content.toString('utf8'), 'utf8').equals(content)
}

function describe(side: DiffSide): string {
  if (Buffer.isBuffer(side)) {
    if (side.length > MAX_DIFF_BYTES) return `(file of ${side.length} bytes, larger than ${MAX_DIFF_BYTES}: not shown)\n`
    if (isBinary(side)) return `(binary file, ${side.length} bytes, sha1 ${sha1(side)})\n`
    return side.toString('utf8')
  }
  if ('absent' in side) return ''
  return `(file of ${side.tooBig} bytes, larger than ${MAX_DIFF_BYTES}: not shown)\n`
}

/** A diff of a file's content; an absent side is empty, as in Ansible's diff of a new file. */
export function contentDiff(path: string, before: DiffSide, after: DiffSide): FileDiff {
  const diff: FileDiff = { header: path, before: describe(before), after: describe(after) }
  if (!Buffer.isBuffer(before) && 'absent' in before) diff.beforeHeader = `${path} (absent)`
  if (!Buffer.isBuffer(after) && 'absent' in after) diff.afterHeader = `${path} (absent)`
  return diff
}
