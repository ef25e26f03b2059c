/** vars_prompt in process: questions asked once per play before its hosts are chosen, extra vars answering, defaults without a terminal. */
import { describe, expect, it } from 'vitest'
import type { Prompter } from '../../engine/exec/vars-prompt.js'
import { runExec } from '../helpers/exec-harness.js'

const PLAY = `- hosts: "{{ target }}"
  gather_facts: false
  vars:
    greeting: hello
  vars_prompt:
    - name: target
      prompt: Which hosts
      private: false
    - name: who
      prompt: Your name
      default: "{{ greeting }} world"
    - name: secret
      prompt: Password
      confirm: true
      encrypt: sha512_crypt
      salt: abcdefgh
    - name: raw
      unsafe: true
      default: "{{ '{{' }} not templated }}"
  tasks:
    - debug: { msg: "{{ target }}|{{ who }}|{{ secret }}|{{ raw }}" }
`

/** A prompter that answers from a list, and remembers what was asked. */
function scripted(answers: string[]): Prompter & { asked: [string, boolean][]; said: string[] } {
  const asked: [string, boolean][] = []
  const said: string[] = []
  return {
    asked,
    said,
    ask: (question, hidden) => {
      asked.push([question, hidden])
      return Promise.resolve(answers.shift() ?? '')
    },
    say: (line) => void said.push(line),
  }
}

const debugMsgs = (run: Awaited<ReturnType<typeof runExec>>): unknown[] =>
  run.events.flatMap((e) => (e.kind === 'task:result' && e.result['msg'] !== undefined ? [e.result['msg']] : []))

const SHA512_WITH_SALT = '$6$abcdefgh$'

describe('vars_prompt', () => {
  it('asks each question on the terminal, hides private ones, asks again when a confirmation differs, and the answer may choose the hosts', async () => {
    const prompter = scripted(['h2', '', 's3cret', 'typo', 's3cret', 's3cret'])
    const run = await runExec({ 'site.yml': PLAY }, { prompter })
    expect(run.exitCode).toBe(0)
    expect(prompter.asked).toEqual([
      ['Which hosts: ', false],
      ['Your name [hello world]: ', true],
      ['Password: ', true],
      ['confirm Password: ', true],
      ['Password: ', true],
      ['confirm Password: ', true],
      ["raw [{{ not templated }}]: ", true],
    ])
    expect(prompter.said).toEqual(['***** VALUES ENTERED DO NOT MATCH ****'])
    const [msg] = debugMsgs(run)
    expect(String(msg)).toMatch(/^h2\|hello world\|\$6\$abcdefgh\$[./0-9A-Za-z]{86}\|\{\{ not templated \}\}$/)
    expect(Object.keys(run.stats)).toEqual(['h2'])
  })

  it('takes an extra var as the answer without asking, and without a terminal takes the defaults (None without one) with one warning', async () => {
    const run = await runExec({ 'site.yml': PLAY }, { extraVars: { target: 'h1', who: 'given' } })
    expect(run.exitCode).toBe(0)
    expect(run.events.filter((e) => e.kind === 'warning')).toEqual([{ kind: 'warning', message: 'Not prompting as we are not in interactive mode' }])
    const [msg] = debugMsgs(run)
    expect(String(msg).split('|').slice(0, 2)).toEqual(['h1', 'given'])
    // No answer and no default: Python's str(None), encrypted as Ansible does.
    expect(String(msg).split('|')[2]).toContain(SHA512_WITH_SALT)
  })

  it('refuses a vars_prompt entry without a name or with an unknown key, naming the line', async () => {
    await expect(runExec({ 'site.yml': '- hosts: all\n  vars_prompt:\n    - prompt: x\n  tasks: []\n' })).rejects.toThrow(/site\.yml:3:7: a vars_prompt entry needs 'name'/)
    await expect(runExec({ 'site.yml': '- hosts: all\n  vars_prompt:\n    - name: x\n      echo: no\n  tasks: []\n' })).rejects.toThrow(/site\.yml:4:7: unknown vars_prompt key 'echo'/)
  })
})
