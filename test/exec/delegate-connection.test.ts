/** delegate_facts, and the connection keywords (connection, remote_user, port) choosing a session per task. */
import { createServer, type AddressInfo } from 'node:net'
import { describe, expect, it } from 'vitest'
import { failures, resultOf, runExec } from '../helpers/exec-harness.js'

/** A port on 127.0.0.1 that nothing listens on (it was free a moment ago). */
async function closedPort(): Promise<number> {
  const server = createServer()
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
  const { port } = server.address() as AddressInfo
  await new Promise((resolve) => server.close(resolve))
  return port
}

const debugMsg = (run: Awaited<ReturnType<typeof runExec>>, name: string): unknown => resultOf(run, name).result['msg']

describe('delegate_facts', () => {
  it('gives the facts a delegated task returns to the delegate (set_fact too, as Ansible 2.14), and to the host without it', async () => {
    const run = await runExec({
      'site.yml': `- hosts: h1
  gather_facts: false
  tasks:
    - set_fact: { given: yes }
      delegate_to: h2
      delegate_facts: true
    - set_fact: { kept: yes }
      delegate_to: h2
    - name: where
      debug: { msg: "h2 given={{ hostvars.h2.given | default('-') }} kept={{ hostvars.h2.kept | default('-') }}; h1 given={{ given | default('-') }} kept={{ kept | default('-') }}" }
    - setup:
      delegate_to: h2
      delegate_facts: "{{ true }}"
    - name: facts
      debug: { msg: "{{ hostvars.h2.ansible_facts.hostname is defined }} {{ ansible_facts.hostname is defined }}" }
`,
    })
    expect(run.exitCode, JSON.stringify(failures(run))).toBe(0)
    expect(debugMsg(run, 'where')).toBe('h2 given=True kept=-; h1 given=- kept=True')
    expect(debugMsg(run, 'facts')).toBe('True False')
  })
})

describe('connection keywords', () => {
  it('connection: local runs the task on the controller for a host that has no connection variable', async () => {
    const run = await runExec({
      hosts: '[far]\nfaraway ansible_host=192.0.2.1\n',
      'site.yml': `- hosts: far
  gather_facts: false
  connection: local
  tasks:
    - command: echo here
      register: r
    - debug: { msg: "{{ r.stdout }}" }
      connection: ssh
      delegate_to: localhost
`,
    })
    expect(run.exitCode, JSON.stringify(failures(run))).toBe(0)
    expect(resultOf(run, 'debug', 'faraway').result['msg']).toBe('here')
  })

  it('the host connection variable beats the keyword, as in Ansible: ansible_connection=local stays local under connection: ssh', async () => {
    const run = await runExec({ 'site.yml': '- hosts: h1\n  gather_facts: false\n  tasks:\n    - command: /bin/true\n      connection: ssh\n      port: 1\n' })
    expect(run.exitCode, JSON.stringify(failures(run))).toBe(0)
  })

  it('port and remote_user select a session of their own per task (each port tried on its own)', async () => {
    const [first, second] = [await closedPort(), await closedPort()]
    const run = await runExec(
      {
        hosts: `[ssh]\nbox ansible_host=127.0.0.1\n`,
        'site.yml': `- hosts: ssh
  gather_facts: false
  remote_user: nobody
  vars: { second: ${second} }
  tasks:
    - name: first port
      command: /bin/true
      port: ${first}
      ignore_unreachable: true
    - name: second port
      command: /bin/true
      port: "{{ second }}"
      remote_user: "{{ 'root' }}"
      ignore_unreachable: true
`,
      },
      { hostKeyChecking: false },
    )
    expect(resultOf(run, 'first port', 'box').msg).toContain(`127.0.0.1:${first}`)
    expect(resultOf(run, 'second port', 'box').msg).toContain(`127.0.0.1:${second}`)
    expect(run.stats['box']).toMatchObject({ ignored: 2 })
  })
})
