// From one tool's run of a target (run.mjs) to outcomes: per assert identity (asserts.mjs) and
// per runme.sh check, each 'pass' or 'fail' with a message; what never ran is absent.
import { relative } from 'node:path'

/**
 * An assert passes when it ran (not skipped) at least once and passed every time it ran: a looped
 * assert, or one in a playbook runme.sh runs several times, is still one assert.
 */
export function assertOutcomes(results, places, targets) {
  const outcomes = new Map()
  for (const { path, status, msg } of results) {
    const identity = places.get(relative(targets, path))
    if (!identity || status === 'skipped') continue
    const before = outcomes.get(identity)
    if (before?.outcome === 'fail') continue
    outcomes.set(identity, status === 'ok' || status === 'changed' ? { outcome: 'pass' } : { outcome: 'fail', msg: msg || status })
  }
  return outcomes
}

/**
 * A command that tests something: a test, a grep or diff of the output, or a run of Ansible's.
 * Not `[[`: runme.sh writes it as an if's condition (`if [[ ... ]]; then exit 1`), which fails no
 * script; such a check shows only when it fails, as the line the script exited at.
 */
const CHECK = /^(?:\w+=\S*\s+)*(?:\[|test|grep|diff|cmp|ansible[\w-]*)(?:\s|$)|ansible-playbook/

/**
 * runme.sh's checks, from bash-env.sh's log: each run of a line (consecutive commands logged at
 * that line) that holds a check command (or failed), known as `runme.sh:LINE` (`#N` for its Nth run, in a
 * loop or a function called again). It fails when a command there failed where errexit would have
 * ended the script, or when the script exited with an error there or in a function called there.
 */
export function checkOutcomes(entries, exitCode) {
  const runs = []
  for (const [i, [kind, line, depth, command]] of entries.entries()) {
    // Line 1 is runme.sh's #! line: what is logged there is the script's EXIT trap at work.
    if (line === '1') continue
    const last = runs.at(-1)
    if (kind === 'failed') {
      if (last) last.failed = command
      continue
    }
    // bash runs the DEBUG trap once more just before the ERR trap: the same command, logged twice.
    const next = entries[i + 1]
    if (next?.[0] === 'failed' && last?.line === line && last.commands.at(-1) === command) continue
    if (last?.line === line && last.depth === depth && !last.failed) last.commands.push(command)
    else runs.push({ line, depth, commands: [command] })
  }
  // An exit with an error ends the script where it ran and in every call leading there.
  if (exitCode !== 0) {
    let depth = Infinity
    for (const run of [...runs].reverse()) {
      if (Number(run.depth) >= depth) continue
      depth = Number(run.depth)
      run.failed ??= `${run.commands.at(-1)} (exit ${exitCode})`
    }
  }
  const outcomes = new Map()
  const exited = exitCode !== 0 && runs.at(-1)
  if (exited) outcomes.exitedAt = `runme.sh exited (${exitCode}) at line ${exited.line}: ${exited.commands.at(-1).slice(0, 120)}`
  const seen = new Map()
  for (const run of runs) {
    if (!run.failed && !run.commands.some((command) => CHECK.test(command))) continue
    const n = (seen.get(run.line) ?? 0) + 1
    seen.set(run.line, n)
    const id = n > 1 ? `runme.sh:${run.line}#${n}` : `runme.sh:${run.line}`
    const text = (run.commands.find((command) => CHECK.test(command)) ?? run.commands.at(-1)).slice(0, 120)
    outcomes.set(id, run.failed ? { outcome: 'fail', msg: `${text}: failed` } : { outcome: 'pass', msg: text })
  }
  return outcomes
}

/** How many of `ids` pass in `outcomes`. */
export const passes = (ids, outcomes) => ids.filter((id) => outcomes.get(id)?.outcome === 'pass').length
