#!/usr/bin/env node
// The stack's health report: runs playbooks/health.yml (it only reads) and prints one line per
// check, read from the hosts, or with --json one document. Exit 0 when every check passed, 1 when
// one failed or a host could not be reached, 2 when the run itself could not be made.
//   node scripts/health.mjs [-i INVENTORY] [--json] [more tsplay run options]
import { spawnSync } from 'node:child_process'
import { dirname, join } from 'node:path'
import { fileURLToPath } from 'node:url'

const ROOT = join(dirname(fileURLToPath(import.meta.url)), '..')
const PREFIX = 'health: '

const args = process.argv.slice(2)
const json = args.includes('--json')
const rest = args.filter((a) => a !== '--json')
if (!rest.includes('-i') && !rest.some((a) => a.startsWith('--inventory'))) rest.push('-i', join(ROOT, 'inventory', 'lab'))

const run = spawnSync(process.execPath, [join(ROOT, 'bin', 'tsplay'), 'run', join(ROOT, 'playbooks', 'health.yml'), '--json', ...rest], {
  encoding: 'utf8',
  maxBuffer: 64 * 1024 * 1024,
  env: { ...process.env, CI: '1' },
})
let result
try {
  result = JSON.parse(run.stdout)
} catch {
  process.stderr.write(`health: tsplay run printed no report (exit ${run.status}):\n${run.stderr}${run.stdout}`)
  process.exit(2)
}

/** Every health task's result on every host, then a failed check for each host that could not be reached. */
const checks = []
for (const task of result.plays.flatMap((p) => p.tasks)) {
  const name = task.task.name.replace(/^[^:]+ : /, '')
  if (!name.startsWith(PREFIX)) continue
  for (const [host, r] of Object.entries(task.hosts).sort(([a], [b]) => a.localeCompare(b))) {
    if (r.status === 'skipped') continue
    checks.push({ check: name.slice(PREFIX.length), host, ok: r.status === 'ok', detail: String(r.msg ?? '') })
  }
}
for (const [host, s] of Object.entries(result.stats)) {
  if (s.unreachable) checks.push({ check: 'reachable over SSH', host, ok: false, detail: 'unreachable' })
}
const failed = checks.filter((c) => !c.ok).length

if (json) {
  process.stdout.write(JSON.stringify({ passed: checks.length - failed, failed, checks }, null, 2) + '\n')
} else {
  const width = Math.max(...checks.map((c) => c.check.length + c.host.length + 3))
  for (const c of checks) process.stdout.write(`${c.ok ? 'ok  ' : 'FAIL'}  ${`${c.check} [${c.host}]`.padEnd(width)}  ${c.detail}\n`)
  process.stdout.write(`health: ${checks.length - failed} of ${checks.length} checks passed\n`)
}
process.exit(failed || !checks.length ? 1 : 0)
