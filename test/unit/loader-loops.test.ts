/**
 * Static imports that loop (import_playbook, import_tasks, role dependencies, import_role) can
 * never end: they are a load error naming the chain of files, not a stack overflow. A dynamic
 * include of its own file is not an error at load time (its when: may stop it at run time).
 */
import { mkdtempSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { beforeEach, describe, expect, it } from 'vitest'
import { PlaybookError } from '../../engine/errors.js'
import { exitCodeForError } from '../../engine/cli/main.js'
import { loadPlaybook } from '../../engine/exec/run.js'
import { writeTree } from '../helpers/cli.js'
import { defaultModules } from '../helpers/module-harness.js'

let dir: string
beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'tsplay-loops-'))
})

function loadError(files: Record<string, string>): PlaybookError {
  writeTree(dir, files)
  try {
    loadPlaybook(join(dir, 'site.yml'), defaultModules())
  } catch (err) {
    expect(err).toBeInstanceOf(PlaybookError)
    return err as PlaybookError
  }
  throw new Error('expected a load error')
}

const play = (body: string): string => `- hosts: all\n  gather_facts: false\n${body}`

describe('a loop of static imports is a load error naming its files (exit 4)', () => {
  it('import_playbook: site.yml -> a.yml -> site.yml', () => {
    const err = loadError({ 'site.yml': '- import_playbook: a.yml\n', 'a.yml': '- import_playbook: site.yml\n' })
    expect(err.message).toBe(`${dir}/a.yml:1:3: import loop: site.yml -> a.yml -> site.yml. import_playbook, import_tasks, import_role and role dependencies are expanded when the playbook loads, so this never ends; to recurse, use include_tasks or include_role with a when: that stops it`)
    expect(exitCodeForError(err)).toBe(4)
  })

  it('a role dependency loop: a -> b -> a, pointing at the dependency that closes it', () => {
    const err = loadError({
      'site.yml': play('  roles: [a]\n'),
      'roles/a/meta/main.yml': 'dependencies: [b]\n',
      'roles/a/tasks/main.yml': '- debug: msg=a\n',
      'roles/b/meta/main.yml': 'dependencies:\n  - role: a\n',
      'roles/b/tasks/main.yml': '- debug: msg=b\n',
    })
    expect(err.message).toMatch(new RegExp(`^${dir}/roles/b/meta/main\\.yml:2:5: import loop: role a -> role b -> role a\\. `))
  })

  it('a task file that imports itself', () => {
    const err = loadError({ 'site.yml': play('  tasks:\n    - import_tasks: self.yml\n'), 'self.yml': '- debug: msg=x\n- import_tasks: self.yml\n' })
    expect(err.message).toMatch(new RegExp(`^${dir}/self\\.yml:2:3: import loop: self\\.yml -> self\\.yml\\. `))
  })

  it('import_tasks through two files', () => {
    const err = loadError({ 'site.yml': play('  tasks:\n    - import_tasks: a.yml\n'), 'a.yml': '- import_tasks: b.yml\n', 'b.yml': '- import_tasks: a.yml\n' })
    expect(err.message).toContain('import loop: a.yml -> b.yml -> a.yml.')
  })

  it('a role that imports itself with import_role', () => {
    const err = loadError({ 'site.yml': play('  roles: [r]\n'), 'roles/r/tasks/main.yml': '- import_role: {name: r}\n' })
    expect(err.message).toContain('import loop: role r -> roles/r/tasks/main.yml -> role r.')
  })
})

describe('a recursive dynamic include loads (it is stopped at run time by its when:)', () => {
  it('include_tasks of its own file', () => {
    writeTree(dir, {
      'site.yml': play('  tasks:\n    - include_tasks: self.yml\n'),
      'self.yml': '- debug: msg=x\n- include_tasks: self.yml\n  when: false\n',
    })
    expect(loadPlaybook(join(dir, 'site.yml'), defaultModules()).playbook.plays[0]?.tasks).toHaveLength(1)
  })

  it('include_role of its own role, and an include that comes back through an import', () => {
    writeTree(dir, {
      'site.yml': play('  roles: [r]\n  tasks:\n    - include_tasks: a.yml\n'),
      'roles/r/tasks/main.yml': '- include_role: {name: r}\n  when: false\n',
      'a.yml': '- import_tasks: b.yml\n',
      'b.yml': '- include_tasks: a.yml\n  when: false\n',
    })
    expect(loadPlaybook(join(dir, 'site.yml'), defaultModules()).playbook.plays[0]?.roles).toHaveLength(1)
  })

  it('the same role reached twice without a loop (a diamond of dependencies) is fine', () => {
    writeTree(dir, {
      'site.yml': play('  roles: [a]\n'),
      'roles/a/meta/main.yml': 'dependencies: [b, c]\n',
      'roles/b/meta/main.yml': 'dependencies: [d]\n',
      'roles/c/meta/main.yml': 'dependencies: [d]\n',
      'roles/d/tasks/main.yml': '- debug: msg=d\n',
    })
    expect(loadPlaybook(join(dir, 'site.yml'), defaultModules()).playbook.plays[0]?.roles[0]?.dependencies).toHaveLength(2)
  })
})
