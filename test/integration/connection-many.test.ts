/**
 * Many hosts behind one sshd (a bastion, a NAT gateway, containers on one machine): OpenSSH's
 * default MaxStartups 10:30:100 drops unauthenticated connections beyond 10, so opening 24 at
 * once used to leave some hosts UNREACHABLE. The harness's sshd keeps that default.
 */
import { mkdtempSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll, beforeAll, expect, it } from 'vitest'
import { startSshd, type Sshd } from '../helpers/sshd.js'
import { tsplayJson, writeTree } from '../helpers/cli.js'

let sshd: Sshd
beforeAll(async () => {
  sshd = await startSshd()
})
afterAll(async () => {
  await sshd?.stop()
})

const HOSTS = Array.from({ length: 24 }, (_, i) => `node${String(i + 1).padStart(2, '0')}`)
const RUNS = 5

it(`${HOSTS.length} hosts on one default-config sshd with -f 30: none unreachable in ${RUNS} runs`, async () => {
  const dir = mkdtempSync(join(tmpdir(), 'tsplay-many-'))
  const lines = HOSTS.map((h) => `${h} ansible_host=127.0.0.1 ansible_port=${sshd.port} ansible_user=${sshd.user} ansible_ssh_private_key_file=${sshd.keyFile}`)
  writeTree(dir, {
    hosts: `[servers]\n${lines.join('\n')}\n`,
    'site.yml': '- hosts: servers\n  gather_facts: false\n  tasks:\n    - command: echo up\n',
  })
  const unreachable: number[] = []
  for (let run = 0; run < RUNS; run++) {
    const started = performance.now()
    const result = await tsplayJson(['run', 'site.yml', '-i', 'hosts', '-f', '30', '--known-hosts', sshd.knownHostsFile], { cwd: dir })
    const down = Object.entries(result.json.stats).filter(([, s]) => s.unreachable > 0)
    unreachable.push(down.length)
    console.log(`run ${run + 1}: ${((performance.now() - started) / 1000).toFixed(1)} s, ${down.length} unreachable`)
    if (down.length) console.log(`run ${run + 1}: unreachable ${down.map(([h]) => h).join(', ')}\n${result.stdout.slice(0, 2000)}`)
    expect(Object.keys(result.json.stats).sort()).toEqual(HOSTS)
  }
  console.log(`unreachable hosts per run: ${unreachable.join(', ')}`)
  expect(unreachable).toEqual(Array(RUNS).fill(0))
}, 300_000)
