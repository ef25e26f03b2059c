/**
 * --limit and --list-hosts say what they select, as ansible-playbook does: a limit that leaves no
 * host is an error naming it, a missing limit file is named, a play pattern that matches nothing
 * is warned about, and --list-hosts shows what a run would select.
 */
import { execFile } from 'node:child_process'
import { mkdtempSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { promisify } from 'node:util'
import { beforeEach, describe, expect, it } from 'vitest'
import { tsplay, writeTree } from '../helpers/cli.js'

const run = promisify(execFile)
const PLAY = '- hosts: all\n  gather_facts: false\n  tasks:\n    - debug: { msg: hi }\n'
let dir: string

beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'tsplay-limit-'))
  writeTree(dir, { 'hosts.ini': 'web1 ansible_connection=local\nweb2 ansible_connection=local\n', 'site.yml': PLAY })
})

async function ansiblePlaybook(args: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  try {
    const { stdout, stderr } = await run('ansible-playbook', args, { cwd: dir, env: { ...process.env, ANSIBLE_NOCOLOR: '1' } })
    return { code: 0, stdout, stderr }
  } catch (err) {
    const e = err as { code: number; stdout: string; stderr: string }
    return { code: e.code, stdout: e.stdout, stderr: e.stderr }
  }
}

describe('--limit', () => {
  it('a limit that matches no host stops with exit 1 and names the limit, as ansible-playbook', async () => {
    const ours = await tsplay(['run', '-i', 'hosts.ini', 'site.yml', '--limit', 'nothere'], { cwd: dir })
    const theirs = await ansiblePlaybook(['-i', 'hosts.ini', 'site.yml', '--limit', 'nothere'])
    expect(theirs.code).toBe(1)
    expect(ours.code).toBe(theirs.code)
    expect(theirs.stderr).toContain('Could not match supplied host pattern, ignoring: nothere')
    expect(ours.stderr).toContain('[WARNING]: Could not match supplied host pattern, ignoring: nothere')
    expect(ours.stderr).toContain("ERROR! --limit 'nothere' leaves no hosts to target")
    expect(ours.stdout).not.toContain('PLAY')
  })

  it('--list-hosts with a limit that matches nothing is the same error', async () => {
    const ours = await tsplay(['run', '-i', 'hosts.ini', 'site.yml', '--limit', 'nothere', '--list-hosts'], { cwd: dir })
    expect(ours.code).toBe(1)
    expect(ours.stderr).toContain("--limit 'nothere' leaves no hosts to target")
  })

  it('a missing limit file is an error naming the file', async () => {
    const ours = await tsplay(['run', '-i', 'hosts.ini', 'site.yml', '--limit', '@missing.txt'], { cwd: dir })
    expect(ours.code).toBe(1)
    expect(ours.stderr).toBe("ERROR! --limit @missing.txt: unable to find limit file 'missing.txt' (ENOENT)\n")
  })

  it('--list-hosts --limit @file lists the hosts in the file, as ansible-playbook', async () => {
    writeTree(dir, { 'limit.txt': 'web2\n' })
    const ours = await tsplay(['run', '-i', 'hosts.ini', 'site.yml', '--limit', '@limit.txt', '--list-hosts'], { cwd: dir })
    const theirs = await ansiblePlaybook(['-i', 'hosts.ini', 'site.yml', '--limit', '@limit.txt', '--list-hosts'])
    expect(ours.code).toBe(0)
    expect(ours.stdout).toContain('    hosts (1):\n      web2\n')
    expect(theirs.stdout).toContain('    hosts (1):\n      web2\n')
  })

  it('a limit file holds patterns, one per line, and runs only those hosts', async () => {
    writeTree(dir, { 'limit.txt': '# the canary\nungrouped[1]\n' })
    const ours = await tsplay(['run', '-i', 'hosts.ini', 'site.yml', '--limit', '@limit.txt'], { cwd: dir })
    expect(ours.code).toBe(0)
    expect(ours.stdout).toContain('ok: [web2]')
    expect(ours.stdout).not.toContain('[web1]')
  })
})

describe('play host patterns', () => {
  it('a hosts: template with an undefined variable is an error naming the play, exit 4 as ansible-playbook', async () => {
    writeTree(dir, { 'tpl.yml': '- hosts: all\n  gather_facts: false\n  tasks: []\n- hosts: "{{ target }}"\n  gather_facts: false\n  tasks: []\n' })
    const theirs = await ansiblePlaybook(['-i', 'hosts.ini', 'tpl.yml', '--list-hosts'])
    for (const args of [['--list-hosts'], []]) {
      const ours = await tsplay(['run', '-i', 'hosts.ini', 'tpl.yml', ...args], { cwd: dir })
      expect(ours.code).toBe(theirs.code)
      expect(ours.stderr).toContain(`ERROR! ${join(dir, 'tpl.yml')}:4:3: the play's hosts: 'target' is undefined`)
    }
  })

  it("an empty inventory is warned about in Ansible's words: 'all' has no host", async () => {
    const ours = await tsplay(['run', 'site.yml'], { cwd: dir })
    const theirs = await ansiblePlaybook(['site.yml'])
    const warning = "provided hosts list is empty, only localhost is available. Note that the implicit localhost does not match 'all'"
    expect(theirs.stderr.replace(/\s+/g, ' ')).toContain(warning)
    expect(ours.code).toBe(0)
    expect(ours.stderr).toBe(`[WARNING]: ${warning}\n`)
  })

  it('a play whose hosts match nothing is warned about, and the run goes on', async () => {
    writeTree(dir, { 'two.yml': `- hosts: nosuch\n  gather_facts: false\n  tasks: [{ debug: { msg: x } }]\n${PLAY}` })
    const ours = await tsplay(['run', '-i', 'hosts.ini', 'two.yml'], { cwd: dir })
    expect(ours.code).toBe(0)
    expect(ours.stderr).toContain('[WARNING]: Could not match supplied host pattern, ignoring: nosuch')
    expect(ours.stdout).toContain('skipping: no hosts matched')
    expect(ours.stdout).toContain('ok: [web1]')
  })

  it('--list-hosts shows a templated hosts: rendered with play and extra vars, as ansible-playbook', async () => {
    writeTree(dir, {
      'tpl.yml': `- hosts: "{{ target }}"\n  gather_facts: false\n  tasks: []\n- hosts: "{{ other }}"\n  vars: { other: web1 }\n  gather_facts: false\n  tasks: []\n`,
    })
    const args = ['-i', 'hosts.ini', 'tpl.yml', '-e', 'target=web2', '--list-hosts']
    const ours = await tsplay(['run', ...args], { cwd: dir })
    const theirs = await ansiblePlaybook(args)
    const plays = (out: string): string => out.slice(out.indexOf('  play #1'))
    expect(ours.code).toBe(0)
    expect(plays(ours.stdout)).toBe(plays(theirs.stdout))
    expect(ours.stdout).toContain("  play #1 (web2): web2\tTAGS: []\n    pattern: ['web2']\n    hosts (1):\n      web2\n")
  })
})
