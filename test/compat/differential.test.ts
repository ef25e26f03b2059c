// The differential harness: every case under test/fixtures/compat/<area>/*.yml runs through
// ansible-playbook and tsplay, and they must agree (rc, recap, task by task, the files under
// {{ out }}); a case marked `# compat: known-difference <reason>` must still differ, so a fix is noticed.
// One case: npx vitest run test/compat/differential.test.ts -t 'core/loop'
import { describe, expect, it } from 'vitest'
import { findCases } from './cases.js'
import { runCase } from './differential.js'

const CASE_TIMEOUT_MS = 120_000

describe.concurrent('ansible-playbook and tsplay agree', () => {
  for (const compatCase of findCases()) {
    it(compatCase.id, { timeout: CASE_TIMEOUT_MS }, async () => {
      const { differences } = await runCase(compatCase)
      if (compatCase.knownDifference) {
        expect(differences, `${compatCase.id} is marked known-difference (${compatCase.knownDifference}) but the tools now agree: remove the mark`).not.toEqual([])
      } else {
        expect(differences, `${compatCase.id}: ansible-playbook and tsplay differ`).toEqual([])
      }
    })
  }
})
