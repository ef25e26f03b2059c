/**
 * async over real SSH: a `poll: 0` job is detached from the SSH session, so it finishes and
 * writes its result after the run has ended and closed the connection; a polled one returns its
 * result as on the local connection.
 */
import { existsSync, mkdtempSync, readdirSync, readFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { startSshd, type Sshd } from '../helpers/sshd.js'
import { tsplayJson, writeTree } from '../helpers/cli.js'

let sshd: Sshd

beforeAll(async () => {
  sshd = await startSshd()
})
afterAll(async () => {
  await sshd?.stop()
})

const SITE = `- hosts: srv
  gather_facts: false
  vars:
    ansible_async_dir: "{{ out }}/jobs"
  tasks:
    - name: polled
      shell: sleep 1; echo polled
      async: 20
      poll: 1
      register: polled
    - name: outlives the run
      shell: sleep 3; echo late > {{ out }}/late
      async: 30
      poll: 0
`

describe('async over SSH', () => {
  it('polls a job to its result, and a fire-and-forget job finishes after the run and its connection are gone', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'tsplay-async-ssh-'))
    const out = join(dir, 'out')
    writeTree(dir, {
      'site.yml': SITE,
      hosts: `srv ansible_host=127.0.0.1 ansible_port=${sshd.port} ansible_user=${sshd.user} ansible_ssh_private_key_file=${sshd.keyFile}\n`,
    })
    const run = await tsplayJson(['run', 'site.yml', '-i', 'hosts', '--known-hosts', sshd.knownHostsFile, '-e', `out=${out}`], { cwd: dir })
    expect(run.code, run.stdout + run.stderr).toBe(0)
    expect(run.json.plays[0]?.tasks[0]?.hosts['srv']).toMatchObject({ status: 'changed' })
    expect(existsSync(join(out, 'late'))).toBe(false)
    await new Promise((r) => setTimeout(r, 5000))
    expect(readFileSync(join(out, 'late'), 'utf8')).toBe('late\n')
    const [jobFile] = readdirSync(join(out, 'jobs'))
    expect(JSON.parse(readFileSync(join(out, 'jobs', String(jobFile)), 'utf8'))).toMatchObject({ rc: 0, changed: true, cmd: 'sleep 3; echo late > ' + join(out, 'late') })
  }, 120_000)
})
