/** file, lineinfile and stat on the local host. */
import { chmodSync, existsSync, linkSync, lstatSync, mkdirSync, readFileSync, readlinkSync, statSync, symlinkSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { describe, expect, it } from 'vitest'
import { tsplay, writeTree } from '../helpers/cli.js'
import { fingerprint } from '../helpers/fingerprint.js'
import { converge, runTestModule, tempDir } from '../helpers/module-harness.js'

const isRoot = process.getuid?.() === 0
const mode = (p: string): string => (statSync(p).mode & 0o7777).toString(8).padStart(4, '0')

describe('file', () => {
  it('creates nested directories, each with the mode, and shows state and mode in the diff', async () => {
    const dir = tempDir()
    const path = join(dir, 'a', 'b c', 'd')
    const { real } = await converge('file', { path, state: 'directory', mode: '0750' }, dir)
    expect(real.diff).toEqual([{ header: path, before: `path: ${path}\nstate: absent\n`, after: `path: ${path}\nstate: directory\nmode: 0750\n` }])
    expect(mode(join(dir, 'a'))).toBe('0750')
    expect(mode(path)).toBe('0750')
  })

  it('changes the mode of an existing directory with a symbolic mode', async () => {
    const dir = tempDir()
    const path = join(dir, 'd')
    mkdirSync(path, { mode: 0o700 })
    const { real } = await converge('file', { path, state: 'directory', mode: 'go+rX' }, dir)
    expect(real.diff[0]).toMatchObject({ before: `path: ${path}\nmode: 0700\n`, after: `path: ${path}\nmode: 0755\n` })
    expect(mode(path)).toBe('0755')
  })

  it('sets mode (and owner, as root) on everything below a directory with recurse', async () => {
    const dir = tempDir()
    const top = join(dir, 'tree')
    mkdirSync(join(top, 'sub'), { recursive: true })
    writeFileSync(join(top, 'sub', 'f'), 'x')
    chmodSync(join(top, 'sub', 'f'), 0o600)
    const owner = isRoot ? { owner: 'nobody' } : {}
    const { real } = await converge('file', { path: top, state: 'directory', recurse: true, mode: 'u=rwX,go=rX', ...owner }, dir)
    expect(real.status).toBe('changed')
    expect(mode(join(top, 'sub', 'f'))).toBe('0644')
    expect(mode(join(top, 'sub'))).toBe('0755')
    if (isRoot) expect(statSync(join(top, 'sub', 'f')).uid).toBe(65534)
  })

  it('refuses what Ansible refuses, with its messages', async () => {
    const dir = tempDir()
    const f = join(dir, 'f')
    writeFileSync(f, 'x')
    expect((await runTestModule('file', { path: f, state: 'directory' })).msg).toBe(`${f} already exists as a file`)
    expect((await runTestModule('file', { path: join(dir, 'nope'), state: 'file' })).msg).toBe(`file (${join(dir, 'nope')}) is absent, cannot continue`)
    expect((await runTestModule('file', { path: join(dir, 'l'), state: 'link', src: f, mode: '0644', recurse: true })).msg).toBe(
      "recurse option requires state to be 'directory'",
    )
    expect((await runTestModule('file', { path: f, src: '/etc/hosts', state: 'file' })).msg).toBe("src option requires state to be 'link' or 'hard'")
    expect((await runTestModule('file', { path: f, state: 'link', src: '/etc/hosts' })).msg).toBe(`refusing to convert from file to symlink for ${f}`)
    expect((await runTestModule('file', { path: join(dir, 'l2'), state: 'link', src: join(dir, 'missing') })).msg).toMatch(/^src file does not exist, use "force=yes"/)
    expect((await runTestModule('file', { path: f, state: 'sideways' })).msg).toMatch(/must be one of: absent, directory, file, hard, link, touch/)
  })

  it('creates a symlink, then repoints it, showing src before and after', async () => {
    const dir = tempDir()
    writeFileSync(join(dir, 'v1'), '1')
    writeFileSync(join(dir, 'v2'), '2')
    const link = join(dir, 'current')
    const first = await converge('file', { path: link, state: 'link', src: 'v1' }, dir)
    expect(first.real.diff[0]?.after).toBe(`path: ${link}\nstate: link\nsrc: v1\n`)
    expect(readlinkSync(link)).toBe('v1')
    const second = await converge('file', { path: link, state: 'link', src: join(dir, 'v2') }, dir)
    expect(second.real.diff[0]).toMatchObject({ before: `path: ${link}\nsrc: v1\n`, after: `path: ${link}\nsrc: ${join(dir, 'v2')}\n` })
    expect(readFileSync(link, 'utf8')).toBe('2')
  })

  it('replaces a link to a directory atomically rather than writing into it', async () => {
    const dir = tempDir()
    mkdirSync(join(dir, 'r1'))
    mkdirSync(join(dir, 'r2'))
    symlinkSync('r1', join(dir, 'app'))
    await converge('file', { path: join(dir, 'app'), state: 'link', src: 'r2' }, dir)
    expect(readlinkSync(join(dir, 'app'))).toBe('r2')
    expect(existsSync(join(dir, 'r1', 'r2'))).toBe(false)
  })

  it('replaces a file with a link only with force', async () => {
    const dir = tempDir()
    writeFileSync(join(dir, 'f'), 'x')
    await converge('file', { path: join(dir, 'f'), state: 'link', src: '/etc/hostname', force: true }, dir)
    expect(lstatSync(join(dir, 'f')).isSymbolicLink()).toBe(true)
  })

  it('makes hard links and knows when one is already there', async () => {
    const dir = tempDir()
    writeFileSync(join(dir, 'data'), 'x')
    await converge('file', { path: join(dir, 'alias'), state: 'hard', src: join(dir, 'data') }, dir)
    expect(statSync(join(dir, 'alias')).ino).toBe(statSync(join(dir, 'data')).ino)
    writeFileSync(join(dir, 'other'), 'y')
    linkSync(join(dir, 'other'), join(dir, 'other2'))
    const out = await runTestModule('file', { path: join(dir, 'other2'), state: 'hard', src: join(dir, 'data') })
    expect(out.msg).toBe('Cannot link, different hard link exists at destination')
  })

  it('removes files and whole directories', async () => {
    const dir = tempDir()
    mkdirSync(join(dir, 'd', 'e'), { recursive: true })
    writeFileSync(join(dir, 'd', 'e', 'f'), 'x')
    const { real } = await converge('file', { path: join(dir, 'd'), state: 'absent' }, dir)
    expect(real.diff[0]?.before).toBe(`path: ${join(dir, 'd')}\nstate: directory\n`)
    expect(existsSync(join(dir, 'd'))).toBe(false)
  })

  it('touch creates a file and is always changed, as in Ansible', async () => {
    const dir = tempDir()
    const path = join(dir, '-stamp $(x)')
    const before = fingerprint(dir)
    expect((await runTestModule('file', { path, state: 'touch', mode: '0600' }, { check: true })).status).toBe('changed')
    expect(fingerprint(dir)).toBe(before)
    expect((await runTestModule('file', { path, state: 'touch', mode: '0600' })).status).toBe('changed')
    expect(mode(path)).toBe('0600')
    expect((await runTestModule('file', { path, state: 'touch', mode: '0600' })).status).toBe('changed')
  })

  it('with no state, manages the mode of whatever is there; follows links by default', async () => {
    const dir = tempDir()
    writeFileSync(join(dir, 'target'), 'x')
    chmodSync(join(dir, 'target'), 0o644)
    symlinkSync('target', join(dir, 'ln'))
    await converge('file', { path: join(dir, 'ln'), state: 'file', mode: '0600' }, dir)
    expect(mode(join(dir, 'target'))).toBe('0600')
    await converge('file', { path: join(dir, 'target'), mode: '0640' }, dir)
    expect(mode(join(dir, 'target'))).toBe('0640')
  })
})

describe('lineinfile', () => {
  it('warns as Ansible does when regexp or search_string is empty (it matches every line)', async () => {
    const dir = tempDir()
    const path = join(dir, 'f')
    writeFileSync(path, 'a\nb\n')
    const regexp = await runTestModule('lineinfile', { path, regexp: '', line: 'c' })
    expect(readFileSync(path, 'utf8')).toBe('a\nc\n')
    expect(regexp.result['warnings']).toEqual([expect.stringMatching(/^The regular expression is an empty string, .* use '\^' to match every line/)])
    const search = await runTestModule('lineinfile', { path: join(dir, 'missing'), search_string: '', line: 'c' })
    expect(search).toMatchObject({ status: 'failed', result: { warnings: [expect.stringMatching(/^The search string is an empty string/)] } })
  })

  it('replaces the matching line, with the diff of the content', async () => {
    const dir = tempDir()
    const path = join(dir, 'sshd_config')
    writeFileSync(path, '# sshd\n#PermitRootLogin yes\nPort 22\n')
    const { real } = await converge('lineinfile', { path, regexp: '^#?PermitRootLogin', line: 'PermitRootLogin no' }, dir)
    expect(real.result['msg']).toBe('line replaced')
    expect(real.diff[0]).toEqual({ header: path, before: '# sshd\n#PermitRootLogin yes\nPort 22\n', after: '# sshd\nPermitRootLogin no\nPort 22\n' })
  })

  it('creates the file (and its directory) with create=yes', async () => {
    const dir = tempDir()
    const path = join(dir, 'new dir', 'conf')
    const { real } = await converge('lineinfile', { path, line: 'a=1', create: true, mode: '0600' }, dir)
    // As Ansible: the file is created with the default mode, then its mode is changed.
    expect(real.result['msg']).toBe('line added and ownership, perms or SE linux context changed')
    expect(readFileSync(path, 'utf8')).toBe('a=1\n')
    expect(mode(path)).toBe('0600')
  })

  it('fails on a missing file without create, is fine with state=absent', async () => {
    const dir = tempDir()
    const path = join(dir, 'none')
    expect((await runTestModule('lineinfile', { path, line: 'x' })).msg).toBe(`Destination ${path} does not exist !`)
    const absent = await runTestModule('lineinfile', { path, line: 'x', state: 'absent' })
    expect(absent).toMatchObject({ status: 'ok', result: { msg: 'file not present' } })
    expect((await runTestModule('lineinfile', { path: dir, line: 'x' })).msg).toBe(`Path ${dir} is a directory !`)
    expect((await runTestModule('lineinfile', { path, state: 'absent' })).msg).toBe('one of line, search_string, or regexp is required with state=absent')
    expect((await runTestModule('lineinfile', { path, line: 'x', regexp: 'a', search_string: 'b' })).msg).toMatch(/mutually exclusive/)
  })

  it('removes every matching line and counts them', async () => {
    const dir = tempDir()
    const path = join(dir, 'hosts')
    writeFileSync(path, '1.1.1.1 a\n2.2.2.2 b\n1.1.1.1 c\n')
    const { real } = await converge('lineinfile', { path, regexp: '^1\\.1\\.1\\.1\\s', state: 'absent' }, dir)
    expect(real.result).toMatchObject({ found: 2, msg: '2 line(s) removed' })
    expect(readFileSync(path, 'utf8')).toBe('2.2.2.2 b\n')
  })

  it('edits through a symlink, leaving the link in place', async () => {
    const dir = tempDir()
    writeFileSync(join(dir, 'real'), 'a\n')
    symlinkSync('real', join(dir, 'link'))
    await converge('lineinfile', { path: join(dir, 'link'), line: 'b' }, dir)
    expect(lstatSync(join(dir, 'link')).isSymbolicLink()).toBe(true)
    expect(readFileSync(join(dir, 'real'), 'utf8')).toBe('a\nb\n')
  })

  it('keeps a backup and leaves the file untouched when validate fails', async () => {
    const dir = tempDir()
    const path = join(dir, "it's")
    writeFileSync(path, 'ok\n')
    const before = fingerprint(dir, { dirTimes: false })
    const bad = await runTestModule('lineinfile', { path, line: 'broken', validate: `sh -c '! grep -q broken "$1"' _ %s`, backup: true })
    expect(bad.status).toBe('failed')
    expect(fingerprint(dir, { dirTimes: false })).toBe(before)
    const good = await runTestModule('lineinfile', { path, line: 'fine', backup: true })
    expect(readFileSync(String(good.result['backup']), 'utf8')).toBe('ok\n')
  })

  it('reports attribute changes in its message as Ansible does', async () => {
    const dir = tempDir()
    const path = join(dir, 'f')
    writeFileSync(path, 'a\n')
    chmodSync(path, 0o644)
    const { real } = await converge('lineinfile', { path, line: 'b', mode: '0600' }, dir)
    expect(real.result['msg']).toBe('line added and ownership, perms or SE linux context changed')
  })
})

describe('stat', () => {
  it('reports a file, a missing path and a link, and never changes anything', async () => {
    const dir = tempDir()
    writeFileSync(join(dir, 'f'), 'hello\n')
    symlinkSync('f', join(dir, 'l'))
    const f = await runTestModule('stat', { path: join(dir, 'f') })
    expect(f.status).toBe('ok')
    expect(f.result['stat']).toMatchObject({ exists: true, isreg: true, size: 6, checksum: 'f572d396fae9206628714fb2ce00f72e94f2258f' })
    expect((await runTestModule('stat', { path: join(dir, 'nope') })).result['stat']).toEqual({ exists: false, path: join(dir, 'nope') })
    const l = await runTestModule('stat', { path: join(dir, 'l'), get_checksum: false })
    expect(l.result['stat']).toMatchObject({ islnk: true, lnk_target: 'f', lnk_source: join(dir, 'f') })
    const followed = await runTestModule('stat', { path: join(dir, 'l'), follow: true, checksum_algorithm: 'sha256' })
    expect(followed.result['stat']).toMatchObject({ islnk: false, isreg: true, checksum: '5891b5b522d5df086d0ff0b110fbd9d21bb4fc7163af34d08286a2e846f6be03' })
  })
})

describe('file diffs for new paths', () => {
  it('show the wanted mode even when the umask would give it anyway', async () => {
    const dir = tempDir()
    const path = join(dir, 'x')
    const { real } = await converge('file', { path, state: 'directory', mode: '0755' }, dir)
    expect(real.diff[0]?.after).toBe(`path: ${path}\nstate: directory\nmode: 0755\n`)
  })
})

describe('file and lineinfile through the tsplay command', () => {
  it('with --check at -vvvv, names each command the run would send, and sends none', async () => {
    const dir = tempDir()
    const path = join(dir, 'new dir')
    writeTree(dir, { 'site.yml': `- hosts: localhost\n  gather_facts: false\n  tasks:\n    - file: { path: '${path}', state: directory, mode: '0750' }\n` })
    const run = await tsplay(['run', 'site.yml', '--check', '-vvvv'], { cwd: dir })
    expect(run.code).toBe(0)
    expect(run.stdout).toMatch(/would run: if \[ ! -e '.*\/new dir' \]; then \{ mkdir -- '.*\/new dir'/)
    expect(existsSync(path)).toBe(false)
    const three = await tsplay(['run', 'site.yml', '--check', '-vvv'], { cwd: dir })
    expect(three.stdout).not.toContain('would run:')
  })

  it('with --check at -vvvv, a no_log task names no command', async () => {
    const dir = tempDir()
    writeTree(dir, { 'site.yml': `- hosts: localhost\n  gather_facts: false\n  tasks:\n    - file: { path: '${join(dir, 'private-dir-x')}', state: directory }\n      no_log: true\n` })
    const run = await tsplay(['run', 'site.yml', '--check', '-vvvv'], { cwd: dir })
    expect(run.code).toBe(0)
    expect(run.stdout).not.toContain('would run:')
    expect(run.stdout).not.toContain('private-dir-x')
  })

  it('--syntax-check finds a lineinfile without the line its state needs, naming the file and line', async () => {
    const dir = tempDir()
    writeTree(dir, { 'site.yml': '- hosts: localhost\n  gather_facts: false\n  tasks:\n    - debug: { msg: fine }\n    - lineinfile: { path: /etc/motd, regexp: "^x" }\n' })
    const run = await tsplay(['run', 'site.yml', '--syntax-check'], { cwd: dir })
    expect(run.code).toBe(4)
    expect(`${run.stdout}${run.stderr}`).toContain(`${join(dir, 'site.yml')}:5:7: module 'lineinfile': line is required with state=present`)
  })
})
