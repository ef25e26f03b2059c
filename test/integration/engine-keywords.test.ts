/** Task and play keywords end to end, with the local connection in a temporary folder. */
import { execFileSync } from 'node:child_process'
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { beforeEach, describe, expect, it } from 'vitest'
import { statuses, tsplay, tsplayJson, writeTree } from '../helpers/cli.js'

let dir: string
const HOSTS = '[app]\nh1 ansible_connection=local\nh2 ansible_connection=local\nh3 ansible_connection=local\n'

beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'tsplay-kw-'))
  writeTree(dir, { hosts: HOSTS })
})

const read = (p: string) => readFileSync(join(dir, p), 'utf8')
const play = (body: string, head = '- hosts: app\n  gather_facts: false\n') => head + body

describe('execution order', () => {
  it('serial runs the whole play on each batch before the next; linear keeps hosts on the same task', async () => {
    writeTree(dir, {
      'site.yml': play(`  serial: [1, 2]
  tasks:
    - shell: echo "{{ inventory_hostname }} a" >> {{ playbook_dir }}/order.log
    - shell: echo "{{ inventory_hostname }} b" >> {{ playbook_dir }}/order.log
`),
    })
    const run = await tsplay(['run', 'site.yml', '-i', 'hosts'], { cwd: dir })
    expect(run.code, run.stdout).toBe(0)
    const lines = read('order.log').trim().split('\n')
    expect(lines.slice(0, 2)).toEqual(['h1 a', 'h1 b'])
    // Second batch: both hosts finish task a before either starts task b.
    expect(lines.slice(2, 4).sort()).toEqual(['h2 a', 'h3 a'])
    expect(lines.slice(4).sort()).toEqual(['h2 b', 'h3 b'])
  })

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

  it('strategy free lets a fast host run ahead of a slow one', async () => {
    writeTree(dir, {
      'site.yml': play(`  strategy: free
  tasks:
    - shell: "sleep {{ '1' if inventory_hostname == 'h1' else '0' }}; echo {{ inventory_hostname }} a >> {{ playbook_dir }}/order.log"
    - shell: echo "{{ inventory_hostname }} b" >> {{ playbook_dir }}/order.log
`),
    })
    await tsplay(['run', 'site.yml', '-i', 'hosts', '-l', 'h1,h2'], { cwd: dir })
    expect(read('order.log').trim().split('\n')).toEqual(['h2 a', 'h2 b', 'h1 a', 'h1 b'])
  })

  it('any_errors_fatal stops every host after the failing task', async () => {
    writeTree(dir, {
      'site.yml': play(`  any_errors_fatal: true
  tasks:
    - fail: { msg: boom }
      when: inventory_hostname == 'h2'
    - copy: { dest: "{{ playbook_dir }}/{{ inventory_hostname }}.after", content: x }
`),
    })
    const run = await tsplay(['run', 'site.yml', '-i', 'hosts'], { cwd: dir })
    expect(run.code).toBe(2)
    expect(['h1', 'h2', 'h3'].filter((h) => existsSync(join(dir, `${h}.after`)))).toEqual([])
  })

  it('max_fail_percentage stops the play when too many hosts fail', async () => {
    writeTree(dir, {
      'site.yml': play(`  max_fail_percentage: 30
  tasks:
    - fail: { msg: boom }
      when: inventory_hostname != 'h3'
    - copy: { dest: "{{ playbook_dir }}/{{ inventory_hostname }}.after", content: x }
`),
    })
    const run = await tsplay(['run', 'site.yml', '-i', 'hosts'], { cwd: dir })
    expect(run.code).toBe(2)
    expect(existsSync(join(dir, 'h3.after'))).toBe(false)
  })
})

describe('task keywords', () => {
  it('retries until a condition holds, with delay', async () => {
    writeTree(dir, {
      'site.yml': play(`  tasks:
    - shell: echo x >> {{ playbook_dir }}/tries; wc -l < {{ playbook_dir }}/tries
      register: r
      until: r.stdout | int >= 3
      retries: 5
      delay: 0
`, '- hosts: h1\n  gather_facts: false\n'),
    })
    const run = await tsplayJson(['run', 'site.yml', '-i', 'hosts'], { cwd: dir })
    expect(run.code).toBe(0)
    expect(run.json.plays[0]?.tasks[0]?.hosts['h1']?.['attempts']).toBe(3)
  })

  it('changed_when, failed_when, check_mode: false, environment and delegate_to work as in Ansible', async () => {
    writeTree(dir, {
      'site.yml': play(`  tasks:
    - command: echo "{{ '$' }}GREETING"
      environment: { GREETING: hello }
      register: env
      changed_when: false
      check_mode: false
    - command: /bin/false
      failed_when: false
      register: rc
      check_mode: false
    - copy: { dest: "{{ playbook_dir }}/always-written", content: "{{ env.stdout }} {{ rc.rc }}" }
      check_mode: false
    - copy: { dest: "{{ playbook_dir }}/delegated-{{ inventory_hostname }}", content: x }
      delegate_to: localhost
`, '- hosts: h1\n  gather_facts: false\n'),
    })
    const run = await tsplayJson(['run', 'site.yml', '-i', 'hosts', '--check'], { cwd: dir })
    expect(run.code, run.stdout).toBe(0)
    // A command that only reads runs in check mode too with check_mode: false, as in Ansible.
    expect(statuses(run.json).map(([, s]) => s['h1'])).toEqual(['ok', 'changed', 'changed', 'changed'])
    const real = await tsplayJson(['run', 'site.yml', '-i', 'hosts'], { cwd: dir })
    // The check run already wrote the check_mode: false file.
    expect(statuses(real.json).map(([, s]) => s['h1'])).toEqual(['ok', 'changed', 'ok', 'changed'])
    expect(read('always-written')).toBe('hello 1')
    expect(existsSync(join(dir, 'delegated-h1'))).toBe(true)
  })

  it('run_once gives every host what the task left on the one host that ran it: facts only when it succeeded, as ansible-playbook does', async () => {
    writeTree(dir, {
      'site.yml': play(`  tasks:
    - name: a fact set once, but the task failed
      set_fact: { shared: set }
      run_once: true
      failed_when: true
      ignore_errors: true
    - name: facts another module returns, once
      setup: { filter: ansible_hostname }
      run_once: true
    - copy:
        dest: "{{ playbook_dir }}/{{ inventory_hostname }}.seen"
        content: "{{ shared | default('unset') }} {{ ansible_hostname is defined }}"
`),
    })
    const seen = () => ['h1', 'h2', 'h3'].map((h) => read(`${h}.seen`))
    execFileSync('ansible-playbook', ['-i', 'hosts', 'site.yml'], { cwd: dir, encoding: 'utf8' })
    const ansible = seen()
    for (const h of ['h1', 'h2', 'h3']) rmSync(join(dir, `${h}.seen`))
    const run = await tsplay(['run', 'site.yml', '-i', 'hosts'], { cwd: dir })
    expect(run.code, run.stdout).toBe(0)
    expect(seen()).toEqual(ansible)
    expect(ansible).toEqual(['unset True', 'unset True', 'unset True'])
  })

  it('include_tasks loops with its own variables; import_role and include_role run roles', async () => {
    writeTree(dir, {
      'site.yml': play(`  tasks:
    - include_tasks: part.yml
      loop: [a, b]
      loop_control: { loop_var: part }
    - import_role: { name: r }
      vars: { who: imported }
    - include_role: { name: r, tasks_from: other }
      vars: { who: included }
      when: inventory_hostname == 'h1'
`, '- hosts: h1,h2\n  gather_facts: false\n'),
      'part.yml': '- copy: { dest: "{{ playbook_dir }}/{{ inventory_hostname }}-{{ part }}", content: "{{ part }}" }\n',
      'roles/r/tasks/main.yml': '- copy: { dest: "{{ playbook_dir }}/{{ inventory_hostname }}-main", content: "{{ who }}" }\n',
      'roles/r/tasks/other.yml': '- copy: { dest: "{{ playbook_dir }}/{{ inventory_hostname }}-other", content: "{{ who }}" }\n',
    })
    const run = await tsplay(['run', 'site.yml', '-i', 'hosts'], { cwd: dir })
    expect(run.code, run.stdout).toBe(0)
    expect(read('h1-a') + read('h2-b')).toBe('ab')
    expect(read('h2-main')).toBe('imported')
    expect(read('h1-other')).toBe('included')
    expect(existsSync(join(dir, 'h2-other'))).toBe(false)
  })

  it('handlers: listen topics, flush_handlers mid-play, and meta: end_host', async () => {
    writeTree(dir, {
      'site.yml': play(`  tasks:
    - copy: { dest: "{{ playbook_dir }}/{{ inventory_hostname }}.conf", content: x }
      notify: web changed
    - meta: flush_handlers
    - copy: { dest: "{{ playbook_dir }}/{{ inventory_hostname }}.after-flush", content: "{{ lookup('file', playbook_dir ~ '/' ~ inventory_hostname ~ '.handled') }}" }
    - meta: end_host
      when: inventory_hostname == 'h1'
    - copy: { dest: "{{ playbook_dir }}/{{ inventory_hostname }}.end", content: x }
  handlers:
    - name: restart web
      copy: { dest: "{{ playbook_dir }}/{{ inventory_hostname }}.handled", content: handled }
      listen: web changed
`, '- hosts: h1,h2\n  gather_facts: false\n'),
    })
    const run = await tsplay(['run', 'site.yml', '-i', 'hosts'], { cwd: dir })
    expect(run.code, run.stdout).toBe(0)
    expect(read('h1.after-flush')).toBe('handled')
    expect(existsSync(join(dir, 'h1.end'))).toBe(false)
    expect(existsSync(join(dir, 'h2.end'))).toBe(true)
  })

  it('vars_files, with_items and import_playbook', async () => {
    writeTree(dir, {
      'site.yml': '- import_playbook: sub/inner.yml\n',
      'sub/inner.yml': play(`  vars_files: [vars.yml]
  tasks:
    - copy: { dest: "{{ playbook_dir }}/{{ item }}", content: "{{ colour }}" }
      with_items: [[x1, x2], x3]
`, '- hosts: h1\n  gather_facts: false\n'),
      'sub/vars.yml': 'colour: green\n',
    })
    const run = await tsplay(['run', 'site.yml', '-i', 'hosts'], { cwd: dir })
    expect(run.code, run.stdout + run.stderr).toBe(0)
    // playbook_dir is the folder of the playbook given on the command line; vars_files are relative to the play's own file.
    expect(read('x1') + read('x2') + read('x3')).toBe('greengreengreen')
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
