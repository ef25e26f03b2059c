/**
 * include_tasks/include_role as Ansible 2.14 runs them: apply: for the included tasks, the
 * include's own keywords and tags on the include only, public roles, include results; and the
 * keywords an include refuses at load. Compared with ansible-playbook by test/fixtures/compat/includes/.
 */
import { describe, expect, it } from 'vitest'
import { runExec, statuses } from '../helpers/exec-harness.js'

const play = (hosts: string, tasks: string) => `- hosts: ${hosts}\n  gather_facts: false\n  tasks:\n${tasks}`
const printed = (run: Awaited<ReturnType<typeof runExec>>) =>
  run.events.flatMap((e) => (e.kind === 'task:result' && e.task.module === 'debug' ? [`${e.host}: ${String(e.result['msg'])}`] : []))

describe('include_tasks and include_role, as Ansible 2.14', () => {
  it('--tags: an include tagged t runs only its tasks tagged t, apply tags select them all, an import passes its tags on', async () => {
    const run = await runExec(
      {
        'site.yml': play(
          'h1',
          `    - include_tasks: inc.yml
      tags: [t]
    - include_tasks: { file: inc.yml, apply: { tags: [t] } }
      tags: [t]
    - name: not tagged, so not run, though a task inside is
      include_tasks: { file: inc.yml, apply: { tags: [t] } }
    - import_tasks: inc.yml
      tags: [t]
`,
        ),
        'inc.yml': '- debug: { msg: untagged }\n- debug: { msg: tagged }\n  tags: [t]\n',
      },
      { tags: ['t'] },
    )
    expect(run.exitCode).toBe(0)
    expect(printed(run)).toEqual(['h1: tagged', 'h1: untagged', 'h1: tagged', 'h1: untagged', 'h1: tagged'])
    // Each include_tasks that read its file counts ok once, as Ansible's recap does.
    expect(run.stats['h1']?.ok).toBe(7)
  })

  it("an include's own ignore_errors and become stay on it; apply's reach the included tasks", async () => {
    const run = await runExec({
      'site.yml': play(
        'h1',
        `    - include_tasks: { file: fails.yml, apply: { ignore_errors: true } }
    - include_tasks: fails.yml
      ignore_errors: true
`,
      ),
      'fails.yml': '- fail: { msg: boom }\n- debug: { msg: after }\n',
    })
    expect(run.exitCode).toBe(2)
    expect(printed(run)).toEqual(['h1: after'])
    expect(run.stats['h1']).toMatchObject({ failed: 1, ignored: 1 })
  })

  it('a when per host and per item: the include reports skipped where it is false', async () => {
    const run = await runExec({
      'site.yml': play(
        'h1,h2',
        `    - include_tasks: inc.yml
      when: inventory_hostname == 'h2'
    - include_tasks: inc.yml
      loop: [a, b]
      when: item == 'b'
`,
      ),
      'inc.yml': '- debug: { msg: "in {{ item | default(\'-\') }}" }\n',
    })
    expect(run.exitCode).toBe(0)
    expect(statuses(run).filter(([name]) => name === 'include_tasks')).toEqual([
      ['include_tasks', { h1: 'skipped', h2: 'ok' }],
      ['include_tasks', { h1: 'ok', h2: 'ok' }],
    ])
    expect(printed(run)).toEqual(['h2: in -', 'h1: in b', 'h2: in b'])
  })

  it("include_role public: true makes the role's defaults the play's, for every host, from then on", async () => {
    const run = await runExec({
      'site.yml': play(
        'h1,h2',
        `    - debug: { msg: "before {{ r_default | default('unset') }}" }
    - include_role: { name: r, public: true }
      when: inventory_hostname == 'h1'
    - debug: { msg: "after {{ r_default | default('unset') }}" }
`,
      ),
      'roles/r/defaults/main.yml': 'r_default: from r\n',
      'roles/r/tasks/main.yml': '- meta: noop\n',
    })
    expect(run.exitCode).toBe(0)
    expect(printed(run)).toEqual(['h1: before unset', 'h2: before unset', 'h1: after from r', 'h2: after from r'])
  })

  it('include_role with templated name and tasks_from loads per host', async () => {
    const run = await runExec({
      'site.yml': play('h1', '    - include_role: { name: "{{ which }}", tasks_from: "{{ part }}" }\n      vars: { which: r, part: extra }\n'),
      'roles/r/tasks/extra.yml': '- debug: { msg: "extra of {{ ansible_role_name }}" }\n',
    })
    expect(run.exitCode).toBe(0)
    expect(printed(run)).toEqual(['h1: extra of r'])
  })
})

describe('what an include refuses when the playbook loads', () => {
  const refused = (tasks: string, files: Record<string, string> = {}) => runExec({ 'site.yml': play('h1', tasks), 'inc.yml': '- debug: { msg: x }\n', ...files })

  it('a keyword meant for the included tasks, with the way to say it', async () => {
    const run = refused('    - include_tasks: inc.yml\n      become: true\n')
    await expect(run).rejects.toThrow(/site\.yml:5:7: 'become' is not a valid keyword for include_tasks; to set it on the included tasks, put it under include_tasks's apply:/)
    await expect(refused('    - include_role: { name: r }\n      delegate_to: localhost\n', { 'roles/r/tasks/main.yml': '[]\n' })).rejects.toThrow(/'delegate_to' is not a valid keyword for include_role/)
  })

  it('apply on import_tasks or import_role, public on import_role, a bad apply key', async () => {
    await expect(refused('    - import_tasks: { file: inc.yml, apply: { tags: [x] } }\n')).rejects.toThrow(/import_tasks takes no apply/)
    const role = { 'roles/r/tasks/main.yml': '[]\n' }
    await expect(refused('    - import_role: { name: r, public: true }\n', role)).rejects.toThrow(/import_role takes no public/)
    await expect(refused('    - include_tasks: { file: inc.yml, apply: { register: x } }\n')).rejects.toThrow(/'register' is not valid under include_tasks's apply/)
  })

  it('a missing vars_from or handlers_from file names the role and file', async () => {
    const role = { 'roles/r/tasks/main.yml': '[]\n' }
    await expect(refused('    - include_role: { name: r, vars_from: nope }\n', role)).rejects.toThrow(/has no vars\/nope\.yml \(vars_from\)/)
    await expect(refused('    - include_role: { name: r, handlers_from: nope }\n', role)).rejects.toThrow(/role 'r' has no handlers\/nope\.yml/)
  })
})
