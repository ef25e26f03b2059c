/**
 * Ten lab hosts updating and installing at the same moment, three rounds, all through the
 * machine's apt cache: no failure, and no host waits more than a minute (apt-cacher-ng stalled
 * such hosts for minutes, or answered 400).
 */
import { mkdtempSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { tsplay, tsplayJson, writeTree } from '../helpers/cli.js'

const dir = mkdtempSync(join(tmpdir(), 'tsplay-labtest-apt-'))
const INVENTORY = join(dir, 'hosts')
const ROUNDS = 3
writeTree(dir, {
  hosts: '[fleet]\npkg[01:10]\n',
  'install.yml': `- hosts: fleet
  gather_facts: false
  tasks:
    - name: update and install at once, timed on the host
      shell: |
        ms() { echo $(( $(date +%s%N) / 1000000 )); }
        start=$(ms)
        apt-get update -q >/tmp/apt.log 2>&1
        rc=$?
        updated=$(ms)
        [ $rc = 0 ] && apt-get install -y -q --no-install-recommends tree >>/tmp/apt.log 2>&1
        rc=$?
        echo "$(( $(ms) - start )) $(( updated - start ))"
        [ $rc = 0 ] || cat /tmp/apt.log >&2
        exit $rc
      environment: { DEBIAN_FRONTEND: noninteractive }
    - name: forget the package and the lists, so that the next round asks the cache again
      shell: apt-get purge -y -q tree >/dev/null && apt-get clean && rm -rf /var/lib/apt/lists/*
`,
})

beforeAll(async () => {
  const up = await tsplay(['lab', 'up', '-i', INVENTORY], { timeoutMs: 15 * 60_000 })
  expect(up.code, up.stdout + up.stderr).toBe(0)
  expect(up.stdout).toMatch(/apt cache: http:\/\//)
}, 15 * 60_000)

afterAll(async () => {
  await tsplay(['lab', 'down', '-i', INVENTORY], { timeoutMs: 120_000 })
}, 120_000)

describe('the apt cache under ten hosts at once', () => {
  it(`serves ${ROUNDS} rounds of apt-get update + install on 10 hosts with no failure and no host over 60 s`, async () => {
    const slowest: string[] = []
    for (let round = 1; round <= ROUNDS; round++) {
      const r = await tsplayJson(['run', join(dir, 'install.yml'), '-i', INVENTORY, '-f', '10'], { timeoutMs: 10 * 60_000 })
      const results = r.json.plays[0]?.tasks[0]?.hosts ?? {}
      expect(Object.keys(results), `round ${round}`).toHaveLength(10)
      for (const [host, result] of Object.entries(results)) expect(result['rc'], `round ${round}, ${host}: ${String(result['stderr'])}`).toBe(0)
      expect(r.code, `round ${round}:\n${r.stderr}`).toBe(0)
      // Each host prints its total and its `apt-get update` part, in ms.
      const times = Object.entries(results).map(([host, result]) => ({ host, total: Number(String(result['stdout']).split(' ')[0]), update: Number(String(result['stdout']).split(' ')[1]) }))
      const worst = times.reduce((a, b) => (b.total > a.total ? b : a))
      slowest.push(`round ${round}: ${(worst.total / 1000).toFixed(1)} s (update ${(worst.update / 1000).toFixed(1)} s) on ${worst.host}`)
      for (const t of times) expect(t.total, `round ${round}, ${t.host} waited (update ${t.update} ms)`).toBeLessThan(60_000)
    }
    console.log(`apt-get update + install on 10 hosts at once, the slowest host of each round: ${slowest.join('; ')}`)
  }, 30 * 60_000)
})
