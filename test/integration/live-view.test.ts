/**
 * The live view, read off a real terminal (a tmux pane of 80 columns): what stays in the
 * scrollback after a run must be the plain output, each line once; the one redrawn line at the
 * bottom names the running task and the hosts still on it; Ctrl-C ends with the recap and 99.
 */
import { mkdtempSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { formatInlineVault } from '../../engine/vault/inline.js'
import { encryptVault } from '../../engine/vault/keyring.js'
import { TSPLAY, tsplay, writeTree } from '../helpers/cli.js'
import { TmuxPane } from '../helpers/tmux.js'

let dir: string
let pane: TmuxPane

beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'tsplay-live-'))
})

afterEach(() => pane?.close())

function inventory(hosts: string[]): string {
  return hosts.map((h) => `${h} ansible_connection=local`).join('\n') + '\n'
}

/** The command a person types at the terminal (the pane's shell starts in no particular folder). */
function command(args: string, env = ''): string {
  return `cd ${dir} && ${env} ${process.execPath} ${TSPLAY} ${args}`
}

const SEVERAL_TASKS = `- hosts: all
  gather_facts: false
  tasks:
    - name: first
      command: "true"
      notify: restart
    - name: a loop
      debug: { msg: "item {{ item }}" }
      loop: [a, b, c]
    - name: fails and is ignored
      command: "false"
      ignore_errors: true
    - name: slow
      command: sleep 1
  handlers:
    - name: restart
      command: "true"
`

describe('the live view on a terminal', () => {
  it('leaves in the scrollback each task header and each host result once, as the plain output has them, and the recap last', async () => {
    writeTree(dir, { 'site.yml': SEVERAL_TASKS, hosts: inventory(['h1', 'h2', 'h3']) })
    const plain = await tsplay(['run', 'site.yml', '-i', 'hosts'], { cwd: dir })
    expect(plain.code).toBe(0)
    const plainLines = plain.stdout.replace(/\n$/, '').split('\n').map((l) => l.trimEnd())

    pane = new TmuxPane(80, 40)
    pane.type(command('run site.yml -i hosts'))
    const live = await pane.finished()
    expect(live.rc).toBe(0)
    const lines = live.lines.map((l) => l.trimEnd())
    for (const header of ['TASK [first]', 'TASK [a loop]', 'TASK [fails and is ignored]', 'TASK [slow]', 'RUNNING HANDLER [restart]', 'PLAY RECAP']) {
      expect(lines.filter((l) => l.includes(header)), header).toHaveLength(1)
    }
    // Hosts finish in any order: the same lines, each as often as the plain output has it.
    expect([...lines].sort()).toEqual([...plainLines].sort())
    // The recap comes last, after the live line is gone, as in the plain output.
    const recap = (all: string[]) => all.slice(all.findIndex((l) => /^PLAY RECAP \*+$/.test(l)))
    expect(recap(lines)).toEqual(recap(plainLines))
    expect(recap(lines)).toHaveLength(5)
  }, 120_000)

  it('exits 99 with the recap when Ctrl-C is pressed mid-run', async () => {
    writeTree(dir, {
      'site.yml': `- hosts: all
  gather_facts: false
  tasks:
    - name: quick
      command: "true"
    - name: slow
      command: sleep 2
      loop: [1, 2, 3]
    - name: never reached
      command: "true"
`,
      hosts: inventory(['h1', 'h2']),
    })
    pane = new TmuxPane(80, 40)
    pane.type(command('run site.yml -i hosts'))
    await pane.waitFor('the slow task', () => pane.scrollback().some((l) => l.includes('TASK [slow]')))
    await new Promise((r) => setTimeout(r, 500))
    pane.keys('C-c')
    const live = await pane.finished()
    expect(live.rc).toBe(99)
    const text = live.lines.join('\n')
    expect(text).toContain('PLAY STOPPED: interrupted')
    expect(text).toMatch(/PLAY RECAP \*+\nh1 +: ok=\d+ +changed=\d+/)
    expect(text).not.toContain('never reached')
  }, 120_000)

  it('shows one line for the running task with the hosts done and those still running, within 80 columns, and follows a resize', async () => {
    const hosts = Array.from({ length: 30 }, (_, i) => `web${String(i + 1).padStart(2, '0')}.example.internal`)
    writeTree(dir, {
      'site.yml': `- hosts: all
  gather_facts: false
  tasks:
    - name: quick
      command: "true"
    - name: slow on most
      command: sleep {{ 1 if inventory_hostname == 'web01.example.internal' else 6 }}
`,
      hosts: inventory(hosts),
    })
    pane = new TmuxPane(80, 40)
    pane.type(command('run site.yml -i hosts'))
    const statusLine = () => pane.screen().find((l) => /TASK \[slow on most\] \d+\/30/.test(l))
    await pane.waitFor('web01 to finish the slow task', () => /1\/30/.test(statusLine() ?? ''))
    const status = statusLine() as string
    expect(status.length).toBeLessThanOrEqual(80)
    // web01 is done, so the hosts named are the next ones, then how many more.
    expect(status).toMatch(/web02\.example\.internal .*\+\d+ more/)
    expect(status).not.toContain('web01')

    pane.resize(50, 40)
    await pane.waitFor('the status line to fit 50 columns', () => (statusLine() ?? 'x'.repeat(99)).length <= 50)
    const screen = pane.screen()
    // The old, wider line was wiped, not left behind in pieces.
    expect(screen.filter((l) => l.includes('TASK [slow on most]')), screen.join('\n')).toHaveLength(2)

    const live = await pane.finished()
    expect(live.rc).toBe(0)
    const results = live.lines.filter((l) => /^changed: \[web\d+/.test(l))
    expect(results).toHaveLength(60)
  }, 120_000)

  it('prints the plain output on a terminal when TERM=dumb or NO_COLOR is set', async () => {
    writeTree(dir, { 'site.yml': SEVERAL_TASKS, hosts: inventory(['h1']) })
    pane = new TmuxPane(80, 40)
    for (const env of ['TERM=dumb', 'NO_COLOR=1']) {
      pane.type(command('run site.yml -i hosts', env))
      const run = await pane.finished()
      expect(run.rc, env).toBe(0)
      expect(run.lines, env).toContain(`TASK [slow] ${'*'.repeat(68)}`) // 80 columns, as ansible-playbook
      expect(run.lines.join('\n'), env).not.toMatch(/[⠋⠙⠹⠸⠼⠴⠦⠧⠇⠏✔]/)
    }
    // NO_COLOR: not one colour code (the second run's lines, as the terminal holds them).
    const coloured = pane.scrollback({ escapes: true })
    expect(coloured.slice(coloured.lastIndexOf('BEGIN')).join('\n')).not.toMatch(/\u001b\[3\dm/)
  }, 120_000)

  it('masks a secret on the live line as everywhere else', async () => {
    const secret = 'Live-Canary-3b7e'
    writeTree(dir, {
      pw: 'live-test-vault-pw\n',
      'vars.yml': formatInlineVault(encryptVault(secret, { label: 'default', password: Buffer.from('live-test-vault-pw'), source: 'test' }), 'token'),
      'site.yml': `- hosts: all
  gather_facts: false
  vars_files: [vars.yml]
  tasks:
    # The vault is opened where a value is used: from then on its text is masked everywhere.
    - debug: { msg: "{{ token }}" }
    - name: a name that spells ${secret}
      command: sleep 3
`,
      hosts: inventory(['h1']),
    })
    pane = new TmuxPane(80, 40)
    pane.type(command('run site.yml -i hosts --vault-password-file pw'))
    await pane.waitFor('the live line', () => pane.screen().some((l) => /TASK \[a name that spells \*+\] 0\/1/.test(l)))
    const live = await pane.finished()
    expect(live.rc).toBe(0)
    expect(pane.scrollback().join('\n')).not.toContain(secret)
  }, 120_000)
})
