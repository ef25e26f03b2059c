/** --list-tasks as ansible-playbook prints it (tags' runme.sh compares these lines). */
import { mkdtempSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { expect, it } from 'vitest'
import { listTasks } from '../../engine/cli/lists.js'
import { loadPlaybook } from '../../engine/exec/run.js'
import { writeTree } from '../helpers/cli.js'
import { defaultModules } from '../helpers/module-harness.js'

it('lists each task with its tags sorted and templated ones rendered with the play and extra vars, as selected by --tags', () => {
  const dir = mkdtempSync(join(tmpdir(), 'tsplay-list-'))
  writeTree(dir, {
    'site.yml': `- hosts: all
  vars: { the_tags: [tag3] }
  tasks:
    - { name: never_task, debug: {}, tags: [never, donever] }
    - { name: templated, debug: {}, tags: "{{ the_tags }}" }
    - { name: extra, debug: {}, tags: "{{ from_extra }}" }
`,
  })
  const { playbook } = loadPlaybook(join(dir, 'site.yml'), defaultModules())
  const lines = (only: string[]) => listTasks(playbook, only, [], { from_extra: 'x' }).split('\n').filter((l) => l.startsWith('      '))
  expect(lines([])).toEqual(['      templated\tTAGS: [tag3]', '      extra\tTAGS: [x]'])
  expect(lines(['donever'])).toEqual(['      never_task\tTAGS: [donever, never]'])
  expect(lines(['tag3'])).toEqual(['      templated\tTAGS: [tag3]'])
})
