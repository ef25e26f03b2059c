import { mkdtempSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { beforeEach, describe, expect, it } from 'vitest'
import { loadPlaybook } from '../../engine/exec/run.js'
import { writeTree } from '../helpers/cli.js'
import { defaultModules } from '../helpers/module-harness.js'

let dir: string
beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'tsplay-loader-'))
})

function load(files: Record<string, string>) {
  writeTree(dir, files)
  return loadPlaybook(join(dir, 'site.yml'), defaultModules()).playbook
}

function errorOf(files: Record<string, string>): string {
  try {
    load(files)
  } catch (err) {
    return (err as Error).message
  }
  throw new Error('expected a load error')
}

describe('loader errors name the file, line and column and what was expected', () => {
  it.each([
    ['YAML syntax', '- hosts: all\n  tasks:\n    - debug: {msg: "x"\n', /site\.yml:\d+:\d+: YAML syntax error/],
    ['not a list', 'hosts: all\n', /site\.yml:1:1: a playbook must be a list of plays/],
    ['missing hosts', '- tasks: []\n', /site\.yml:1:3: a play needs `hosts:`/],
    ['unknown play key', '- hosts: all\n  task: []\n', /site\.yml:2:3: 'task' is not a play keyword \(did you mean 'tasks'\?\)/],
    ['unknown module', '- hosts: all\n  tasks:\n    - cpy: {dest: /x}\n', /site\.yml:3:7: unknown module 'cpy' \(did you mean 'copy'\?\)/],
    ['two modules', '- hosts: all\n  tasks:\n    - copy: {dest: /x, content: a}\n      file: {path: /x}\n', /a task may call only one module, found: copy, file/],
    ['unknown task keyword', '- hosts: all\n  tasks:\n    - copy: {dest: /x, content: a}\n      whenn: x\n', /site\.yml:4:7: unknown task keyword 'whenn' \(did you mean 'when'\?\)/],
    ['bad argument', '- hosts: all\n  tasks:\n    - copy: {dest: /x, contnet: a}\n', /site\.yml:3:7: module 'copy': unknown argument 'contnet' \(did you mean 'content'\?\)/],
    ['missing argument', '- hosts: all\n  tasks:\n    - lineinfile: {line: a}\n', /module 'lineinfile': missing required argument 'path'/],
    ['bad boolean', '- hosts: all\n  become: maybe\n  tasks: []\n', /site\.yml:2:3: 'become' must be a boolean/],
    ['bad expression', '- hosts: all\n  tasks:\n    - debug: {msg: x}\n      when: a ==\n', /site\.yml:4:7: bad 'when' expression/],
    ['missing role', '- hosts: all\n  roles: [nope]\n', /site\.yml:2:\d+: role 'nope' not found; searched:/],
    ['missing include', '- hosts: all\n  tasks:\n    - include_tasks: nope.yml\n', /task file 'nope\.yml' not found/],
    ['a block inside a handler block', '- hosts: all\n  handlers:\n    - block:\n        - block:\n            - debug: {}\n', /^Using a block as a handler is not supported\.\n\nThe error appears to be in '.*site\.yml': line 4, column 11/],
    ['a role as a handler', '- hosts: all\n  handlers:\n    - name: h\n      include_role: {name: r}\n', /^Using 'include_role' as a handler is not supported\.\n\nThe error appears to be in '.*site\.yml': line 3, column 7/],
    ['bad meta', '- hosts: all\n  tasks:\n    - meta: flush\n', /unknown meta action 'flush'/],
    ['bad serial', '- hosts: all\n  serial: lots\n  tasks: []\n', /serial must be a number/],
  ])('%s', (_name, text, expected) => {
    expect(errorOf({ 'site.yml': text })).toMatch(expected)
  })

  it('finds errors inside roles and included files, naming that file', () => {
    const message = errorOf({
      'site.yml': '- hosts: all\n  roles: [r]\n',
      'roles/r/tasks/main.yml': '- import_tasks: more.yml\n',
      'roles/r/tasks/more.yml': '- name: ok\n  debug: {msg: x}\n- name: bad\n  file: {path: /x, state: nope}\n',
    })
    expect(message).toMatch(/roles\/r\/tasks\/more\.yml:4:3: module 'file': argument 'state' must be one of/)
  })
})

describe('loader', () => {
  it('accepts fully-qualified names, k=v arguments and free-form commands', () => {
    const pb = load({
      'site.yml': `- hosts: all
  tasks:
    - ansible.builtin.copy: dest=/x content="a b"
    - ansible.builtin.command: echo "hi there" creates=/y
`,
    })
    const [copy, command] = pb.plays[0]?.tasks ?? []
    expect(copy).toMatchObject({ kind: 'task', moduleName: 'ansible.builtin.copy', args: { dest: '/x', content: 'a b' } })
    expect(command).toMatchObject({ kind: 'task', args: { cmd: 'echo "hi there"', creates: '/y' } })
  })

  it('expands roles with their meta dependencies and params', () => {
    const pb = load({
      // `port` would be the keyword there, as in Ansible 2.14: any key that is no keyword is a param.
      'site.yml': '- hosts: all\n  roles:\n    - { role: app, app_port: 81, tags: [web], port: 2222 }\n',
      'roles/base/tasks/main.yml': '- debug: {msg: base}\n',
      'roles/app/meta/main.yml': 'dependencies:\n  - { role: base, level: 2 }\n',
      'roles/app/defaults/main.yml': 'app_port: 80\n',
      'roles/app/tasks/main.yml': '- debug: {msg: app}\n',
      'roles/app/handlers/main.yml': '- name: restart app\n  debug: {msg: restart}\n',
    })
    const role = pb.plays[0]?.roles[0]
    expect(role?.instance.params).toEqual({ app_port: 81 })
    expect(role?.attrs).toMatchObject({ tags: ['web'], port: 2222 })
    expect(role?.instance.def.defaults).toEqual({ app_port: 80 })
    expect(role?.dependencies[0]?.instance).toMatchObject({ params: { level: 2 }, def: { name: 'base' } })
    expect(role?.instance.handlers[0]?.name).toBe('restart app')
  })
})
