/**
 * become_method: what tsplay lacks is refused (never done with sudo instead), at load time with
 * file:line when written down, on the host before anything runs when templated; su itself works
 * through the real CLI with the local connection (as root here, so su asks no password).
 */
import { existsSync, mkdtempSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { beforeEach, describe, expect, it } from 'vitest'
import { tsplay, tsplayJson, writeTree } from '../helpers/cli.js'

let dir: string
const LOCAL = '[app]\nh1 ansible_connection=local\n'

beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'tsplay-become-method-'))
})

/** A play that first writes a file (so a refusal "before any host is touched" can be seen) and then becomes. */
function play(becomeLines: string): string {
  return `- hosts: app
  gather_facts: false
  tasks:
    - file: { path: "{{ playbook_dir }}/touched", state: touch }
    - command: whoami
      become: true
${becomeLines}`
}

describe('a become method tsplay does not have', () => {
  it.each(['doas', 'pbrun', 'pfexec', 'dzdo', 'ksu', 'machinectl', 'runas', 'sudoo', 'community.general.doas'])('is refused at load time when a playbook says become_method: %s', async (method) => {
    writeTree(dir, { hosts: LOCAL, 'site.yml': play(`      become_method: ${method}\n`) })
    const r = await tsplay(['run', join(dir, 'site.yml'), '-i', join(dir, 'hosts')])
    expect(r.code).toBe(4)
    expect(r.stderr).toContain(`site.yml:7:7: become method '${method}' is not supported by tsplay (it has: sudo, su)`)
    expect(existsSync(join(dir, 'touched'))).toBe(false)
  })

  it('is refused at load time in an INI inventory, a YAML inventory and group_vars, with file:line', async () => {
    writeTree(dir, {
      'site.yml': play(''),
      'ini/hosts': '[app]\nh1 ansible_connection=local ansible_become_method=pbrun\n',
      'yaml/hosts.yml': 'all:\n  hosts:\n    h1:\n      ansible_connection: local\n      ansible_become_method: dzdo\n',
      'gv/hosts': LOCAL,
      'gv/group_vars/app.yml': 'colour: blue\nansible_become_method: doas\n',
    })
    const ini = await tsplay(['run', join(dir, 'site.yml'), '-i', join(dir, 'ini', 'hosts')])
    // Inventory errors exit 1, as ansible-playbook's do (ANSIBLE_INVENTORY_UNPARSED_FAILED).
    expect(ini.code).toBe(1)
    expect(ini.stderr).toMatch(/ini\/hosts:2:\d+: become method 'pbrun' is not supported by tsplay \(it has: sudo, su\)/)
    const yaml = await tsplay(['run', join(dir, 'site.yml'), '-i', join(dir, 'yaml', 'hosts.yml')])
    expect(yaml.code).toBe(1)
    expect(yaml.stderr).toContain("hosts.yml:5:7: become method 'dzdo' is not supported by tsplay (it has: sudo, su)")
    const groupVars = await tsplay(['run', join(dir, 'site.yml'), '-i', join(dir, 'gv', 'hosts')])
    expect(groupVars.code).toBe(1)
    expect(groupVars.stderr).toContain("group_vars/app.yml:2:1: become method 'doas' is not supported by tsplay (it has: sudo, su)")
    expect(existsSync(join(dir, 'touched'))).toBe(false)
  })

  it('is refused at load time in play vars and in a role\'s vars, with file:line', async () => {
    writeTree(dir, {
      hosts: LOCAL,
      'play.yml': `- hosts: app\n  gather_facts: false\n  vars:\n    ansible_become_method: runas\n  tasks:\n    - file: { path: "{{ playbook_dir }}/touched", state: touch }\n`,
      'role.yml': '- hosts: app\n  gather_facts: false\n  roles: [web]\n',
      'roles/web/vars/main.yml': '# web\nansible_become_method: machinectl\n',
      'roles/web/tasks/main.yml': '- file: { path: "{{ playbook_dir }}/touched", state: touch }\n',
    })
    const inPlay = await tsplay(['run', join(dir, 'play.yml'), '-i', join(dir, 'hosts')])
    expect(inPlay.code).toBe(4)
    expect(inPlay.stderr).toContain("play.yml:4:5: become method 'runas' is not supported by tsplay (it has: sudo, su)")
    const inRole = await tsplay(['run', join(dir, 'role.yml'), '-i', join(dir, 'hosts')])
    expect(inRole.code).toBe(4)
    expect(inRole.stderr).toContain("vars/main.yml:2:1: become method 'machinectl' is not supported by tsplay (it has: sudo, su)")
    expect(existsSync(join(dir, 'touched'))).toBe(false)
  })

  it('is refused as --become-method before anything runs', async () => {
    writeTree(dir, { hosts: LOCAL, 'site.yml': play('') })
    const r = await tsplay(['run', join(dir, 'site.yml'), '-i', join(dir, 'hosts'), '--become-method', 'doas'])
    expect(r.code).toBe(5)
    expect(r.stderr).toContain("--become-method: become method 'doas' is not supported by tsplay (it has: sudo, su)")
    expect(existsSync(join(dir, 'touched'))).toBe(false)
  })

  it('fails the task on the host when templated, before the command runs there', async () => {
    writeTree(dir, {
      hosts: LOCAL,
      'site.yml': `- hosts: app
  gather_facts: false
  vars: { how: ksu }
  tasks:
    - command: touch "{{ playbook_dir }}/ran"
      become: true
      become_method: "{{ how }}"
`,
    })
    const r = await tsplay(['run', join(dir, 'site.yml'), '-i', join(dir, 'hosts')])
    expect(r.code).toBe(2)
    expect(r.stdout).toContain("become method 'ksu' is not supported by tsplay (it has: sudo, su)")
    expect(existsSync(join(dir, 'ran'))).toBe(false)
  })
})

describe('become_method su through the CLI', () => {
  it('runs the command as become_user, templated, from the keyword or --become-method, with become_flags', async () => {
    writeTree(dir, {
      hosts: LOCAL,
      'site.yml': `- hosts: app
  gather_facts: false
  vars: { who: nobody }
  tasks:
    - command: whoami
      become: true
      become_method: su
      become_user: "{{ who }}"
    - command: whoami
      become: true
      become_method: ansible.builtin.su
      become_user: daemon
`,
      'cli.yml': '- hosts: app\n  gather_facts: false\n  tasks:\n    - command: id -un\n',
      'flags.yml': '- hosts: app\n  gather_facts: false\n  tasks:\n    - command: id -gn\n      become: true\n      become_method: su\n      become_user: nobody\n      become_flags: -g daemon\n',
    })
    const r = await tsplayJson(['run', join(dir, 'site.yml'), '-i', join(dir, 'hosts')])
    expect(r.code, r.stdout + r.stderr).toBe(0)
    expect(r.json.plays[0]?.tasks[0]?.hosts['h1']?.['stdout']).toBe('nobody')
    expect(r.json.plays[0]?.tasks[1]?.hosts['h1']?.['stdout']).toBe('daemon')
    const cli = await tsplayJson(['run', join(dir, 'cli.yml'), '-i', join(dir, 'hosts'), '-b', '--become-method', 'su', '--become-user', 'nobody'])
    expect(cli.code, cli.stdout + cli.stderr).toBe(0)
    expect(cli.json.plays[0]?.tasks[0]?.hosts['h1']?.['stdout']).toBe('nobody')
    // become_flags reach su: -g sets the group (root may), as in `su -g daemon nobody`.
    const flags = await tsplayJson(['run', join(dir, 'flags.yml'), '-i', join(dir, 'hosts')])
    expect(flags.code, flags.stdout + flags.stderr).toBe(0)
    expect(flags.json.plays[0]?.tasks[0]?.hosts['h1']?.['stdout']).toBe('daemon')
  })
})
