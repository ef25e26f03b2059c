/**
 * Ctrl-C must be honoured while tsplay is busy parsing a large vars file: the parse blocks
 * the event loop, so before the fix the signal waited for the whole parse (minutes).
 */
import { existsSync, mkdtempSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { expect, it } from 'vitest'
import { tsplay, writeTree } from '../helpers/cli.js'

it('Ctrl-C during the parse of a 200k-key vars file ends tsplay within 2 seconds', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'tsplay-interrupt-'))
  const lines: string[] = []
  for (let i = 0; i < 200_000; i++) lines.push(`key_${i}: value ${i}`)
  writeFileSync(join(dir, 'big.yml'), lines.join('\n') + '\n')
  writeTree(dir, {
    'site.yml': `- hosts: localhost
  gather_facts: false
  tasks:
    - file: { path: "${dir}/started", state: touch }
- hosts: localhost
  gather_facts: false
  # A templated name: parsed when the play starts, not when the playbook loads.
  vars_files: ["{{ 'big' }}.yml"]
  tasks:
    - debug: { msg: "second play ran with {{ key_199999 }}" }
`,
  })
  let pid = 0
  const pending = tsplay(['run', 'site.yml', '-c', 'local'], { cwd: dir, onSpawn: (p) => (pid = p), timeoutMs: 60_000 })
  for (let i = 0; i < 300 && !existsSync(join(dir, 'started')); i++) await new Promise((r) => setTimeout(r, 100))
  expect(existsSync(join(dir, 'started'))).toBe(true)
  // The second play is parsing big.yml now (several seconds even when linear).
  await new Promise((r) => setTimeout(r, 1000))
  const sent = performance.now()
  process.kill(pid, 'SIGINT')
  const result = await pending
  const waited = (performance.now() - sent) / 1000
  console.log(`ended ${waited.toFixed(2)} s after SIGINT: code ${result.code}, signal ${result.signal}`)
  expect(waited).toBeLessThan(2)
  // Killed by the signal's default action (the shell shows 130), or a clean exit 99.
  expect(result.signal === 'SIGINT' || result.code === 99 || result.code === 130).toBe(true)
  expect(result.stdout).not.toContain('second play ran')
}, 90_000)
