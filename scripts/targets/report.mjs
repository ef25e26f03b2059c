// The scores as docs/compat.md's table and test/compat/targets-scores.json. A run of some targets
// replaces those targets' rows and keeps the others, so targets can be scored one at a time.
import { existsSync, readFileSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'

const START = '<!-- targets-table -->'
const END = '<!-- /targets-table -->'
/** How many of a target's failures the generated list shows in full. */
const SHOWN = 25

const cell = (text) => String(text).replace(/\|/g, '\\|').replace(/\s+/g, ' ').slice(0, 200)
const count = (n, of) => (of ? String(n) : '-')

export function renderTable(rows) {
  const lines = [
    '| target | asserts | Ansible passes | tsplay passes | runme.sh checks | Ansible passes | tsplay passes | tsplay fails, Ansible passes | tsplay run (s) |',
    '|---|---|---|---|---|---|---|---|---|',
  ]
  for (const r of rows) {
    const a = r.ansible ?? {}
    const t = r.tsplay ?? {}
    lines.push(`| ${r.target} | ${r.asserts} | ${count(a.assertPass, r.asserts)} | ${count(t.assertPass, r.asserts)} | ${r.checks || '-'} | ${count(a.checkPass, r.checks)} | ${count(t.checkPass, r.checks)} | ${r.regressions?.length ?? '?'} | ${t.seconds ?? '?'} |`)
  }
  const total = (pick) => rows.reduce((sum, r) => sum + (pick(r) ?? 0), 0)
  lines.push(`| **all** | ${total((r) => r.asserts)} | ${total((r) => r.ansible?.assertPass)} | ${total((r) => r.tsplay?.assertPass)} | ${total((r) => r.checks)} | ${total((r) => r.ansible?.checkPass)} | ${total((r) => r.tsplay?.checkPass)} | ${total((r) => r.regressions?.length)} | |`)
  const when = [...new Set(rows.map((r) => `${r.date ?? 'today'} at ${r.commit}`))].sort()
  lines.push('', `Produced by \`node scripts/compat-targets.mjs --write\`; rows scored ${when.join(', ')} (date at tsplay commit).`, '')
  lines.push('What tsplay fails where Ansible passes, per target (tsplay\'s message, or why it never got there):', '')
  for (const r of rows.filter((row) => row.regressions?.length)) {
    lines.push(`- **${r.target}** (${r.regressions.length}):`)
    for (const { id, why } of r.regressions.slice(0, SHOWN)) lines.push(`  - \`${cell(id)}\`: ${cell(why)}`)
    if (r.regressions.length > SHOWN) lines.push(`  - and ${r.regressions.length - SHOWN} more`)
  }
  const own = rows.filter((row) => row.ansibleFailures?.length)
  if (own.length) lines.push('', 'What Ansible itself does not pass on this machine (not counted against tsplay):', '')
  for (const r of own) lines.push(`- **${r.target}**: ${r.ansibleFailures.slice(0, SHOWN).map(({ id, why }) => `\`${cell(id)}\` (${cell(why)})`).join('; ')}`)
  return `${lines.join('\n')}\n`
}

/** Merges `rows` into the scores file and rewrites docs/compat.md's table from all of it. */
export function writeResults(rows, root, scoresFile) {
  const date = new Date().toISOString().slice(0, 10)
  const before = existsSync(scoresFile) ? JSON.parse(readFileSync(scoresFile, 'utf8')) : []
  const merged = new Map(before.map((row) => [row.target, row]))
  for (const row of rows) merged.set(row.target, { ...row, date })
  const all = [...merged.values()].sort((a, b) => a.target.localeCompare(b.target))
  writeFileSync(scoresFile, `${JSON.stringify(all, null, 2)}\n`)
  const docPath = join(root, 'docs', 'compat.md')
  const doc = readFileSync(docPath, 'utf8')
  const block = `${START}\n${renderTable(all)}${END}`
  writeFileSync(docPath, doc.includes(START) ? doc.replace(new RegExp(`${START}[\\s\\S]*${END}`), block) : `${doc}\n${block}\n`)
}
