/** Roles, role dependencies and variable precedence, run by the executor in process. */
import { readFileSync } from 'node:fs'
import { join } from 'node:path'
import { describe, expect, it } from 'vitest'
import { runExec, statuses } from '../helpers/exec-harness.js'

const INVENTORY = `[app]\nh1 ansible_connection=local\nh2 ansible_connection=local\n\n[app:vars]\ncolour=blue\n`

describe('roles, variables and precedence', () => {
  it('applies role defaults, inventory vars, role vars, params and extra vars in Ansible order', async () => {
    const run = await runExec(
      {
        hosts: INVENTORY,
        'site.yml': `- hosts: app
  gather_facts: false
  vars:
    base: "{{ playbook_dir }}/out"
  roles:
    - role: web
      greeting: hello-from-param
`,
        'roles/common/defaults/main.yml': 'common_marker: common-default\n',
        'roles/common/tasks/main.yml': `- name: common dir
  file:
    path: "{{ base }}/{{ inventory_hostname }}"
    state: directory
- name: common marker
  copy:
    dest: "{{ base }}/{{ inventory_hostname }}/common.txt"
    content: "{{ common_marker }}\\n"
`,
        'roles/web/meta/main.yml': 'dependencies:\n  - role: common\n    common_marker: set-by-dependent\n',
        'roles/web/defaults/main.yml': 'greeting: default-greeting\nport: 80\ncolour: default-colour\nsize: small\n',
        'roles/web/vars/main.yml': 'size: role-var-size\n',
        'roles/web/tasks/main.yml': `- name: make dir
  file:
    path: "{{ base }}/{{ inventory_hostname }}"
    state: directory
- name: write config
  copy:
    dest: "{{ base }}/{{ inventory_hostname }}/web.conf"
    content: |
      greeting={{ greeting }}
      port={{ port }}
      colour={{ colour }}
      size={{ size }}
      extra={{ extra | default('none') }}
`,
      },
      // As `-e port=8080 -e '{"extra": "x"}'` gives them.
      { extraVars: { port: '8080', extra: 'x' } },
    )
    const read = (path: string) => readFileSync(join(run.dir, path), 'utf8')
    expect(run.exitCode, JSON.stringify(run.events)).toBe(0)
    expect(read('out/h1/web.conf')).toBe('greeting=hello-from-param\nport=8080\ncolour=blue\nsize=role-var-size\nextra=x\n')
    expect(read('out/h2/common.txt')).toBe('set-by-dependent\n')
    // The dependency ran first.
    expect(statuses(run).map(([name]) => name)).toEqual(['common : common dir', 'common : common marker', 'web : make dir', 'web : write config'])
  })

  const SHARING = {
    'site.yml': `- hosts: h1
  gather_facts: false
  pre_tasks:
    - debug: { msg: "pre {{ a_default }} {{ a_var | default('private') }}" }
  roles: [a]
  tasks:
    - debug: { msg: "after {{ a_default }} {{ a_var | default('private') }}" }
- hosts: h1
  gather_facts: false
  tasks:
    - debug: { msg: "next play {{ a_default | default('unset') }}" }
`,
    'roles/a/defaults/main.yml': 'a_default: from a defaults\n',
    'roles/a/vars/main.yml': 'a_var: from a vars\n',
    'roles/a/tasks/main.yml': '- debug: { msg: "in a {{ a_var }}" }\n',
  }
  const messages = (run: Awaited<ReturnType<typeof runExec>>) => run.events.flatMap((e) => (e.kind === 'task:result' ? [e.result['msg']] : []))

  it("a play role's defaults and vars are seen by the whole play, not the next one (private_role_vars = False, as Ansible)", async () => {
    const run = await runExec(SHARING)
    expect(run.exitCode, JSON.stringify(run.events)).toBe(0)
    expect(messages(run)).toEqual(['pre from a defaults from a vars', 'in a from a vars', 'after from a defaults from a vars', 'next play unset'])
  })

  it('private_role_vars keeps role vars inside the role; its defaults stay shared, as in Ansible', async () => {
    const run = await runExec(SHARING, { privateRoleVars: true })
    expect(run.exitCode, JSON.stringify(run.events)).toBe(0)
    expect(messages(run)).toEqual(['pre from a defaults private', 'in a from a vars', 'after from a defaults private', 'next play unset'])
  })
})
