/** set_fact as Ansible 2.14's action plugin and strategy treat it, run by the executor in process. */
import { existsSync, mkdtempSync, readFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { describe, expect, it } from 'vitest'
import { runExec } from '../helpers/exec-harness.js'

describe('set_fact', () => {
  it('in a loop, each item sees the facts the items before it set (a list built item by item)', async () => {
    const run = await runExec({
      'site.yml': `- hosts: h1
  gather_facts: false
  tasks:
    - set_fact:
        dig: "{{ dig + [item] }}"
      loop: [two, three]
      vars:
        dig: [one]
    - assert: { that: ["dig == ['one', 'two', 'three']"] }
`,
    })
    expect(run.exitCode, JSON.stringify(run.events)).toBe(0)
  })

  it('makes booleans of "yes"/"no"/"true"/"false" text unless jinja2_native is on', async () => {
    const files = (checks: string) => ({
      'site.yml': `- hosts: h1
  gather_facts: false
  vars: { no_text: "no" }
  tasks:
    - set_fact: { quoted: "yes", rendered: "{{ no_text }}", other: "maybe" }
    - assert: { that: [${checks}, "other == 'maybe'"] }
`,
    })
    expect((await runExec(files('"quoted is sameas true", "rendered is sameas false"'))).exitCode).toBe(0)
    expect((await runExec(files(`"quoted == 'yes'", "rendered == 'no'"`), { jinja2Native: true })).exitCode).toBe(0)
  })

  it('cacheable facts go to the jsonfile fact cache and a later run starts with them; others do not; --flush-cache empties it', async () => {
    const factCache = { dir: mkdtempSync(join(tmpdir(), 'tsplay-facts-')), prefix: 'prefix_', timeoutSec: 86400 }
    const play = (tasks: string) => ({ 'site.yml': `- hosts: h1\n  gather_facts: false\n  tasks:\n${tasks}` })
    const first = await runExec(play('    - set_fact: { kept: from_cache, cacheable: true }\n    - set_fact: { not_kept: only_this_run }\n'), { factCache })
    expect(first.exitCode).toBe(0)
    expect(JSON.parse(readFileSync(join(factCache.dir, 'prefix_h1'), 'utf8'))).toEqual({ kept: 'from_cache' })
    const later = await runExec(play(`    - assert: { that: ["kept == 'from_cache'", "not_kept is undefined"] }\n`), { factCache })
    expect(later.exitCode, JSON.stringify(later.events)).toBe(0)
    const flushed = await runExec(play('    - assert: { that: ["kept is undefined"] }\n'), { factCache, flushCache: true })
    expect(flushed.exitCode, JSON.stringify(flushed.events)).toBe(0)
    expect(existsSync(join(factCache.dir, 'prefix_h1'))).toBe(false)
  })
})
