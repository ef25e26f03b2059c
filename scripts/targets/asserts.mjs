// The one change both tools' copy of the targets gets: every assert with several `that` items
// becomes one assert per item (same keys otherwise, same place), and gets `ignore_errors: true`
// where that cannot change what the target does, so that each item is scored on its own and a
// failed one does not hide the ones after it. Each resulting assert is known by its identity:
// the original file:line (relative to the targets folder), plus `#N` for the Nth item of several.
import { readFileSync, readdirSync, statSync, writeFileSync } from 'node:fs'
import { join, relative } from 'node:path'
import { LineCounter, isMap, isSeq, parseDocument } from 'yaml'

const ASSERT = new Set(['assert', 'ansible.builtin.assert', 'ansible.legacy.assert'])
/** Keys whose value is a task list: a play's sections and a block's. */
const TASK_LISTS = ['tasks', 'pre_tasks', 'post_tasks', 'handlers', 'block', 'rescue', 'always']
/** An assert that already decides what its failure does keeps that decision. */
const DECIDES_FAILURE = ['ignore_errors', 'failed_when']

const keyOf = (pair) => String(pair.key?.value ?? pair.key)
const assertKey = (task) => task.items.map(keyOf).find((key) => ASSERT.has(key))

function yamlFiles(dir) {
  return readdirSync(dir).flatMap((name) => {
    const full = join(dir, name)
    if (statSync(full).isDirectory()) return yamlFiles(full)
    return /\.ya?ml$/.test(name) ? [full] : []
  })
}

/**
 * Every assert task of a YAML node, in document order, with whether a rescue encloses it (an
 * ignored failure there would skip the rescue the target means to reach).
 */
function* assertsOf(node, rescued = false) {
  if (!isSeq(node)) return
  for (const [index, task] of node.items.entries()) {
    if (!isMap(task)) continue
    if (assertKey(task)) yield { list: node, index, task, rescued }
    const inner = rescued || task.has('rescue')
    for (const key of TASK_LISTS) yield* assertsOf(task.get(key, true), inner)
  }
}

/** Messages an assert prints: runme.sh may count them (blocks' 78612 greps one PASSED), so such an assert stays whole. */
const MESSAGES = ['msg', 'success_msg', 'fail_msg']

/** The `that` items of an assert task, or undefined when it is free-form, has one item, or prints a message of its own. */
function thatItems(task) {
  const args = task.get(assertKey(task), true)
  if (!isMap(args) || MESSAGES.some((key) => args.has(key))) return undefined
  const that = args.get('that', true)
  return isSeq(that) && that.items.length > 1 ? that.items : undefined
}

function split(found) {
  const items = thatItems(found.task)
  if (!items) return [found.task]
  // Each copy keeps `that` a list (of one item), as the original wrote it.
  return items.map((_, i) => {
    const one = found.task.clone()
    const that = one.get(assertKey(one), true).get('that', true)
    that.items = [that.items[i]]
    return one
  })
}

/**
 * Rewrites the asserts of every YAML file under `root` (the targets folder) in place. Returns a
 * map from each assert's place in the rewritten copy (`file:line`, file relative to root) to its
 * identity. `rewritable(target)` says whether that target's files may change at all.
 */
export function rewriteAsserts(root, rewritable) {
  const places = new Map()
  for (const file of yamlFiles(root)) {
    const name = relative(root, file)
    if (!rewritable(name.split('/')[0])) continue
    const document = parseDocument(readFileSync(file, 'utf8'))
    if (document.errors.length) continue
    const found = [...assertsOf(document.contents)]
    if (!found.length) continue
    const lines = new LineCounter()
    parseDocument(readFileSync(file, 'utf8'), { lineCounter: lines })
    const identities = []
    // From the last, so that splicing one list leaves the indexes of the earlier ones right.
    for (const one of [...found].reverse()) {
      const origin = `${name}:${lines.linePos(one.task.range[0]).line}`
      const copies = split(one)
      const ignore = !one.rescued && !DECIDES_FAILURE.some((key) => one.task.has(key))
      for (const copy of copies) if (ignore) copy.set('ignore_errors', true)
      one.list.items.splice(one.index, 1, ...copies)
      identities.unshift(...copies.map((_, i) => (copies.length > 1 ? `${origin}#${i + 1}` : origin)))
    }
    writeFileSync(file, document.toString({ lineWidth: 0 }))
    const after = new LineCounter()
    const again = parseDocument(readFileSync(file, 'utf8'), { lineCounter: after })
    const rewritten = [...assertsOf(again.contents)]
    if (rewritten.length !== identities.length) throw new Error(`${name}: ${identities.length} asserts written, ${rewritten.length} read back`)
    rewritten.forEach((one, i) => places.set(`${name}:${after.linePos(one.task.range[0]).line}`, identities[i]))
  }
  return places
}
