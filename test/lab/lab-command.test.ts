/**
 * `tsplay lab up | status | ssh` on the shared test lab. lab-d is left out of the assertions:
 * lab-run.test.ts stops and replaces it, possibly while this file runs.
 */
import { execFileSync } from 'node:child_process'
import { mkdtempSync, readFileSync, statSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { describe, expect, it } from 'vitest'
import { tsplay, tsplayJson, writeTree } from '../helpers/cli.js'
import { APT_CACHE_LOG } from '../../engine/lab/apt-cache/daemon.js'
import { ADDRESSES, container, knownHosts, lab, LAB_INVENTORY, LAB_STATE, useLab } from './harness.js'

useLab()

const STEADY = ['lab-a', 'lab-b', 'lab-c', 'lab-e', 'lab-f']

describe('tsplay lab', () => {
  it('up again keeps the hosts that are up, quickly', async () => {
    const started = Date.now()
    const r = await lab(['up'])
    expect(r.code, r.stderr).toBe(0)
    for (const host of STEADY) expect(r.stdout).toMatch(new RegExp(`${host}\\s+${ADDRESSES[host]?.replaceAll('.', '\\.')}\\s+reused`))
    expect(Date.now() - started).toBeLessThan(15_000)
  })

  it('status shows every host running with sshd answering', async () => {
    const r = await lab(['status', '--json'])
    expect(r.code, r.stderr).toBe(0)
    const status = JSON.parse(r.stdout) as { networkUp: boolean; imageBuilt: boolean; hosts: { name: string; address: string; state: string; ssh: boolean; known: boolean }[] }
    expect(status).toMatchObject({ networkUp: true, imageBuilt: true })
    for (const host of STEADY) {
      expect(status.hosts.find((h) => h.name === host)).toMatchObject({ address: ADDRESSES[host], state: 'running', ssh: true, known: true })
    }
  })

  it("records each host's own key, as read inside the host", () => {
    const known = knownHosts()
    const keys = STEADY.map((host) => {
      const inside = execFileSync('docker', ['exec', container(host), 'cat', '/etc/ssh/ssh_host_ed25519_key.pub']).toString().split(' ').slice(0, 2).join(' ')
      expect(known.get(ADDRESSES[host] as string)).toBe(inside)
      return inside
    })
    expect(new Set(keys).size).toBe(STEADY.length)
    // The private key never leaves the state folder, and only its owner may read it.
    expect(statSync(join(LAB_STATE, 'id_ed25519')).mode & 0o077).toBe(0)
  })

  it('ssh runs a command on a host (or opens a shell) with the host key checked', async () => {
    const r = await lab(['ssh', 'lab-a', '--', 'hostname'])
    expect(r.code, r.stderr).toBe(0)
    expect(r.stdout).toBe('lab-a\n')
    const failing = await lab(['ssh', 'lab-a', '--', 'exit 7'])
    expect(failing.code).toBe(7)
    const unknown = await lab(['ssh', 'nope', '--', 'true'])
    expect(unknown.code).toBe(5)
    expect(unknown.stderr).toMatch(/'nope' is not a lab host/)
  })

  it('shares package downloads: three hosts fetching one package cost one download', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'tsplay-lab-apt-'))
    writeTree(dir, {
      'fetch.yml': `- hosts: trio
  gather_facts: false
  tasks:
    - name: fetch a package through apt
      shell: apt-get update -qq && cd /tmp && apt-get download -q hello
`,
    })
    const before = readFileSync(APT_CACHE_LOG, 'utf8').length
    const r = await tsplayJson(['run', join(dir, 'fetch.yml'), '-i', LAB_INVENTORY], { timeoutMs: 180_000 })
    expect(r.code, r.stdout).toBe(0)
    // The cache logs `time client hit|shared|download URL` for each answer.
    const lines = readFileSync(APT_CACHE_LOG, 'utf8').slice(before).split('\n').filter((l) => /\/hello_[^/]*\.deb$/.test(l))
    const fetched = lines.filter((l) => l.split(' ')[2] === 'download')
    const served = new Set(lines.map((l) => l.split(' ')[1]))
    expect(fetched.length).toBeLessThanOrEqual(1)
    expect(served).toEqual(new Set([ADDRESSES['lab-a'], ADDRESSES['lab-b'], ADDRESSES['lab-c']]))
  }, 180_000)

  it('gives lab_docker hosts a docker that runs containers, and lab_fuse hosts /dev/fuse', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'tsplay-lab-docker-'))
    writeTree(dir, {
      'docker.yml': `- hosts: docker
  gather_facts: false
  tasks:
    - name: a FUSE device and a volume for docker's data
      command: sh -c "test -c /dev/fuse && mountpoint -q /var/lib/docker"
      changed_when: false
    - name: docker inside the host
      shell: apt-get update -qq && apt-get install -y -qq --no-install-recommends docker.io busybox-static >/dev/null
      environment: { DEBIAN_FRONTEND: noninteractive }
    - name: an image made here and a container from it
      shell:
        cmd: |
          set -e
          rm -rf /tmp/bb && mkdir -p /tmp/bb/bin && cp /bin/busybox /tmp/bb/bin/
          tar -C /tmp/bb -c . | docker import - tsplay-bb:1 >/dev/null
          docker run --rm tsplay-bb:1 /bin/busybox echo inner container says hi
`,
    })
    const r = await tsplayJson(['run', join(dir, 'docker.yml'), '-i', LAB_INVENTORY], { timeoutMs: 300_000 })
    expect(r.code, r.stdout).toBe(0)
    const last = r.json.plays[0]?.tasks.at(-1)?.hosts['lab-f']
    expect(last?.['stdout']).toBe('inner container says hi')
  }, 300_000)

  it('image names the base image, already built, without building it again', async () => {
    const r = await tsplay(['lab', 'image'], { timeoutMs: 60_000 })
    expect(r.code, r.stderr).toBe(0)
    expect(r.stdout).toMatch(/^tsplay-lab:bookworm-[0-9a-f]{12}\n$/)
    expect(r.stderr).toBe('')
  })
})
