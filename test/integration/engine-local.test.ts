/**
 * The engine end to end with the local connection: real playbooks, run by the real CLI,
 * writing real files in a temporary folder. Several inventory hosts share the machine, each
 * writing under its own folder.
 */
import { createHash } from 'node:crypto'
import { existsSync, mkdtempSync, readdirSync, readFileSync, statSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { beforeEach, describe, expect, it } from 'vitest'
import { statuses, totalChanged, tsplay, tsplayJson, writeTree } from '../helpers/cli.js'

let dir: string
const INVENTORY = `[app]\nh1 ansible_connection=local\nh2 ansible_connection=local\n\n[app:vars]\ncolour=blue\n`

function setup(files: Record<string, string>): void {
  writeTree(dir, { hosts: INVENTORY, ...files })
}

function read(path: string): string {
  return readFileSync(join(dir, path), 'utf8')
}

/** A hash of every file (path, mode, content) under the folder: check mode must leave it equal. */
function treeHash(root: string): string {
  const hash = createHash('sha256')
  const walk = (d: string): void => {
    for (const name of readdirSync(d).sort()) {
      const p = join(d, name)
      const st = statSync(p)
      hash.update(`${p}:${st.mode}:`)
      if (st.isDirectory()) walk(p)
      else hash.update(readFileSync(p))
    }
  }
  if (existsSync(root)) walk(root)
  return hash.digest('hex')
}

beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'tsplay-engine-'))
})

describe('roles, variables and precedence', () => {
  it('applies role defaults, inventory vars, role vars, params and extra vars in Ansible order', async () => {
    setup({
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
    })
    const run = await tsplayJson(['run', 'site.yml', '-i', 'hosts', '-e', 'port=8080', '-e', '{"extra": "x"}'], { cwd: dir })
    expect(run.code, run.stderr).toBe(0)
    expect(read('out/h1/web.conf')).toBe('greeting=hello-from-param\nport=8080\ncolour=blue\nsize=role-var-size\nextra=x\n')
    expect(read('out/h2/common.txt')).toBe('set-by-dependent\n')
    // The dependency ran first.
    expect(statuses(run.json).map(([name]) => name)).toEqual(['common : common dir', 'common : common marker', 'web : make dir', 'web : write config'])
  })
})

describe('blocks', () => {
  it('runs rescue on failure and always in every case, and counts the host as rescued', async () => {
    setup({
      'site.yml': `- hosts: app
  gather_facts: false
  tasks:
    - block:
        - name: fails on h1 only
          command: /bin/false
          when: inventory_hostname == 'h1'
        - name: after failure
          copy: { dest: "{{ playbook_dir }}/{{ inventory_hostname }}.block", content: "block" }
      rescue:
        - name: rescue
          copy: { dest: "{{ playbook_dir }}/{{ inventory_hostname }}.rescue", content: "{{ ansible_failed_task.name }}" }
      always:
        - name: always
          copy: { dest: "{{ playbook_dir }}/{{ inventory_hostname }}.always", content: "always" }
`,
    })
    const run = await tsplayJson(['run', 'site.yml', '-i', 'hosts'], { cwd: dir })
    expect(run.code, run.stdout).toBe(0)
    expect(existsSync(join(dir, 'h1.block'))).toBe(false)
    expect(read('h1.rescue')).toBe('fails on h1 only')
    expect(read('h1.always')).toBe('always')
    expect(read('h2.block')).toBe('block')
    expect(existsSync(join(dir, 'h2.rescue'))).toBe(false)
    expect(read('h2.always')).toBe('always')
    expect(run.json.stats['h1']).toMatchObject({ failed: 0, rescued: 1 })
  })
})

describe('loops, register, run_once, tags', () => {
  it('loops with loop_var and index_var, registers every item, and reads the results later', async () => {
    setup({
      'site.yml': `- hosts: h1
  gather_facts: false
  tasks:
    - name: files
      copy:
        dest: "{{ playbook_dir }}/{{ f.name }}"
        content: "{{ idx }}:{{ f.body }}"
      loop: [{ name: one, body: a }, { name: two, body: b }]
      loop_control: { loop_var: f, index_var: idx, label: "{{ f.name }}" }
      register: written
    - name: summary
      copy:
        dest: "{{ playbook_dir }}/summary"
        content: "{{ written.results | map(attribute='dest') | map('basename') | join(',') }} changed={{ written is changed }}"
`,
    })
    const run = await tsplayJson(['run', 'site.yml', '-i', 'hosts'], { cwd: dir })
    expect(run.code, run.stdout + run.stderr).toBe(0)
    expect(read('one')).toBe('0:a')
    expect(read('two')).toBe('1:b')
    // Booleans render as Jinja does (True/False), so templates written for Ansible read the same.
    expect(read('summary')).toBe('one,two changed=True')
  })

  it('runs a run_once task on the first host only and gives its result to all', async () => {
    setup({
      'site.yml': `- hosts: app
  gather_facts: false
  tasks:
    - name: once
      shell: echo "{{ inventory_hostname }}" >> "{{ playbook_dir }}/once.log"; echo token-1
      run_once: true
      register: once
    - name: everyone sees it
      copy: { dest: "{{ playbook_dir }}/{{ inventory_hostname }}.token", content: "{{ once.stdout }}" }
`,
    })
    const run = await tsplayJson(['run', 'site.yml', '-i', 'hosts'], { cwd: dir })
    expect(run.code, run.stdout).toBe(0)
    expect(read('once.log')).toBe('h1\n')
    expect(read('h1.token')).toBe('token-1')
    expect(read('h2.token')).toBe('token-1')
  })

  it('selects tasks with --tags and --skip-tags, honouring always and never', async () => {
    setup({
      'site.yml': `- hosts: h1
  gather_facts: false
  tasks:
    - { name: a, copy: { dest: "{{ playbook_dir }}/a", content: a }, tags: [alpha] }
    - { name: b, copy: { dest: "{{ playbook_dir }}/b", content: b }, tags: beta }
    - { name: c, copy: { dest: "{{ playbook_dir }}/c", content: c }, tags: [always] }
    - { name: d, copy: { dest: "{{ playbook_dir }}/d", content: d }, tags: [never, debug] }
    - block:
        - { name: e, copy: { dest: "{{ playbook_dir }}/e", content: e } }
      tags: alpha
`,
    })
    const run = await tsplayJson(['run', 'site.yml', '-i', 'hosts', '--tags', 'alpha'], { cwd: dir })
    expect(run.code).toBe(0)
    expect(['a', 'b', 'c', 'd', 'e'].filter((f) => existsSync(join(dir, f)))).toEqual(['a', 'c', 'e'])
    const skip = await tsplayJson(['run', 'site.yml', '-i', 'hosts', '--skip-tags', 'alpha,always', '--tags', 'all,debug'], { cwd: dir })
    expect(statuses(skip.json).map(([n]) => n)).toEqual(['b', 'd'])
  })
})

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
    setup({ 'site.yml': playbook })
    const before = treeHash(dir)
    const check = await tsplayJson(['run', 'site.yml', '-i', 'hosts', '-e', 'port=1', '--check', '--diff'], { cwd: dir })
    expect(check.code, check.stdout + check.stderr).toBe(0)
    expect(treeHash(dir)).toBe(before)
    const real = await tsplayJson(['run', 'site.yml', '-i', 'hosts', '-e', 'port=1'], { cwd: dir })
    expect(real.code, real.stdout).toBe(0)
    // Same tasks changed on the same hosts. (A `command` with creates: is predicted from the file's absence.)
    expect(statuses(check.json)).toEqual(statuses(real.json))
    expect(totalChanged(real.json)).toBe(10)
    expect(read('t/h1/app.conf')).toBe('port=1\n')
    expect(read('t/h1/extra.conf')).toBe('debug=false\n')
    const again = await tsplayJson(['run', 'site.yml', '-i', 'hosts', '-e', 'port=1'], { cwd: dir })
    expect(totalChanged(again.json)).toBe(0)
    // A changed input: check predicts the one change, with a diff, and writes nothing.
    const converged = treeHash(dir)
    const change = await tsplayJson(['run', 'site.yml', '-i', 'hosts', '-e', 'port=2', '--check', '--diff'], { cwd: dir })
    expect(treeHash(dir)).toBe(converged)
    const copyTask = change.json.plays[0]?.tasks[1]
    expect(copyTask?.hosts['h1']?.['status']).toBe('changed')
    const diff = (copyTask?.hosts['h1']?.['diff'] as { before: string; after: string }[])[0]
    expect(diff?.before).toContain('port=1')
    expect(diff?.after).toContain('port=2')
    const applied = await tsplayJson(['run', 'site.yml', '-i', 'hosts', '-e', 'port=2'], { cwd: dir })
    expect(statuses(applied.json)).toEqual(statuses(change.json))
  })
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

  it('ignore_errors lets the host go on and counts the failure as ignored', async () => {
    setup({
      'site.yml': `- hosts: h1
  gather_facts: false
  tasks:
    - command: /bin/false
      ignore_errors: true
    - copy: { dest: "{{ playbook_dir }}/after", content: ok }
`,
    })
    const run = await tsplayJson(['run', 'site.yml', '-i', 'hosts'], { cwd: dir })
    expect(run.code).toBe(0)
    expect(run.json.stats['h1']).toMatchObject({ ignored: 1, failed: 0, changed: 2 })
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

  it('an undefined variable fails the task with its name, on that host', async () => {
    setup({ 'site.yml': '- hosts: h1\n  gather_facts: false\n  tasks:\n    - name: uses it\n      debug: { msg: "{{ nothere.x }}" }\n' })
    const run = await tsplay(['run', 'site.yml', '-i', 'hosts'], { cwd: dir })
    expect(run.code).toBe(2)
    expect(run.stdout).toMatch(/'nothere(\.x)?' is undefined/)
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

  it('a template error at run time names the file and line of the task, also in a role', async () => {
    setup({
      'site.yml': '- hosts: h1\n  gather_facts: false\n  roles: [web]\n',
      'roles/web/tasks/main.yml': `- name: fine
  debug: { msg: hi }

- name: undefined here
  debug: { msg: "{{ port }}" }
  ignore_errors: true
- name: a bad filter call
  copy: { dest: /tmp/never, content: "{{ 'a' | int(1, 2, 3) }}" }
  ignore_errors: true
- name: a bad loop
  debug: { msg: "{{ item }}" }
  loop: "{{ no_such_list }}"
`,
    })
    const run = await tsplay(['run', 'site.yml', '-i', 'hosts'], { cwd: dir })
    expect(run.code).toBe(2)
    const tasks = join(dir, 'roles/web/tasks/main.yml')
    const failures = run.stdout.split('\n').filter((l) => l.startsWith('fatal:'))
    expect(failures).toHaveLength(3)
    expect(failures[0]).toContain(`'port' is undefined in \\"{{ port }}\\" (in the task at ${tasks}:4:3)`)
    expect(failures[1]).toContain(`3 given in \\"{{ 'a' | int(1, 2, 3) }}\\" (in the task at ${tasks}:7:3)`)
    expect(failures[2]).toContain(`'no_such_list' is undefined in \\"{{ no_such_list }}\\" (in the task at ${tasks}:10:3)`)
  })
})

describe('files as editors write them', () => {
  it('reads a playbook, a vars file, a task file, an inventory and group_vars that start with a UTF-8 byte-order mark', async () => {
    const bom = '\uFEFF'
    writeTree(dir, {
      'site.yml': `${bom}- hosts: web\n  gather_facts: false\n  vars_files: [vars.yml]\n  tasks:\n    - include_tasks: more.yml\n`,
      'more.yml': `${bom}- copy: { dest: "{{ playbook_dir }}/out", content: "{{ greeting }} {{ colour }}" }\n`,
      'vars.yml': `${bom}greeting: hello\n`,
      'inventory.yml': `${bom}web:\n  hosts:\n    w1: { ansible_connection: local }\n`,
      'group_vars/web.yml': `${bom}colour: green\n`,
    })
    const run = await tsplay(['run', 'site.yml', '-i', 'inventory.yml'], { cwd: dir })
    expect(run.code, run.stdout + run.stderr).toBe(0)
    expect(readFileSync(join(dir, 'out'), 'utf8')).toBe('hello green')
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

  it('a recursive include_tasks runs until its when: stops it, as in Ansible', async () => {
    setup({
      'site.yml': '- hosts: h1\n  gather_facts: false\n  vars: { depth: 0 }\n  tasks:\n    - include_tasks: again.yml\n',
      'again.yml': `- debug: { msg: "level {{ depth }}" }
- set_fact: { depth: "{{ depth | int + 1 }}" }
- include_tasks: again.yml
  when: depth | int < 5
`,
    })
    const run = await tsplay(['run', 'site.yml', '-i', 'hosts'], { cwd: dir })
    expect(run.code).toBe(0)
    expect(run.stdout.match(/"msg": "level \d"/g)).toEqual([0, 1, 2, 3, 4].map((n) => `"msg": "level ${n}"`))
  })

  it('an include_tasks that never stops fails the host at depth 200, naming the file', async () => {
    setup({ 'site.yml': '- hosts: h1\n  gather_facts: false\n  tasks:\n    - include_tasks: again.yml\n', 'again.yml': '- include_tasks: again.yml\n' })
    const run = await tsplay(['run', 'site.yml', '-i', 'hosts'], { cwd: dir })
    expect(run.code).toBe(2)
    expect(run.stdout).toContain(`${join(dir, 'again.yml')}:1:3: include_tasks again.yml: includes nested more than 200 deep; a recursive include needs a when: that stops it`)
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
