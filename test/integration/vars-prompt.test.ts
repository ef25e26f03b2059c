/**
 * vars_prompt through the real CLI: answered by -e (nothing asked), by a person at a terminal
 * (a tmux pane: the questions on stderr, a private answer not echoed), and with stdin no terminal
 * (the defaults, Ansible's warning); --json's stdout stays one JSON document.
 */
import { mkdtempSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { TSPLAY, tsplayJson, writeTree } from '../helpers/cli.js'
import { TmuxPane } from '../helpers/tmux.js'

const PLAY = `- hosts: all
  gather_facts: false
  vars_prompt:
    - name: release
      prompt: Which release
      private: false
      default: stable
    - name: token
      prompt: Token
  tasks:
    - debug: { msg: "release={{ release }} token={{ token }}" }
`

let dir: string
let pane: TmuxPane | undefined

beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'tsplay-prompt-'))
  writeTree(dir, { 'site.yml': PLAY, hosts: 'h1 ansible_connection=local\n' })
})

afterEach(() => pane?.close())

const debugMsg = (run: Awaited<ReturnType<typeof tsplayJson>>): unknown => run.json.plays[0]?.tasks[0]?.hosts['h1']?.['msg']

describe('vars_prompt on the command line', () => {
  it('takes -e answers without asking; without a terminal the default, and the warning Ansible gives (in the warnings of --json)', async () => {
    const answered = await tsplayJson(['run', 'site.yml', '-i', 'hosts', '-e', 'release=edge', '-e', 'token=abc'], { cwd: dir })
    expect(answered.code).toBe(0)
    expect(debugMsg(answered)).toBe('release=edge token=abc')
    expect(JSON.stringify(answered.json)).not.toContain('Not prompting')

    const defaults = await tsplayJson(['run', 'site.yml', '-i', 'hosts'], { cwd: dir })
    expect(defaults.code).toBe(0)
    expect(debugMsg(defaults)).toBe('release=stable token=None')
    expect((defaults.json as unknown as { warnings: string[] }).warnings).toContain('Not prompting as we are not in interactive mode')
  })

  it('asks a person at the terminal: typed answers, an empty one taking the default, the private one not echoed, stdout only JSON', async () => {
    pane = new TmuxPane(100, 30)
    const out = join(dir, 'out.json')
    pane.type(`cd ${dir} && ${process.execPath} ${TSPLAY} run site.yml -i hosts --json > ${out}; cat ${out}`)
    await pane.waitFor('the first question', () => pane?.screen().some((l) => l.includes('Which release [stable]:')) ?? false)
    pane.keys('Enter')
    await pane.waitFor('the second question', () => pane?.screen().some((l) => l.includes('Token:')) ?? false)
    pane.keys('-l', 'sekrit')
    pane.keys('Enter')
    const { lines, rc } = await pane.finished()
    expect(rc).toBe(0)
    const text = lines.join('\n')
    expect(text).toContain('"msg": "release=stable token=sekrit"')
    // The token was typed where nothing echoes; only the JSON (cat of stdout) shows it.
    expect(lines.filter((l) => l.includes('sekrit')).every((l) => l.includes('"msg"'))).toBe(true)
  }, 120_000)
})
