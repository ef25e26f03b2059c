/**
 * Diffs with secrets hidden, where a changed secret line still reads as changed:
 *
 *   -password = ********
 *   +password = ********
 *
 * The patch is computed on the real texts, then each line is masked; masking first would make
 * the two sides equal and the change would vanish from the diff.
 *
 * The old side may hold a secret the vault never knew (the password being replaced). So besides
 * hiding every registered secret, a line is masked after the text that leads up to a secret in
 * the new version ("password = "), on both sides; and an old line replaced by a line holding a
 * secret is hidden whole when nothing else hid it.
 */
import { diffLines, formatPatch, structuredPatch } from 'diff'
import type { FileDiff } from '../diff.js'
import { hasSecrets, MASK, scrub, secretIndex } from '../secrets.js'

interface Sides {
  before: string[]
  after: string[]
}

/** The diff as data, both texts masked (for --json). */
export function maskDiff(diff: FileDiff): FileDiff {
  if (!hasSecrets()) return diff
  const sides = maskSides(diff)
  return {
    header: scrub(diff.header),
    before: sides.before.join('\n'),
    after: sides.after.join('\n'),
    ...(diff.beforeHeader !== undefined ? { beforeHeader: scrub(diff.beforeHeader) } : {}),
    ...(diff.afterHeader !== undefined ? { afterHeader: scrub(diff.afterHeader) } : {}),
  }
}

/** A unified diff (createTwoFilesPatch's text) of the real texts, its lines masked. */
export function maskedPatch(diff: FileDiff): string {
  const patch = structuredPatch(diff.beforeHeader ?? `before: ${diff.header}`, diff.afterHeader ?? `after: ${diff.header}`, diff.before, diff.after, undefined, undefined, { context: 3 })
  if (!hasSecrets()) return formatPatch(patch)
  const sides = maskSides(diff)
  patch.oldFileName = scrub(patch.oldFileName)
  patch.newFileName = scrub(patch.newFileName)
  for (const hunk of patch.hunks) {
    let oldIndex = hunk.oldStart - 1
    let newIndex = hunk.newStart - 1
    hunk.lines = hunk.lines.map((line) => {
      const mark = line[0]
      if (mark === '-') return '-' + (sides.before[oldIndex++] ?? MASK)
      if (mark === '+') return '+' + (sides.after[newIndex++] ?? MASK)
      if (mark === ' ') {
        oldIndex++
        return ' ' + (sides.after[newIndex++] ?? MASK)
      }
      return line
    })
  }
  return formatPatch(patch)
}

function maskSides(diff: FileDiff): Sides {
  const before = diff.before.split('\n')
  const after = diff.after.split('\n')
  const prefixes = after
    .map((line) => line.slice(0, Math.max(0, secretIndex(line))))
    .filter((prefix) => prefix.trim() !== '')
    .sort((a, b) => b.length - a.length)
  const maskLine = (line: string): string => {
    const prefix = prefixes.find((p) => line.startsWith(p))
    return prefix !== undefined ? prefix + MASK : scrub(line)
  }
  const masked: Sides = { before: before.map(maskLine), after: after.map(maskLine) }
  hideReplacedLines(diff, before, after, masked)
  return masked
}

/** An old line whose replacement holds a secret (and that nothing else hid) is hidden whole. */
function hideReplacedLines(diff: FileDiff, before: string[], after: string[], masked: Sides): void {
  let oldIndex = 0
  let newIndex = 0
  let removed: number[] = []
  for (const change of diffLines(diff.before, diff.after)) {
    const count = change.count ?? 0
    if (change.removed) {
      removed = Array.from({ length: count }, (_, i) => oldIndex + i)
      oldIndex += count
    } else if (change.added) {
      for (let i = 0; i < count; i++, newIndex++) {
        const old = removed[i]
        const line = after[newIndex] ?? ''
        if (old !== undefined && (secretIndex(line) >= 0 || masked.after[newIndex] !== line) && masked.before[old] === before[old]) masked.before[old] = MASK
      }
      removed = []
    } else {
      oldIndex += count
      newIndex += count
      removed = []
    }
  }
}
