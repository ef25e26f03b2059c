/**
 * What the CLI prints for play and task keywords (serial batches as ansible-playbook shows them,
 * no_log), with the local connection in a temporary folder. What the keywords do is tested in
 * process in test/exec/.
 */
import { execFileSync } from 'node:child_process'
import { mkdtempSync, readFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { beforeEach, describe, expect, it } from 'vitest'
import { tsplay, writeTree } from '../helpers/cli.js'

let dir: string
const HOSTS = '[app]\nh1 ansible_connection=local\nh2 ansible_connection=local\nh3 ansible_connection=local\n'

beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'tsplay-kw-'))
  writeTree(dir, { hosts: HOSTS })
})

const read = (p: string) => readFileSync(join(dir, p), 'utf8')
const play = (body: string, head = '- hosts: app\n  gather_facts: false\n') => head + body

describe('serial', () => {
  it('serial prints the play and its tasks again for each batch, as ansible-playbook does', async () => {
    writeTree(dir, {
      'site.yml': play(`  serial: 2
  tasks:
    - name: one
      command: "true"
    - name: two
      command: "true"
`),
    })
    const run = await tsplay(['run', 'site.yml', '-i', 'hosts'], { cwd: dir })
    expect(run.code, run.stdout).toBe(0)
    const ansible = execFileSync('ansible-playbook', ['-i', 'hosts', 'site.yml'], { cwd: dir, encoding: 'utf8', env: { ...process.env, ANSIBLE_NOCOLOR: '1', ANSIBLE_FORCE_COLOR: '0' } })
    // Up to the recap, whose columns differ; hosts of a batch finish in any order.
    const shown = (out: string) =>
      out
        .slice(0, out.indexOf('PLAY RECAP'))
        .split(/\n(?=PLAY |TASK )/)
        .map((section) => section.replace(/ \*+/, '').trim().split('\n').sort().join('\n'))
        .filter((section) => section)
    expect(shown(run.stdout)).toEqual(shown(ansible))
    expect(shown(run.stdout)).toHaveLength(6)
  })
})


describe('no_log', () => {
  it('hides the output but register and set_fact keep the real values, and later task names read in full', async () => {
    writeTree(dir, {
      'site.yml': play(`  tasks:
    - name: a quiet command
      shell: echo transformed-output
      register: r
      no_log: true
    - name: echo transformed
      copy: { dest: "{{ playbook_dir }}/stdout", content: "{{ r.stdout }}" }
    - name: a quiet fact
      set_fact: { quiet: hushhush-value }
      no_log: true
    - copy: { dest: "{{ playbook_dir }}/fact", content: "{{ quiet }}" }
    - name: a quiet loop
      shell: echo "{{ item }}"
      loop: [alpha-one, beta-two]
      register: lr
      no_log: true
    - copy: { dest: "{{ playbook_dir }}/loop", content: "{{ lr.results | map(attribute='stdout') | join(',') }}" }
`),
    })
    const run = await tsplay(['run', 'site.yml', '-i', 'hosts', '-l', 'h1', '-v'], { cwd: dir })
    expect(run.code, run.stdout + run.stderr).toBe(0)
    expect([read('stdout'), read('fact'), read('loop')]).toEqual(['transformed-output', 'hushhush-value', 'alpha-one,beta-two'])
    // Ansible's words for the hidden output; the quiet tasks' own values show nowhere.
    expect(run.stdout).toContain("the output has been hidden due to the fact that 'no_log: true' was specified for this result")
    expect(run.stdout).not.toMatch(/hushhush|alpha-one|transformed-output/)
    expect(run.stdout).toContain('TASK [echo transformed]')
  })
})
