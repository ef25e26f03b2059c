/** module_defaults at play, role, block and task level, merged as Ansible 2.14 merges them. */
import { readFileSync, statSync } from 'node:fs'
import { join } from 'node:path'
import { describe, expect, it } from 'vitest'
import { failures, resultOf, runExec } from '../helpers/exec-harness.js'

const messages = (run: Awaited<ReturnType<typeof runExec>>, name: string): unknown[] =>
  run.events.flatMap((e) => (e.kind === 'task:result' && e.task.name === name ? [e.result['msg']] : []))

describe('module_defaults', () => {
  it('the innermost mapping naming a module wins (short name or FQCN), and the task own arguments win over it', async () => {
    const run = await runExec({
      'site.yml': `- hosts: h1
  gather_facts: false
  module_defaults:
    debug: { msg: from the play }
    ansible.builtin.copy: { mode: "0600", content: default content }
  roles:
    - role: r
      module_defaults:
        ansible.builtin.debug: { msg: from the role line }
  tasks:
    - name: play
      debug:
    - name: block
      block:
        - name: in block
          debug:
        - name: task
          debug:
          module_defaults:
            debug: { msg: from the task }
        - name: own args
          debug: { msg: own }
      module_defaults:
        ansible.builtin.debug: { msg: from the block }
    - name: file
      copy: { dest: "{{ playbook_dir }}/f" }
    - name: file with own mode
      copy: { dest: "{{ playbook_dir }}/g", mode: "0640" }
`,
      'roles/r/tasks/main.yml': '- name: role task\n  debug:\n',
    })
    expect(run.exitCode, JSON.stringify(failures(run))).toBe(0)
    expect(messages(run, 'r : role task')).toEqual(['from the role line'])
    expect(messages(run, 'play')).toEqual(['from the play'])
    expect(messages(run, 'in block')).toEqual(['from the block'])
    expect(messages(run, 'task')).toEqual(['from the task'])
    expect(messages(run, 'own args')).toEqual(['own'])
    expect(readFileSync(join(run.dir, 'f'), 'utf8')).toBe('default content')
    expect(statSync(join(run.dir, 'f')).mode & 0o777).toBe(0o600)
    expect(statSync(join(run.dir, 'g')).mode & 0o777).toBe(0o640)
  })

  it('a whole mapping may come from a template; an inner mapping replaces an outer one for the module, it does not merge', async () => {
    const run = await runExec({
      'site.yml': `- hosts: h1
  gather_facts: false
  vars: { copy_defaults: { content: templated, mode: "0604" } }
  module_defaults:
    copy: "{{ copy_defaults }}"
  tasks:
    - copy: { dest: "{{ playbook_dir }}/t" }
    - copy: { dest: "{{ playbook_dir }}/u" }
      module_defaults:
        copy: { content: inner }
`,
    })
    expect(run.exitCode, JSON.stringify(failures(run))).toBe(0)
    expect(readFileSync(join(run.dir, 't'), 'utf8')).toBe('templated')
    expect(statSync(join(run.dir, 't')).mode & 0o777).toBe(0o604)
    expect(readFileSync(join(run.dir, 'u'), 'utf8')).toBe('inner')
    expect(statSync(join(run.dir, 'u')).mode & 0o777).not.toBe(0o604)
  })

  it('a default that does not fit the module is refused at load, naming where it was written and the task', async () => {
    const files = (defaults: string) => ({
      'site.yml': `- hosts: h1
  gather_facts: false
  module_defaults:
    ${defaults}
  tasks:
    - copy: { dest: /tmp/x, content: x }
`,
    })
    await expect(runExec(files('copy: { mode: "0644", frobnicate: 1 }'))).rejects.toThrow(/site\.yml:4:\d+: module_defaults for 'copy', as the task at .*site\.yml:6:\d+ takes them: module 'copy': unknown argument 'frobnicate'/)
    await expect(runExec(files('copy: { force: maybe }'))).rejects.toThrow(/site\.yml:4:\d+: .*argument 'force' must be a boolean/)
    await expect(runExec(files('group/aws: { region: x }'))).rejects.toThrow(/site\.yml:4:\d+: module_defaults: action groups \('group\/aws'\) are not supported/)
    await expect(runExec(files('copy: [1, 2]'))).rejects.toThrow(/module_defaults for 'copy' must be a mapping/)
  })

  it('a module tsplay lacks is a warning (its defaults apply to no task)', async () => {
    const run = await runExec({
      'site.yml': `- hosts: h1
  gather_facts: false
  module_defaults:
    community.general.nothing_here: { x: 1 }
  tasks:
    - debug: { msg: hi }
`,
    })
    expect(run.exitCode).toBe(0)
    const warnings = run.events.flatMap((e) => (e.kind === 'warning' ? [e.message] : []))
    expect(warnings.join('\n')).toContain("module_defaults for 'community.general.nothing_here': tsplay has no such module")
    expect(resultOf(run, 'debug').status).toBe('ok')
  })
})
