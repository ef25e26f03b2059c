/**
 * Executable inventories run as Ansible's script plugin runs them (`--list`, `_meta.hostvars`,
 * `--host NAME`), and a script that fails or prints something else stops the run, naming it.
 */
import { chmodSync, mkdtempSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { beforeEach, describe, expect, it } from 'vitest'
import { tsplay, writeTree } from '../helpers/cli.js'

let dir: string
const PLAY = '- hosts: all\n  gather_facts: false\n  tasks:\n    - debug: { msg: "{{ inventory_hostname }} {{ group_names }} {{ port }} {{ note | default(\'-\') }}" }\n'

function script(name: string, body: string): string {
  writeTree(dir, { [name]: `#!/bin/sh\n${body}` })
  chmodSync(join(dir, name), 0o755)
  return name
}

beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'tsplay-invscript-'))
  writeTree(dir, { 'site.yml': PLAY })
})

describe('an executable inventory', () => {
  it('is run with --list; groups, children, group vars and _meta.hostvars are read', async () => {
    const inv = script('inv.sh', `[ "$1" = --list ] || exit 9
cat <<'JSON'
{"web": {"hosts": ["w1"], "vars": {"port": 80}}, "prod": {"children": ["web"]},
 "_meta": {"hostvars": {"w1": {"ansible_connection": "local", "note": "from meta"}}}}
JSON
`)
    const run = await tsplay(['run', '-i', inv, 'site.yml'], { cwd: dir })
    expect(run.stderr).toBe('')
    expect(run.code).toBe(0)
    expect(run.stdout).toContain(`"msg": "w1 ['prod', 'web'] 80 from meta"`)
  })

  it('without _meta, each host is asked with --host NAME', async () => {
    const inv = script('inv.sh', `case "$1" in
  --list) echo '{"db": ["d1", "d2"]}' ;;
  --host) echo "{\\"ansible_connection\\": \\"local\\", \\"port\\": 5432, \\"note\\": \\"asked for $2\\"}" ;;
esac
`)
    const run = await tsplay(['run', '-i', inv, 'site.yml'], { cwd: dir })
    expect(run.code).toBe(0)
    expect(run.stdout).toContain(`"msg": "d1 ['db'] 5432 asked for d1"`)
    expect(run.stdout).toContain(`"msg": "d2 ['db'] 5432 asked for d2"`)
  })

  it("prints data, not templates: a value holding {{ }} stays that text", async () => {
    const inv = script('inv.sh', `echo '{"app": {"hosts": ["h1"], "vars": {"port": "{{ 40 + 2 }}"}}, "_meta": {"hostvars": {"h1": {"ansible_connection": "local", "note": "{{ lookup(\\"env\\", \\"HOME\\") }}"}}}}'
`)
    const run = await tsplay(['run', '-i', inv, 'site.yml'], { cwd: dir })
    expect(run.code).toBe(0)
    expect(run.stdout).toContain(`"msg": "h1 ['app'] {{ 40 + 2 }} {{ lookup(\\"env\\", \\"HOME\\") }}"`)
  })

  it('that fails stops before any play, naming the script, its exit code and its stderr', async () => {
    const inv = script('inv.sh', 'echo "cannot reach the CMDB" >&2\nexit 3\n')
    const run = await tsplay(['run', '-i', inv, 'site.yml'], { cwd: dir })
    // As ansible-playbook with ANSIBLE_INVENTORY_UNPARSED_FAILED: an inventory error exits 1.
    expect(run.code).toBe(1)
    expect(run.stderr).toBe('ERROR! inventory script inv.sh --list exited with code 3; it said on stderr:\ncannot reach the CMDB\n')
    expect(run.stdout).toBe('')
  })

  it('that prints something other than a JSON object is an error quoting what it printed', async () => {
    script('text.sh', 'echo "web1 web2"\n')
    const text = await tsplay(['run', '-i', 'text.sh', 'site.yml'], { cwd: dir })
    expect(text.code).toBe(1)
    expect(text.stderr).toMatch(/^ERROR! inventory script text\.sh --list printed something that is not JSON \(.*\): "web1 web2"\n$/)
    script('list.sh', 'echo \'["web1"]\'\n')
    const list = await tsplay(['run', '-i', 'list.sh', 'site.yml'], { cwd: dir })
    expect(list.stderr).toBe('ERROR! inventory script list.sh --list must print a JSON object, got: "[\\"web1\\"]"\n')
    script('group.sh', 'echo \'{"web": {"hosts": "web1"}}\'\n')
    const group = await tsplay(['run', '-i', 'group.sh', 'site.yml'], { cwd: dir })
    expect(group.stderr).toBe('ERROR! inventory script group.sh: group \'web\' has bad data for its hosts: "web1"\n')
  })
})
