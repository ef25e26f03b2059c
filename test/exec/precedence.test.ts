/**
 * Variable precedence as Ansible 2.14 orders it (vars/manager.py), proven by one run: variable xN
 * is defined at level N and at every level below it, so the value it shows names the level that won.
 * The same order is checked against ansible-playbook by test/fixtures/compat/includes/precedence.yml.
 */
import { expect, it } from 'vitest'
import { resultOf, runExec } from '../helpers/exec-harness.js'

const LEVELS = [
  'role_defaults', 'group_all', 'group_parent', 'group_child', 'host_vars', 'play_vars', 'vars_files', 'role_line_vars', 'role_vars',
  'block_vars', 'task_vars', 'include_vars', 'set_fact', 'role_params', 'include_params', 'extra_vars',
] as const

/** Variables x0..xN defined at `level` (those whose own level is this one or higher). */
function varsAt(level: number): Record<string, string> {
  const out: Record<string, string> = {}
  for (let n = level; n < LEVELS.length; n++) out[`x${n}`] = LEVELS[level] as string
  return out
}

const yaml = (vars: Record<string, string>, indent = ''): string => Object.entries(vars).map(([k, v]) => `${indent}${k}: ${v}`).join('\n') + '\n'

it('resolves each variable from the highest level that defines it', async () => {
  const names = LEVELS.map((_, n) => `x${n}`)
  const files = {
    'inventory/hosts': '[parent:children]\nchild\n\n[child]\nh1 ansible_connection=local\n',
    'inventory/group_vars/all.yml': yaml(varsAt(1)),
    'inventory/group_vars/parent.yml': yaml(varsAt(2)),
    'inventory/group_vars/child/main.yml': yaml(varsAt(3)),
    'inventory/host_vars/h1.yml': yaml(varsAt(4)),
    'vars.yml': yaml(varsAt(6)),
    'site.yml': `- hosts: h1
  gather_facts: false
  vars:
${yaml(varsAt(5), '    ')}  vars_files: [vars.yml]
  roles:
    - role: r
${yaml(varsAt(13), '      ')}      vars:
${yaml(varsAt(7), '        ')}`,
    'roles/r/defaults/main.yml': yaml(varsAt(0)),
    'roles/r/vars/main.yml': yaml(varsAt(8)),
    'included-vars.yml': yaml(varsAt(11)),
    'roles/r/tasks/main.yml': `- include_vars: "{{ playbook_dir }}/included-vars.yml"
- set_fact:
${yaml(varsAt(12), '    ')}- include_tasks: show.yml
  vars:
${yaml(varsAt(14), '    ')}`,
    'roles/r/tasks/show.yml': `- block:
    - name: show
      debug:
        msg: "{{ [${names.join(', ')}] | join(',') }}"
      vars:
${yaml(varsAt(10), '        ')}  vars:
${yaml(varsAt(9), '    ')}`,
  }
  // As `-e x15=extra_vars` gives it.
  const run = await runExec(files, { inventory: 'inventory/hosts', extraVars: { [`x${LEVELS.length - 1}`]: 'extra_vars' } })
  expect(run.exitCode, JSON.stringify(run.events)).toBe(0)
  expect(String(resultOf(run, 'r : show').result['msg']).split(',')).toEqual([...LEVELS])
})
