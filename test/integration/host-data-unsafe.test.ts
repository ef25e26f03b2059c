/**
 * Data from hosts is never a template (issue 10): a host that prints `{{ ... }}` must not get
 * it evaluated on the controller, where lookups read the controller's environment and files
 * and every vaulted variable is in scope. Registered output, facts, set_fact of such data,
 * lookup results and `!unsafe` values are copied and printed as the text they are.
 * Real CLI, local connection, temporary folders.
 */
import { mkdtempSync, readFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { beforeEach, describe, expect, it } from 'vitest'
import { encryptVault, type VaultSecret } from '../../engine/vault/keyring.js'
import { formatInlineVault } from '../../engine/vault/inline.js'
import { statuses, tsplayJson, writeTree, type JsonRun } from '../helpers/cli.js'

const VAULT_PASSWORD = 'vault-pass-never-shown'
const DB_PASSWORD = 'db-secret-never-shown'
const CONTROLLER_ENV = 'controller-only-value'
const secret: VaultSecret = { label: 'default', password: Buffer.from(VAULT_PASSWORD), source: 'test' }

let dir: string

beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'tsplay-unsafe-'))
})

/** A project with a vaulted db_password in group_vars and the vault password in `pw`. */
function project(playbook: string, files: Record<string, string> = {}): void {
  writeTree(dir, {
    hosts: '[app]\nh1 ansible_connection=local\nh2 ansible_connection=local\n',
    pw: `${VAULT_PASSWORD}\n`,
    'group_vars/all.yml': formatInlineVault(encryptVault(DB_PASSWORD, secret), 'db_password'),
    'site.yml': playbook,
    ...files,
  })
}

function run(extraEnv: Record<string, string> = {}): Promise<Awaited<ReturnType<typeof tsplayJson>>> {
  return tsplayJson(['run', 'site.yml', '-i', 'hosts', '--vault-password-file', 'pw'], { cwd: dir, env: { CTRL_ONLY: CONTROLLER_ENV, ...extraEnv } })
}

function read(path: string): string {
  return readFileSync(join(dir, path), 'utf8')
}

/** What a named task printed or returned on a host (--json). */
function resultOf(json: JsonRun, task: string, host = 'h1'): Record<string, unknown> {
  const found = json.plays.flatMap((p) => p.tasks).find((t) => t.task.name === task)
  if (!found) throw new Error(`no task '${task}' in the run`)
  return found.hosts[host] ?? {}
}

/** The attack of issue 10: arithmetic, the controller's environment, the vault password file, a vaulted variable. */
const PAYLOAD = `calc={{ 7*7 }} env={{ lookup('env','CTRL_ONLY') }} pw={{ lookup('file', playbook_dir ~ '/pw') }} db={{ db_password }} {% if true %}stmt{% endif %} {# note #}`

/** Printed output (with durations, so no check for '49'; the files checked byte for byte cover that). */
function expectNoLeak(text: string): void {
  expect(text).not.toContain(CONTROLLER_ENV)
  expect(text).not.toContain(VAULT_PASSWORD)
  expect(text).not.toContain(DB_PASSWORD)
}

describe('registered command output is text, never a template', () => {
  it('copies and prints stdout holding {{ 7*7 }}, env and file lookups and a vaulted name exactly as the host printed it', async () => {
    project(
      `- hosts: h1
  gather_facts: false
  tasks:
    - name: read the motd
      command: cat ${dir}/motd
      register: motd
    - name: back it up
      copy: { content: "{{ motd.stdout }}", dest: "${dir}/motd.bak" }
    - name: show it
      debug: { msg: "{{ motd.stdout }}" }
    - name: show it by name
      debug: { var: motd.stdout }
    - name: each line
      copy: { content: "{{ item }}", dest: "${dir}/line.bak" }
      loop: "{{ motd.stdout_lines }}"
`,
      { motd: PAYLOAD },
    )
    const r = await run()
    expect(r.code, r.stdout + r.stderr).toBe(0)
    expect(read('motd.bak')).toBe(PAYLOAD)
    expect(read('line.bak')).toBe(PAYLOAD)
    expect(resultOf(r.json, 'show it')['msg']).toBe(PAYLOAD)
    expect(resultOf(r.json, 'show it by name')['motd.stdout']).toBe(PAYLOAD)
    expectNoLeak(r.stdout)
  })

  it('keeps when:, changed_when:, failed_when: and until: working on registered text, with | bool, | int, in, length and from_json', async () => {
    project(
      `- hosts: h1
  gather_facts: false
  tasks:
    - name: probe
      command: cat ${dir}/probe
      register: r
      changed_when: "'{{' in r.stdout"
      failed_when: r.stdout_lines | length != 4
      until: r.stdout_lines[1] | int == 42
      retries: 1
      delay: 0
    - name: conditions
      assert:
        that:
          - r.stdout_lines[0] | bool
          - r.stdout_lines[1] | int + 1 == 43
          - (r.stdout_lines[2] | from_json).k == '{{ 7*7 }}'
          - r.stdout_lines[3] == '{{ db_password }}'
          - "'db_password' in r.stdout"
          - r.stdout is search('7[*]7')
    - name: runs when the text matches
      debug: { msg: matched }
      when: r.stdout_lines[3] is match('[{][{] db_password')
    - name: embedded template in an assertion
      assert: { that: "'{{ r.stdout_lines[3] }}' == 'x'" }
      ignore_errors: true
`,
      { probe: 'yes\n42\n{"k": "{{ 7*7 }}"}\n{{ db_password }}\n' },
    )
    const r = await run()
    expect(r.code, r.stdout + r.stderr).toBe(0)
    expect(statuses(r.json).map(([name, hosts]) => [name, hosts['h1']])).toEqual([
      ['probe', 'changed'],
      ['conditions', 'ok'],
      ['runs when the text matches', 'ok'],
      ['embedded template in an assertion', 'failed'],
    ])
    expect(resultOf(r.json, 'probe')['attempts']).toBe(1)
    expectNoLeak(r.stdout)
  })

  it('an assertion or debug var holding {{ r.stdout }} never evaluates the host text as an expression', async () => {
    project(
      `- hosts: h1
  gather_facts: false
  tasks:
    - name: probe
      command: cat ${dir}/expr
      register: r
    - name: show
      debug: { var: "{{ r.stdout }}" }
    - name: assert on it
      assert: { that: ["'{{ r.stdout }}' != ''"] }
`,
      { expr: `lookup('env', 'CTRL_ONLY')` },
    )
    const r = await run()
    expect(r.code, r.stdout + r.stderr).toBe(0)
    expect(resultOf(r.json, 'show')['{{ r.stdout }}']).toBe(`lookup('env', 'CTRL_ONLY')`)
    expectNoLeak(r.stdout)
  })
})

describe('facts and other hosts’ variables are text', () => {
  it('copies ansible_env holding {{ 7*7 }} literally, through ansible_facts and hostvars of another host too', async () => {
    project(`- hosts: app
  gather_facts: true
  tasks:
    - name: host data
      command: cat ${dir}/motd
      register: motd
    - name: env fact
      copy: { content: "{{ ansible_env.TSPLAY_UNSAFE }}|{{ ansible_facts.env.TSPLAY_UNSAFE }}", dest: "${dir}/env-{{ inventory_hostname }}" }
    - name: another host's register and facts
      copy: { content: "{{ hostvars['h1'].motd.stdout }}|{{ hostvars['h1'].ansible_env.TSPLAY_UNSAFE }}", dest: "${dir}/other-{{ inventory_hostname }}" }
      when: inventory_hostname == 'h2'
`, { motd: PAYLOAD })
    const r = await run({ TSPLAY_UNSAFE: '{{ 7*7 }}' })
    expect(r.code, r.stdout + r.stderr).toBe(0)
    expect(read('env-h1')).toBe('{{ 7*7 }}|{{ 7*7 }}')
    expect(read('other-h2')).toBe(`${PAYLOAD}|{{ 7*7 }}`)
  })
})

describe('what templates make of host data stays data', () => {
  it('set_fact of filtered text (| upper, ~, +, in a list and a dict) and play vars that read it are copied literally', async () => {
    project(
      `- hosts: h1
  gather_facts: false
  vars:
    via_play_var: "{{ shouted }}!"
  tasks:
    - command: cat ${dir}/motd
      register: motd
    - set_fact:
        shouted: "{{ motd.stdout | upper }}"
        joined: "{{ motd.stdout ~ 'x' }}"
        added: "{{ 'y' + motd.stdout }}"
        listed: ["{{ motd.stdout }}", "{{ motd.stdout | trim }}"]
        mapped: { k: "{{ motd.stdout }}" }
        dumped: "{{ motd | to_json }}"
    - set_fact:
        again: "{{ listed + [mapped.k] }}"
    - copy:
        dest: "${dir}/out"
        content: "{{ shouted }}\\n{{ joined }}\\n{{ added }}\\n{{ listed[1] }}\\n{{ mapped.k }}\\n{{ again[2] }}\\n{{ via_play_var }}\\n{{ (dumped | from_json).stdout }}"
`,
      { motd: ' v{{ 7*7 }}' },
    )
    const r = await run()
    expect(r.code, r.stdout + r.stderr).toBe(0)
    const text = ' v{{ 7*7 }}'
    expect(read('out').split('\n')).toEqual([' V{{ 7*7 }}', `${text}x`, `y${text}`, text.trim(), text, text, ' V{{ 7*7 }}!', text])
  })

  it('a lookup(\'file\') result holding {{ }} is text, also after set_fact and a loop', async () => {
    project(
      `- hosts: h1
  gather_facts: false
  vars:
    banner: "{{ lookup('file', 'banner.txt') }}"
  tasks:
    - set_fact:
        kept: "{{ banner }}"
        lines: "{{ lookup('file', 'banner.txt').splitlines() }}"
    - copy: { content: "{{ kept }}", dest: "${dir}/kept" }
    - copy: { content: "{{ item }}", dest: "${dir}/line" }
      loop: "{{ lines }}"
`,
      { 'banner.txt': PAYLOAD },
    )
    const r = await run()
    expect(r.code, r.stdout + r.stderr).toBe(0)
    expect(read('kept')).toBe(PAYLOAD)
    expect(read('line')).toBe(PAYLOAD)
  })

  it('an included task file looping over host lines and a rescue reading the failed result see text', async () => {
    project(
      `- hosts: h1
  gather_facts: false
  tasks:
    - command: cat ${dir}/motd
      register: motd
    - include_tasks: write.yml
      loop: "{{ motd.stdout_lines }}"
      vars: { suffix: "-{{ inventory_hostname }}" }
    - block:
        - command: cat ${dir}/motd
          failed_when: true
      rescue:
        - copy: { content: "{{ ansible_failed_result.stdout }}", dest: "${dir}/rescued" }
`,
      { motd: PAYLOAD, 'write.yml': `- copy: { content: "{{ item }}{{ suffix }}", dest: "${dir}/included" }\n` },
    )
    const r = await run()
    expect(r.code, r.stdout + r.stderr).toBe(0)
    expect(read('included')).toBe(`${PAYLOAD}-h1`)
    expect(read('rescued')).toBe(PAYLOAD)
  })
})

describe('!unsafe values the user wrote', () => {
  it('are text in play vars, lists and module arguments, while ordinary templates still render lazily', async () => {
    project(`- hosts: h1
  gather_facts: false
  vars:
    name: world
    greeting: "hello {{ name }}"
    literal: !unsafe "{{ db_password }} {% raw %}"
    several: !unsafe ["{{ name }}", { k: "{{ name }}" }]
    built: "{{ literal }}/{{ several[0] }}/{{ several[1].k }}"
  tasks:
    - set_fact:
        upper: "{{ literal | upper }}"
    - copy:
        dest: "${dir}/out"
        content: "{{ greeting }}|{{ built }}|{{ upper }}|{{ literal | length }}"
    - copy:
        dest: "${dir}/arg"
        content: !unsafe "{{ name }}"
`)
    const r = await run()
    expect(r.code, r.stdout + r.stderr).toBe(0)
    const literal = '{{ db_password }} {% raw %}'
    expect(read('out')).toBe(`hello world|${literal}/{{ name }}/{{ name }}|{{ DB_PASSWORD }} {% RAW %}|${literal.length}`)
    expect(read('arg')).toBe('{{ name }}')
  })
})
