// Ansible's integration targets, tsplay's side only: each cheap target of the table in
// docs/compat.md (test/compat/targets-scores.json, written by `scripts/compat-targets.mjs
// --write`) is run again, and tsplay must pass at least as many of its asserts and runme.sh checks
// as the table says. Cheap: under 30 s under tsplay, not destructive (aliases), something passing.
import { execFileSync } from 'node:child_process'
import { existsSync, readFileSync } from 'node:fs'
import { dirname, join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { beforeAll, describe, expect, it } from 'vitest'

interface Counts {
  assertPass: number
  checkPass: number
  seconds: number
}
interface Row {
  target: string
  tsplay?: Counts
}

const HERE = dirname(fileURLToPath(import.meta.url))
const ROOT = join(HERE, '..', '..')
const CHEAP_SECONDS = 30
const rows = JSON.parse(readFileSync(join(HERE, 'targets-scores.json'), 'utf8')) as Row[]

function destructive(target: string): boolean {
  const aliases = join(ROOT, 'test', 'ansible-targets', 'targets', target, 'aliases')
  return existsSync(aliases) && /^(destructive|needs\/root)\b/m.test(readFileSync(aliases, 'utf8'))
}

const cheap = rows.filter((row): row is Row & { tsplay: Counts } => row.tsplay !== undefined && row.tsplay.seconds < CHEAP_SECONDS && row.tsplay.assertPass + row.tsplay.checkPass > 0 && !destructive(row.target))
const budgetMs = 60_000 + cheap.reduce((sum, row) => sum + row.tsplay.seconds, 0) * 3_000

describe.skipIf(cheap.length === 0)("Ansible's integration targets under tsplay do not lose ground", () => {
  let now = new Map<string, Counts>()

  beforeAll(() => {
    const out = execFileSync(process.execPath, [join(ROOT, 'scripts', 'compat-targets.mjs'), '--tool', 'tsplay', '--json', ...cheap.map((row) => row.target)], { cwd: ROOT, encoding: 'utf8', timeout: budgetMs, maxBuffer: 64 << 20, stdio: ['ignore', 'pipe', 'ignore'] })
    now = new Map((JSON.parse(out) as Required<Row>[]).map((row) => [row.target, row.tsplay]))
  }, budgetMs)

  for (const row of cheap) {
    it(row.target, () => {
      const counts = now.get(row.target)
      expect(counts, `${row.target} did not run`).toBeDefined()
      expect(counts?.assertPass, `${row.target}: asserts tsplay passes`).toBeGreaterThanOrEqual(row.tsplay.assertPass)
      expect(counts?.checkPass, `${row.target}: runme.sh checks tsplay passes`).toBeGreaterThanOrEqual(row.tsplay.checkPass)
    })
  }
})
