/**
 * The CLI end to end with the local connection: what `tsplay run` prints, its exit codes, load
 * errors before any host runs, and the other subcommands. Real playbooks in a temporary folder;
 * what the executor does is tested in process in test/exec/.
 */
import { existsSync, mkdtempSync, readFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { beforeEach, describe, expect, it } from 'vitest'
import { tsplay, writeTree } from '../helpers/cli.js'

let dir: string
const INVENTORY = `[app]\nh1 ansible_connection=local\nh2 ansible_connection=local\n\n[app:vars]\ncolour=blue\n`

function setup(files: Record<string, string>): void {
  writeTree(dir, { hosts: INVENTORY, ...files })
}

function read(path: string): string {
  return readFileSync(join(dir, path), 'utf8')
}

beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'tsplay-engine-'))
})

describe('failures and exit codes', () => {
  it('a failed task stops that host only; the others finish; exit code 2', async () => {
    setup({
      'site.yml': `- hosts: app
  gather_facts: false
  tasks:
    - name: fail on h1
      fail: { msg: "h1 is broken" }
      when: inventory_hostname == 'h1'
    - name: still runs elsewhere
      copy: { dest: "{{ playbook_dir }}/{{ inventory_hostname }}.done", content: ok }
`,
    })
    const run = await tsplay(['run', 'site.yml', '-i', 'hosts'], { cwd: dir })
    expect(run.code).toBe(2)
    expect(run.stdout).toContain('fatal: [h1]: FAILED!')
    expect(run.stdout).toContain('h1 is broken')
    expect(existsSync(join(dir, 'h1.done'))).toBe(false)
    expect(read('h2.done')).toBe('ok')
    expect(run.stdout).toMatch(/h1\s+: ok=0\s+changed=0\s+unreachable=0\s+failed=1/)
  })

  it('reports a bad playbook with file:line:col before running anything, exit 4', async () => {
    setup({
      'site.yml': `- hosts: h1
  tasks:
    - name: first
      copy: { dest: "{{ playbook_dir }}/never", content: x }
    - name: typo
      coppy: { dest: /tmp/x }
`,
    })
    const run = await tsplay(['run', 'site.yml', '-i', 'hosts'], { cwd: dir })
    expect(run.code).toBe(4)
    expect(run.stderr).toContain(`${join(dir, 'site.yml')}:6:7`)
    expect(run.stderr).toContain("unknown module 'coppy' (did you mean 'copy'?)")
    expect(existsSync(join(dir, 'never'))).toBe(false)
  })

  it('rejects a bad argument, a missing role and a bad expression at load time', async () => {
    setup({
      'bad-arg.yml': '- hosts: h1\n  tasks:\n    - file: { path: /tmp/x, state: folder }\n',
      'no-role.yml': '- hosts: h1\n  roles: [ghost]\n',
      'bad-expr.yml': '- hosts: h1\n  tasks:\n    - debug: { msg: hi }\n      when: x ==\n',
    })
    const badArg = await tsplay(['run', 'bad-arg.yml', '-i', 'hosts'], { cwd: dir })
    expect(badArg.code).toBe(4)
    expect(badArg.stderr).toMatch(/bad-arg\.yml:3:\d+: module 'file': argument 'state' must be one of: .*got 'folder'/)
    const noRole = await tsplay(['run', 'no-role.yml', '-i', 'hosts'], { cwd: dir })
    expect(noRole.code).toBe(1)
    expect(noRole.stderr).toMatch(/no-role\.yml:2:\d+: role 'ghost' not found/)
    const badExpr = await tsplay(['run', 'bad-expr.yml', '-i', 'hosts'], { cwd: dir })
    expect(badExpr.code).toBe(4)
    expect(badExpr.stderr).toContain("bad 'when' expression")
  })

  it('a host range too big to expand is an inventory error (exit 1, as an inventory Ansible cannot parse) naming the file, line and limit, in INI and YAML', async () => {
    setup({
      'site.yml': '- hosts: all\n  gather_facts: false\n  tasks: []\n',
      'big.ini': '[web]\nweb[1:100000000] ansible_connection=local\n',
      'big.yml': 'all:\n  hosts:\n    web[1:100000000]:\n',
    })
    for (const [file, at] of [['big.ini', '2:1'], ['big.yml', '3:5']] as const) {
      const run = await tsplay(['run', 'site.yml', '-i', file], { cwd: dir })
      expect(run.code, run.stderr).toBe(1)
      expect(run.stderr).toContain(`${file}:${at}: host range 'web[1:100000000]' makes 100000000 hosts; one inventory entry may make at most 100000`)
    }
  })

  it('a bad condition on a meta task stops the run as Ansible does (exit 1), naming the task', async () => {
    setup({ 'site.yml': '- hosts: h1\n  gather_facts: false\n  tasks:\n    - meta: end_host\n      when: nope_var\n' })
    const run = await tsplay(['run', 'site.yml', '-i', 'hosts'], { cwd: dir })
    expect(run.code).toBe(1)
    expect(run.stderr).toContain(`'nope_var' is undefined in "nope_var" (in the task at ${join(dir, 'site.yml')}:4:7)`)
  })
})

describe('recursion', () => {
  it('an import_playbook loop and a role dependency loop stop at load with the chain of files, exit 4, before any host runs', async () => {
    setup({
      'site.yml': '- hosts: h1\n  tasks:\n    - copy: { dest: "{{ playbook_dir }}/never", content: x }\n- import_playbook: more.yml\n',
      'more.yml': '- import_playbook: site.yml\n',
      'roles.yml': '- hosts: h1\n  roles: [a]\n',
      'roles/a/meta/main.yml': 'dependencies: [b]\n',
      'roles/b/meta/main.yml': 'dependencies: [a]\n',
    })
    const playbooks = await tsplay(['run', 'site.yml', '-i', 'hosts'], { cwd: dir })
    expect(playbooks.code).toBe(4)
    expect(playbooks.stderr).toContain(`ERROR! ${join(dir, 'more.yml')}:1:3: import loop: site.yml -> more.yml -> site.yml.`)
    expect(existsSync(join(dir, 'never'))).toBe(false)
    const roles = await tsplay(['run', 'roles.yml', '-i', 'hosts'], { cwd: dir })
    expect(roles.code).toBe(4)
    expect(roles.stderr).toContain(`${join(dir, 'roles/b/meta/main.yml')}:1:16: import loop: role a -> role b -> role a.`)
  })
})

describe('CLI', () => {
  it('lists hosts and tasks, checks syntax, and prints the inventory', async () => {
    setup({ 'site.yml': '- hosts: app\n  name: the play\n  tasks:\n    - { name: one, debug: { msg: x }, tags: [t1] }\n' })
    const hosts = await tsplay(['run', 'site.yml', '-i', 'hosts', '--list-hosts'], { cwd: dir })
    expect(hosts.stdout).toContain('hosts (2):\n      h1\n      h2')
    const tasks = await tsplay(['run', 'site.yml', '-i', 'hosts', '--list-tasks'], { cwd: dir })
    expect(tasks.stdout).toContain('one\tTAGS: [t1]')
    const syntax = await tsplay(['run', 'site.yml', '-i', 'hosts', '--syntax-check'], { cwd: dir })
    expect(syntax.code).toBe(0)
    const graph = await tsplay(['inventory', '-i', 'hosts', '--graph'], { cwd: dir })
    expect(graph.stdout).toContain('@app:')
    const bad = await tsplay(['run', 'site.yml', '-f', 'zero'], { cwd: dir })
    expect(bad.code).toBe(2)
  })

  it('documents every module from its schema', async () => {
    const list = await tsplay(['doc'])
    for (const name of ['command', 'shell', 'copy', 'file', 'template', 'lineinfile', 'stat', 'wait_for', 'debug', 'set_fact', 'assert', 'fail', 'setup']) {
      expect(list.stdout).toMatch(new RegExp(`^${name}\\s`, 'm'))
    }
    const copy = await tsplay(['doc', 'copy'])
    expect(copy.stdout).toMatch(/^[-=] dest$/m)
    expect(copy.stdout).toMatch(/backup/)
  })
})
