/** Check mode predicts the real run exactly, run by the executor in process. */
import { mkdtempSync, readFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { describe, expect, it } from 'vitest'
import { writeTree } from '../helpers/cli.js'
import { LOCAL_HOSTS, runExec, statuses, tasksRun, totalChanged } from '../helpers/exec-harness.js'
import { fingerprint } from '../helpers/fingerprint.js'

describe('check mode', () => {
  const playbook = `- hosts: app
  gather_facts: false
  tasks:
    - file: { path: "{{ playbook_dir }}/t/{{ inventory_hostname }}", state: directory, mode: "0750" }
    - copy: { dest: "{{ playbook_dir }}/t/{{ inventory_hostname }}/app.conf", content: "port={{ port }}\\n", mode: "0640" }
    - lineinfile: { path: "{{ playbook_dir }}/t/{{ inventory_hostname }}/extra.conf", line: "debug=false", create: true }
    - command: { cmd: "touch {{ playbook_dir }}/t/{{ inventory_hostname }}/stamp", creates: "{{ playbook_dir }}/t/{{ inventory_hostname }}/stamp" }
    - file: { src: "{{ playbook_dir }}/t/{{ inventory_hostname }}/app.conf", dest: "{{ playbook_dir }}/t/{{ inventory_hostname }}/link", state: link }
`

  it('writes nothing and predicts exactly the changes the real run then makes, and a re-run changes nothing', async () => {
    const files = { 'site.yml': playbook }
    const dir = mkdtempSync(join(tmpdir(), 'tsplay-exec-'))
    writeTree(dir, { hosts: LOCAL_HOSTS, ...files })
    const read = (path: string) => readFileSync(join(dir, path), 'utf8')
    // Each run writes the playbook again (same bytes, a new mtime): file times are not what check mode keeps.
    const unchanged = () => fingerprint(dir, { fileTimes: false })
    const before = unchanged()
    const check = await runExec(files, { dir, extraVars: { port: '1' }, check: true, diff: true })
    expect(check.exitCode, JSON.stringify(check.events)).toBe(0)
    expect(unchanged()).toBe(before)
    const real = await runExec(files, { dir, extraVars: { port: '1' } })
    expect(real.exitCode, JSON.stringify(real.events)).toBe(0)
    // Same tasks changed on the same hosts. (A `command` with creates: is predicted from the file's absence.)
    expect(statuses(check)).toEqual(statuses(real))
    expect(totalChanged(real)).toBe(10)
    expect(read('t/h1/app.conf')).toBe('port=1\n')
    expect(read('t/h1/extra.conf')).toBe('debug=false\n')
    const again = await runExec(files, { dir, extraVars: { port: '1' } })
    expect(totalChanged(again)).toBe(0)
    // A changed input: check predicts the one change, with a diff, and writes nothing.
    const converged = unchanged()
    const change = await runExec(files, { dir, extraVars: { port: '2' }, check: true, diff: true })
    expect(unchanged()).toBe(converged)
    const copyTask = tasksRun(change)[1]
    expect(copyTask?.hosts['h1']?.status).toBe('changed')
    const diff = copyTask?.hosts['h1']?.diff[0]
    expect(diff?.before).toContain('port=1')
    expect(diff?.after).toContain('port=2')
    const applied = await runExec(files, { dir, extraVars: { port: '2' } })
    expect(statuses(applied)).toEqual(statuses(change))
  })
})
