/**
 * Playbooks that once ran "green" while writing the wrong thing: an unquoted `{{ }}`, YAML 1.1
 * booleans, a Jinja2 template copied unrendered. Where tsplay follows Ansible, the real
 * ansible-playbook runs the same playbook and must agree.
 */
import { spawnSync } from 'node:child_process'
import { existsSync, mkdtempSync, readFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { beforeEach, describe, expect, it } from 'vitest'
import { tsplay, tsplayJson, writeTree } from '../helpers/cli.js'

let dir: string

beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'tsplay-nswr-'))
})


function ansiblePlaybook(args: string[], env: Record<string, string> = {}): { code: number | null; stdout: string; stderr: string } {
  const run = spawnSync('ansible-playbook', ['-i', 'localhost,', '-c', 'local', ...args], {
    cwd: dir,
    encoding: 'utf8',
    env: { ...process.env, ANSIBLE_NOCOLOR: '1', ANSIBLE_RETRY_FILES_ENABLED: '0', ANSIBLE_LOCALHOST_WARNING: '0', ...env },
  })
  return { code: run.status, stdout: run.stdout, stderr: run.stderr }
}

const run = (playbook: string, extra: string[] = []) => tsplay(['run', playbook, '-i', 'localhost,', '-c', 'local', ...extra], { cwd: dir })
const read = (p: string) => readFileSync(join(dir, p), 'utf8')
const QUOTE_HINT = 'always quote template expression brackets when they start a value'
const head = '- hosts: localhost\n  gather_facts: false\n'
/** A first task that must never run: the error is found before any host is touched. */
const TOUCH = '    - copy: {content: "x", dest: "{{ playbook_dir }}/touched"}\n'

describe('an unquoted {{ }} (YAML reads a mapping inside a mapping)', () => {
  it('in a playbook is an error at its line and column, as in ansible-playbook, before any task runs', async () => {
    writeTree(dir, { 'site.yml': `${head}  vars: {foo: 1}\n  tasks:\n${TOUCH}    - debug:\n        msg: {{ foo }}\n` })
    const out = await run('site.yml')
    expect(out.code, out.stdout).toBe(4)
    expect(out.stderr).toContain(`site.yml:7:15: found unacceptable key`)
    expect(out.stderr).toContain(QUOTE_HINT)
    expect(existsSync(join(dir, 'touched'))).toBe(false)
    // ansible-playbook, the oracle (scripts/setup.sh installs it), agrees.
    const ansible = ansiblePlaybook(['site.yml'])
    expect(ansible.code).toBe(4)
    expect(ansible.stderr).toContain('line 7, column 15')
    expect(ansible.stderr.replace(/\s+/g, ' ')).toContain('Always quote template expression brackets when they start a value')
  })

  it.each([
    ['a task file', 'more.yml', '- copy:\n    content: {{ motd }}\n    dest: /tmp/never\n', 'more.yml:2:15'],
    ['a vars file', 'vars.yml', 'motd: {{ foo }}\n', 'vars.yml:1:8'],
    ['role defaults', 'roles/r/defaults/main.yml', 'motd: {{ foo }}\n', 'roles/r/defaults/main.yml:1:8'],
    ['role vars', 'roles/r/vars/main.yml', 'x:\n  - {{ foo }}\n', 'roles/r/vars/main.yml:2:6'],
  ])('in %s is an error at load time too', async (_what, file, text, where) => {
    writeTree(dir, {
      'site.yml': `${head}  vars_files: [vars.yml]\n  roles: [r]\n  tasks:\n${TOUCH}    - import_tasks: more.yml\n`,
      'vars.yml': 'a: 1\n',
      'more.yml': '- debug: {msg: hi}\n',
      'roles/r/tasks/main.yml': TOUCH.replace(/^ {4}/, ''),
      [file]: text,
    })
    const out = await run('site.yml')
    expect(out.code, out.stdout).toBe(4)
    expect(out.stderr).toContain(`${where}: found unacceptable key`)
    expect(out.stderr).toContain(QUOTE_HINT)
    expect(out.stdout).not.toContain('PLAY [')
    expect(existsSync(join(dir, 'touched'))).toBe(false)
  })

  it("in an inventory's YAML is an error naming the inventory file", async () => {
    writeTree(dir, { 'inv.yml': 'all:\n  hosts:\n    localhost:\n      x: {{ foo }}\n', 'site.yml': `${head}  tasks:\n${TOUCH}` })
    const out = await tsplay(['run', 'site.yml', '-i', 'inv.yml', '-c', 'local'], { cwd: dir })
    expect(out.code).not.toBe(0)
    expect(out.stderr).toContain('inv.yml:4:11: found unacceptable key')
    expect(out.stderr).toContain(QUOTE_HINT)
    expect(existsSync(join(dir, 'touched'))).toBe(false)
  })
})

describe('YAML booleans, as Ansible reads and writes them', () => {
  const playbook = `${head}  vars:
    b: yes
    keys: {x: 1, y: 2}
    words: [y, n, Y, N, yes, No, ON, oFF, tRUE]
  tasks:
    - name: words
      debug: {msg: "{{ words }}"}
    - copy: {content: "{{ b }}", dest: "{{ playbook_dir }}/templated"}
    - copy: {content: "b={{ b }}", dest: "{{ playbook_dir }}/in-text"}
    - lineinfile: {path: "{{ playbook_dir }}/lines", line: "{{ b }}", create: true}
    - name: keys
      debug: {msg: "{{ keys }}"}
    - copy: {content: yes, dest: "{{ playbook_dir }}/written"}
    - lineinfile: {path: "{{ playbook_dir }}/on", line: on, create: true}
`

  it('y and n stay text, and a boolean a template makes text reads True, as in ansible-playbook', async () => {
    writeTree(dir, { 'site.yml': playbook })
    const out = await tsplayJson(['run', 'site.yml', '-i', 'localhost,', '-c', 'local'], { cwd: dir })
    expect(out.code, out.stderr).toBe(0)
    const msg = (name: string) => out.json.plays[0]?.tasks.find((t) => t.task.name === name)?.hosts['localhost']?.['msg']
    const words = ['y', 'n', 'Y', 'N', true, false, true, 'oFF', 'tRUE']
    expect(msg('words')).toEqual(words)
    expect([read('templated'), read('in-text'), read('lines')]).toEqual(['True', 'b=True', 'True\n'])
    // ansible-playbook, the oracle (scripts/setup.sh installs it), agrees.
    writeTree(dir, { templated: '', 'in-text': '', lines: '' })
    // The default callback, which ansible-core alone has (its json callback is in ansible.posix):
    // the task's result is printed as JSON after `ok: [localhost] =>`.
    const ansible = ansiblePlaybook(['site.yml'], { ANSIBLE_NOCOLOR: '1', ANSIBLE_CALLBACK_RESULT_FORMAT: 'json' })
    expect(ansible.code, ansible.stderr).toBe(0)
    const section = ansible.stdout.split('TASK [words]')[1]?.split('\nTASK [')[0] ?? ''
    const result = JSON.parse(section.slice(section.indexOf('{'), section.lastIndexOf('}') + 1)) as { msg?: unknown }
    expect(result.msg).toEqual(words)
    expect([read('templated'), read('in-text'), read('lines')]).toEqual(['True', 'b=True', 'True\n'])
  })

  it('keeps a key and a string argument as written (where Ansible would say true and True)', async () => {
    writeTree(dir, { 'site.yml': playbook })
    const out = await tsplayJson(['run', 'site.yml', '-i', 'localhost,', '-c', 'local'], { cwd: dir })
    expect(out.code, out.stderr).toBe(0)
    expect(out.json.plays[0]?.tasks.find((t) => t.task.name === 'keys')?.hosts['localhost']?.['msg']).toEqual({ x: 1, y: 2 })
    expect(read('written')).toBe('yes')
    expect(read('on')).toBe('on\n')
  })
})

describe('a Jinja2 template', () => {
  const files = {
    't.conf.j2': 'port={{ port }}\n{% for x in [1, 2] %}{{ x }}{% endfor %}\n',
    'bad.conf.j2': 'port={{ port }}\n{% for x in [1, 2] %}{{ x }}\n',
    'site.yml': `${head}  vars: {port: 80, name: t.conf}\n  tasks:\n${TOUCH}    - template: {src: t.conf.j2, dest: "{{ playbook_dir }}/out.conf"}\n`,
  }

  it('renders as Ansible renders it, and --check writes nothing', async () => {
    writeTree(dir, files)
    const check = await run('site.yml', ['--check'])
    expect(check.code, check.stdout).toBe(0)
    expect(existsSync(join(dir, 'out.conf'))).toBe(false)
    const out = await run('site.yml')
    expect(out.code, out.stdout).toBe(0)
    expect(read('out.conf')).toBe('port=80\n12\n')
  })

  it('that does not parse fails its task, naming the template file and line, and writes nothing', async () => {
    writeTree(dir, { ...files, 'site.yml': files['site.yml'].replace('src: t.conf.j2', 'src: "bad.{{ name.split(\'.\')[1] }}.j2"') })
    const out = await run('site.yml')
    expect(out.code).toBe(2)
    expect(out.stdout).toContain("template error while rendering bad.conf.j2: ")
    expect(out.stdout).toMatch(/bad\.conf\.j2:2: syntax error: unexpected end of template: a block is not closed by 'endfor'/)
    expect(existsSync(join(dir, 'out.conf'))).toBe(false)
  })
})
