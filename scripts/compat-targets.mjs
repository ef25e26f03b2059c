#!/usr/bin/env node
// Scores Ansible's integration targets (test/ansible-targets/targets/, vendored unchanged) under
// ansible-playbook and under tsplay (dist/: run `npm run build` first): each assert `that` item
// and each runme.sh check on its own. Method: docs/compat.md, "Ansible's integration targets, scored".
// Usage: node scripts/compat-targets.mjs [target ...] [--tool tsplay] [--json] [--write]
//   --tool tsplay  run tsplay only (the vitest test, test/compat/targets.test.ts)
//   --json         print the rows as JSON on stdout instead of the table
//   --write        put the table in docs/compat.md and the counts in test/compat/targets-scores.json
// One target at a time, one tool at a time: ansible-playbook is slow and the machine small.
import { execFileSync } from 'node:child_process'
import { cpSync, existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { dirname, join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { rewriteAsserts } from './targets/asserts.mjs'
import { renderTable, writeResults } from './targets/report.mjs'
import { layTree, runTarget } from './targets/run.mjs'
import { assertOutcomes, checkOutcomes, passes } from './targets/score.mjs'

const ROOT = join(dirname(fileURLToPath(import.meta.url)), '..')
const VENDORED = join(ROOT, 'test', 'ansible-targets', 'targets')
export const SCORES = join(ROOT, 'test', 'compat', 'targets-scores.json')

/** The targets scored (the setup_* and prepare_* ones are only dependencies). */
const SCORED = [
  'assert', 'blocks', 'command_shell', 'copy', 'file', 'handlers', 'include_vars', 'lineinfile',
  'lookup_config', 'lookup_csvfile', 'lookup_dict', 'lookup_file', 'lookup_fileglob', 'lookup_first_found',
  'lookup_indexed_items', 'lookup_ini', 'lookup_inventory_hostnames', 'lookup_items', 'lookup_lines',
  'lookup_list', 'lookup_nested', 'lookup_pipe', 'lookup_random_choice', 'lookup_sequence', 'lookup_subelements',
  'lookup_template', 'lookup_together', 'lookup_unvault', 'lookup_varnames', 'lookup_vars', 'loop_control',
  'loops', 'set_fact', 'shell', 'stat', 'tags', 'template',
]
/** runme.sh compares the whole output with recorded files: its asserts fail on purpose and stay as they are. */
const UNTOUCHED = new Set(['assert'])

function parseArgs(argv) {
  const tool = argv.includes('--tool') ? argv[argv.indexOf('--tool') + 1] : undefined
  const chosen = argv.filter((a, i) => !a.startsWith('--') && argv[i - 1] !== '--tool')
  return { tools: tool ? [tool] : ['ansible', 'tsplay'], targets: chosen.length ? chosen : SCORED, json: argv.includes('--json'), write: argv.includes('--write') }
}

/** The shared copy: the vendored targets with their asserts rewritten once, for both tools. */
function stage(work) {
  const targets = join(work, 'stage')
  cpSync(VENDORED, targets, { recursive: true })
  const places = rewriteAsserts(targets, (target) => !UNTOUCHED.has(target))
  return { targets, places }
}

/** Each tool runs in a copy of its own (runme.sh writes beside itself), made once per run. */
function toolTree(tool, staged, work) {
  const integration = join(work, tool, 'test', 'integration')
  if (!existsSync(integration)) {
    layTree(integration)
    cpSync(staged.targets, join(integration, 'targets'), { recursive: true })
  }
  return integration
}

function scoreTool(tool, target, staged, work) {
  const integration = toolTree(tool, staged, work)
  const started = Date.now()
  const run = runTarget(tool, target, integration)
  const local = (text) => text.replaceAll(`${join(integration, 'targets')}/`, '').replaceAll(work, '<tmp>')
  const stop = run.results.filter((r) => r.status === 'failed' && !r.ignored).at(-1)
  return {
    stoppedAt: stop ? local(`${stop.path}: ${stop.msg}`) : undefined,
    seconds: Math.round((Date.now() - started) / 1000),
    asserts: assertOutcomes(run.results, staged.places, join(integration, 'targets')),
    checks: checkOutcomes(run.checks, run.exitCode),
    exitCode: run.exitCode,
    errors: run.tsplayErrors.map(local),
    tail: local(run.tail),
  }
}

const recorded = (target) => (existsSync(SCORES) ? JSON.parse(readFileSync(SCORES, 'utf8')) : []).find((row) => row.target === target)

/**
 * Ansible's outcomes as the scores file recorded them, for a run of tsplay alone: every assert
 * and check passes but those listed as Ansible's failures. Undefined when the record cannot say.
 */
function recordedReference(row, ids) {
  const complete = row?.ansible && (row.ansibleFailures || (row.ansible.assertPass === row.asserts && row.ansible.checkPass === row.checks))
  if (!complete) return undefined
  const failed = new Set((row.ansibleFailures ?? []).map(({ id }) => id))
  const outcomes = (list) => new Map(list.map((id) => [id, failed.has(id) ? { outcome: 'fail' } : { outcome: 'pass', msg: row.checkTexts?.[id] ?? '' }]))
  return { asserts: outcomes(ids), checks: outcomes(row.checkIds ?? []) }
}

function scoreTarget(target, tools, staged, work) {
  const ids = [...staged.places.values()].filter((id) => id.startsWith(`${target}/`))
  const byTool = Object.fromEntries(tools.map((tool) => [tool, scoreTool(tool, target, staged, work)]))
  const row = { target, asserts: ids.length }
  const before = byTool.ansible ? undefined : recorded(target)
  const reference = byTool.ansible ?? recordedReference(before, ids)
  // The checks are those Ansible's run of runme.sh made; without it, those the scores file recorded.
  const checkIds = byTool.ansible ? [...byTool.ansible.checks.keys()] : (before?.checkIds ?? [])
  const checkTexts = Object.fromEntries(checkIds.map((id) => [id, byTool.ansible?.checks.get(id)?.msg ?? before?.checkTexts?.[id] ?? '']))
  Object.assign(row, { checks: checkIds.length, checkIds, checkTexts })
  if (before?.ansible) Object.assign(row, { ansible: before.ansible, ansibleFailures: before.ansibleFailures })
  for (const [tool, scored] of Object.entries(byTool)) {
    row[tool] = { assertPass: passes(ids, scored.asserts), checkPass: passes(checkIds, scored.checks), seconds: scored.seconds, exitCode: scored.exitCode }
    if (scored.exitCode !== 0) row[tool].stopped = scored.errors[0] ?? scored.checks.exitedAt ?? scored.stoppedAt ?? scored.tail.split('\n').at(-1)
  }
  if (byTool.ansible) row.ansibleFailures = [...ids, ...checkIds].flatMap((id) => {
    const outcome = byTool.ansible.asserts.get(id) ?? byTool.ansible.checks.get(id)
    return outcome?.outcome === 'pass' ? [] : [{ id, why: outcome?.msg ?? 'not reached' }]
  })
  if (reference && byTool.tsplay) row.regressions = regressions(ids, checkIds, reference, byTool.tsplay)
  return { row, byTool }
}

/** Each assert and check that passes under Ansible and not under tsplay, with tsplay's message. */
function regressions(ids, checkIds, ansible, tsplay) {
  const stopped = tsplay.checks.exitedAt ?? (tsplay.stoppedAt && `stopped at ${tsplay.stoppedAt}`)
  // A runme.sh runs many playbooks: the error that explains an unreached assert is one naming its file.
  const errorFor = (id) => tsplay.errors.find((error) => error.includes(id.split(':')[0])) ?? (new Set(tsplay.errors).size === 1 ? tsplay.errors[0] : undefined)
  const why = (outcome, id) => outcome?.msg ?? ((errorFor(id) ?? stopped) ? `not reached (${errorFor(id) ?? stopped})` : 'not reached')
  return [
    ...ids.filter((id) => ansible.asserts.get(id)?.outcome === 'pass' && tsplay.asserts.get(id)?.outcome !== 'pass').map((id) => ({ id, why: why(tsplay.asserts.get(id), id) })),
    ...checkIds.filter((id) => ansible.checks.get(id)?.outcome === 'pass' && tsplay.checks.get(id)?.outcome !== 'pass').map((id) => ({ id: `${id} ${ansible.checks.get(id).msg ?? ''}`.trim(), why: why(tsplay.checks.get(id), id) })),
  ]
}

const args = parseArgs(process.argv.slice(2))
const commit = execFileSync('git', ['rev-parse', '--short', 'HEAD'], { cwd: ROOT, encoding: 'utf8' }).trim()
const work = mkdtempSync(join(tmpdir(), 'tsplay-targets-'))
const staged = stage(work)
const rows = []
for (const target of args.targets) {
  const { row } = scoreTarget(target, args.tools, staged, work)
  rows.push({ ...row, commit })
  console.error(`${target}: ${JSON.stringify({ ...row, checkIds: undefined, checkTexts: undefined, ansibleFailures: row.ansibleFailures?.length, regressions: row.regressions?.length })}`)
}
if (process.argv.includes('--keep')) console.error(`work tree kept: ${work}`)
else rmSync(work, { recursive: true, force: true })
if (args.json) console.log(JSON.stringify(rows, null, 2))
else console.log(renderTable(rows))
if (args.write) writeResults(rows, ROOT, SCORES)
writeFileSync(join(tmpdir(), 'tsplay-targets-last.json'), JSON.stringify(rows, null, 2))
