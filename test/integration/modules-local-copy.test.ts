/** copy and template on the local host: converge, check mode, diffs, backups, validate, hostile names. */
import { chmodSync, existsSync, lstatSync, mkdirSync, readdirSync, readFileSync, statSync, symlinkSync, writeFileSync } from 'node:fs'
import { execFileSync } from 'node:child_process'
import { join } from 'node:path'
import { describe, expect, it } from 'vitest'
import { LocalConnection } from '../../engine/connection/local.js'
import { expectedHeader, expectedOf, writeFileAtomic, writeScript } from '../../engine/files/write.js'
import { fingerprint } from '../helpers/fingerprint.js'
import { converge, runTestModule, tempDir } from '../helpers/module-harness.js'

const isRoot = process.getuid?.() === 0
const mode = (p: string): string => (statSync(p).mode & 0o7777).toString(8).padStart(4, '0')

describe('copy', () => {
  it('creates a file from content, predicting it in check mode, and is idempotent', async () => {
    const dir = tempDir()
    const dest = join(dir, 'motd')
    const { check, real } = await converge('copy', { dest, content: 'hello\n', mode: '0640' }, dir)
    expect(check.status).toBe('changed')
    expect(real.diff[0]).toMatchObject({ header: dest, before: '', after: 'hello\n' })
    expect(readFileSync(dest, 'utf8')).toBe('hello\n')
    expect(mode(dest)).toBe('0640')
    expect(real.result).toMatchObject({ dest, checksum: 'f572d396fae9206628714fb2ce00f72e94f2258f', changed: true })
  })

  it('shows the old and new content when it replaces a file, keeping its mode', async () => {
    const dir = tempDir()
    const dest = join(dir, 'conf')
    writeFileSync(dest, 'a=1\n')
    chmodSync(dest, 0o600)
    const { real } = await converge('copy', { dest, content: 'a=2\n' }, dir)
    expect(real.diff).toEqual([{ header: dest, before: 'a=1\n', after: 'a=2\n' }])
    expect(mode(dest)).toBe('0600')
  })

  it('fixes only the mode when the content is already right, and says so in the diff', async () => {
    const dir = tempDir()
    const dest = join(dir, 'x')
    writeFileSync(dest, 'same\n')
    chmodSync(dest, 0o644)
    const inode = statSync(dest).ino
    const { real } = await converge('copy', { dest, content: 'same\n', mode: 'u=rw,go=' }, dir)
    expect(real.diff).toEqual([{ header: `${dest} (file attributes)`, before: 'mode: 0644\n', after: 'mode: 0600\n' }])
    expect(mode(dest)).toBe('0600')
    expect(statSync(dest).ino, 'the file is not rewritten').toBe(inode)
  })

  it.runIf(isRoot)('sets owner and group, and fails in check mode already for an unknown user', async () => {
    const dir = tempDir()
    const dest = join(dir, 'owned')
    await converge('copy', { dest, content: 'x', owner: 'nobody', group: 'nogroup' }, dir)
    expect(statSync(dest).uid).toBe(65534)
    const bad = await runTestModule('copy', { dest, content: 'x', owner: 'no-such-user-here' }, { check: true })
    expect(bad.status).toBe('failed')
    expect(bad.msg).toBe('chown failed: failed to look up user no-such-user-here')
    // Numeric ids need no lookup and compare equal to the names.
    expect((await runTestModule('copy', { dest, content: 'x', owner: '65534' })).status).toBe('ok')
  })

  it('copies a controller file into a directory under its own name, preserving its mode', async () => {
    const dir = tempDir()
    const base = tempDir()
    writeFileSync(join(base, 'run.sh'), '#!/bin/sh\necho hi\n')
    chmodSync(join(base, 'run.sh'), 0o750)
    await converge('copy', { src: 'run.sh', dest: dir, mode: 'preserve' }, dir, { baseDir: base })
    expect(readFileSync(join(dir, 'run.sh'), 'utf8')).toContain('echo hi')
    expect(mode(join(dir, 'run.sh'))).toBe('0750')
  })

  it('creates a missing destination directory given with a trailing slash', async () => {
    const dir = tempDir()
    const base = tempDir()
    writeFileSync(join(base, 'a.txt'), 'a\n')
    await converge('copy', { src: 'a.txt', dest: join(dir, 'new', 'sub') + '/' }, dir, { baseDir: base })
    expect(readFileSync(join(dir, 'new', 'sub', 'a.txt'), 'utf8')).toBe('a\n')
  })

  it('keeps a timestamped backup of the file it replaces', async () => {
    const dir = tempDir()
    const dest = join(dir, 'hosts')
    writeFileSync(dest, 'old\n')
    const out = await runTestModule('copy', { dest, content: 'new\n', backup: true })
    const backup = String(out.result['backup_file'])
    expect(backup).toMatch(/hosts\.\d+\.\d{4}-\d\d-\d\d@\d\d:\d\d:\d\d~$/)
    expect(readFileSync(backup, 'utf8')).toBe('old\n')
    expect(readFileSync(dest, 'utf8')).toBe('new\n')
  })

  it('leaves the original untouched, and no temporary file, when validate fails', async () => {
    const dir = tempDir()
    const dest = join(dir, 'sudoers')
    writeFileSync(dest, 'good\n')
    const before = fingerprint(dir, { dirTimes: false })
    const out = await runTestModule('copy', { dest, content: 'bad\n', validate: `sh -c 'grep -q good "$1" || { echo "syntax error in $1"; exit 3; }' _ %s` })
    expect(out.status).toBe('failed')
    expect(out.msg).toMatch(/^failed to validate: syntax error in .*\.tsplay\./)
    expect(fingerprint(dir, { dirTimes: false })).toBe(before)
    const ok = await runTestModule('copy', { dest, content: 'good too\n', validate: 'grep -q good %s' })
    expect(ok.status).toBe('changed')
    expect(readdirSync(dir)).toEqual(['sudoers'])
  })

  it('rejects a validate command without %s', async () => {
    const dir = tempDir()
    const out = await runTestModule('copy', { dest: join(dir, 'x'), content: 'x', validate: 'true' })
    expect(out.msg).toBe('validate must contain %s: true')
  })

  it('with force=no, leaves an existing file alone', async () => {
    const dir = tempDir()
    const dest = join(dir, 'keep')
    writeFileSync(dest, 'mine\n')
    const { real } = await converge('copy', { dest, content: 'theirs\n', force: false }, dir)
    expect(real.status).toBe('ok')
    expect(readFileSync(dest, 'utf8')).toBe('mine\n')
  })

  it('describes binary content in the diff rather than dumping it', async () => {
    const dir = tempDir()
    const base = tempDir()
    writeFileSync(join(base, 'blob'), Buffer.from([0, 1, 2, 255]))
    const { real } = await converge('copy', { src: 'blob', dest: join(dir, 'blob') }, dir, { baseDir: base })
    expect(real.diff[0]?.after).toMatch(/^\(binary file, 4 bytes, sha1 [0-9a-f]{40}\)/)
    expect(readFileSync(join(dir, 'blob'))).toEqual(Buffer.from([0, 1, 2, 255]))
  })

  it('fails clearly on bad arguments', async () => {
    // Ansible's action makes these checks when the task runs, with its own messages.
    expect((await runTestModule('copy', { content: 'x' })).msg).toBe('dest is required')
    expect((await runTestModule('copy', { dest: '/tmp/x', src: 'a', content: 'b' })).msg).toBe('src and content are mutually exclusive')
    expect((await runTestModule('copy', { dest: '/tmp/x', src: '' })).msg).toBe('src (or content) is required')
    expect((await runTestModule('copy', { dest: '/tmp/x/', content: 'x' })).msg).toBe('can not use content with a dir as dest')
    expect((await runTestModule('copy', { dest: '/tmp/x', content: 'x', mode: 'rw-r--r--' })).msg).toMatch(/octal mode/)
    expect((await runTestModule('copy', { dest: '/tmp/x', src: 'does-not-exist' })).msg).toMatch(/Could not find or access 'does-not-exist'/)
    const missingDir = await runTestModule('copy', { dest: '/nonexistent-dir-xyz/file', content: 'x' })
    expect(missingDir.msg).toBe('Destination directory /nonexistent-dir-xyz does not exist')
  })

  it.each(['sp ace', `q'uo"te`, '$(touch pwned)', '-leading-dash', 'ünï😀', '`id`;x', 'new\nline'])(
    'handles the hostile file name %j',
    async (name) => {
      const dir = tempDir()
      const dest = join(dir, name)
      await converge('copy', { dest, content: `${name}\n`, mode: '0600', backup: true }, dir)
      expect(readFileSync(dest, 'utf8')).toBe(`${name}\n`)
      expect(existsSync(join(dir, 'pwned'))).toBe(false)
      expect(existsSync('pwned')).toBe(false)
      const changed = await runTestModule('copy', { dest, content: 'v2\n', backup: true })
      expect(readFileSync(String(changed.result['backup_file']), 'utf8')).toBe(`${name}\n`)
    },
  )
})

describe('template', () => {
  it('renders an EJS template with the task’s variables, predicted in check mode', async () => {
    const dir = tempDir()
    const base = tempDir()
    writeFileSync(join(base, 'app.conf.ejs'), 'port=<%= port %>\n<% for (const h of hosts) { %>server <%= h %>\n<% } %>')
    const vars = { port: 8080, hosts: ['a', 'b'] }
    const { real } = await converge('template', { src: 'app.conf.ejs', dest: join(dir, 'app.conf'), mode: '0644' }, dir, { baseDir: base, vars })
    expect(readFileSync(join(dir, 'app.conf'), 'utf8')).toBe('port=8080\nserver a\nserver b\n')
    expect(real.diff[0]?.after).toBe('port=8080\nserver a\nserver b\n')
    const changed = await runTestModule('template', { src: 'app.conf.ejs', dest: join(dir, 'app.conf') }, { baseDir: base, vars: { ...vars, port: 9090 } })
    expect(changed.diff[0]).toMatchObject({ before: 'port=8080\nserver a\nserver b\n', after: 'port=9090\nserver a\nserver b\n' })
  })

  it('writes values as they are with <%= %> and <%- %>: a config file is not HTML', async () => {
    const dir = tempDir()
    const base = tempDir()
    writeFileSync(join(base, 'app.conf.ejs'), 'escaped=<%= value %>\nraw=<%- value %>\nnone=<%= nothing %>.\n')
    const value = `a & b < c > d "e" 'f'`
    await converge('template', { src: 'app.conf.ejs', dest: join(dir, 'app.conf') }, dir, { baseDir: base, vars: { value, nothing: null } })
    expect(readFileSync(join(dir, 'app.conf'), 'utf8')).toBe(`escaped=${value}\nraw=${value}\nnone=.\n`)
  })

  it('writes into a directory under the template’s name without .ejs', async () => {
    const dir = tempDir()
    const base = tempDir()
    writeFileSync(join(base, 'motd.ejs'), 'hi\n')
    await converge('template', { src: 'motd.ejs', dest: `${dir}/` }, dir, { baseDir: base })
    expect(readFileSync(join(dir, 'motd'), 'utf8')).toBe('hi\n')
  })

  it('fails with the template file and line when rendering fails', async () => {
    const base = tempDir()
    mkdirSync(join(base, 'sub'))
    writeFileSync(join(base, 'sub', 'bad.ejs'), 'line one\n<%= missing_var %>\n')
    const out = await runTestModule('template', { src: 'sub/bad.ejs', dest: join(tempDir(), 'x') }, { baseDir: base })
    expect(out.status).toBe('failed')
    expect(out.msg).toMatch(/template error while rendering sub\/bad\.ejs/)
    expect(out.msg).toMatch(/bad\.ejs:2/)
    expect(out.msg).toMatch(/missing_var is not defined/)
  })
})

describe('copy and template onto a symlink', () => {
  it('replaces the link with the file by default, and writes the target with follow, as Ansible does', async () => {
    const dir = tempDir()
    writeFileSync(join(dir, 'target'), 'old\n')
    symlinkSync('target', join(dir, 'link'))
    const followed = await converge('copy', { content: 'new\n', dest: join(dir, 'link'), follow: true }, dir)
    expect(followed.real.result).toMatchObject({ dest: join(dir, 'target'), changed: true })
    expect(lstatSync(join(dir, 'link')).isSymbolicLink()).toBe(true)
    expect(readFileSync(join(dir, 'target'), 'utf8')).toBe('new\n')
    // Without follow the link gives way, even though its target already holds these bytes.
    await converge('copy', { content: 'new\n', dest: join(dir, 'link') }, dir)
    expect(lstatSync(join(dir, 'link')).isSymbolicLink()).toBe(false)
    expect(readFileSync(join(dir, 'link'), 'utf8')).toBe('new\n')
  })
})

describe('tempfile', () => {
  it('creates a file or directory only its creator may use, named as Ansible names it', async () => {
    const dir = tempDir()
    const file = await runTestModule('tempfile', { path: dir, prefix: 'pre.X', suffix: '.XX' })
    expect(file.status).toBe('changed')
    const path = String(file.result['path'])
    expect(path).toMatch(new RegExp(`^${dir}/pre\\.X[a-z0-9_]{8}\\.XX$`))
    expect(statSync(path).isFile()).toBe(true)
    expect(file.result).toMatchObject({ state: 'file', mode: '0600', size: 0, uid: process.getuid?.() })
    const made = await runTestModule('tempfile', { state: 'directory', path: dir })
    expect(made.result).toMatchObject({ state: 'directory', mode: '0700' })
    expect(statSync(String(made.result['path'])).isDirectory()).toBe(true)
  })

  it('is skipped in check mode with Ansible’s message, and fails as Python does on a missing directory', async () => {
    const dir = tempDir()
    const check = await runTestModule('tempfile', { path: dir }, { check: true })
    expect(check).toMatchObject({ status: 'skipped', result: { skipped: true, msg: 'remote module (tempfile) does not support check mode' } })
    expect(readdirSync(dir)).toEqual([])
    const missing = await runTestModule('tempfile', { path: join(dir, 'nope') })
    expect(missing.msg).toMatch(new RegExp(`^\\[Errno 2\\] No such file or directory: '${dir}/nope/ansible\\.[a-z0-9_]{8}'$`))
  })
})

describe('the atomic write on the host', () => {
  const connection = new LocalConnection('localhost')
  const whole = Buffer.from('line one\nline two\n')
  const setUp = (): { dir: string; dest: string } => {
    const dir = tempDir()
    const dest = join(dir, `it's $(x).conf`)
    writeFileSync(dest, 'old\n')
    return { dir, dest }
  }

  it('refuses content that arrived short, keeping the old file and no temporary file', async () => {
    const { dir, dest } = setUp()
    const stdin = Buffer.concat([expectedHeader(expectedOf(whole)), whole.subarray(0, 9)])
    const res = await connection.exec(writeScript(dest, { backup: true, validate: 'true %s' }), { stdin })
    expect(res.code).toBe(87)
    expect(res.stderr).toContain(`content cut short: received 9 of ${whole.length} bytes`)
    expect(readFileSync(dest, 'utf8')).toBe('old\n')
    // Neither a temporary file nor a backup: nothing was done with the part.
    expect(readdirSync(dir)).toEqual([`it's $(x).conf`])
  })

  it('refuses a cut inside the header itself', async () => {
    const { dir, dest } = setUp()
    const res = await connection.exec(writeScript(dest, {}), { stdin: expectedHeader(expectedOf(whole)).subarray(0, 20) })
    expect(res.code).toBe(87)
    expect(readFileSync(dest, 'utf8')).toBe('old\n')
    expect(readdirSync(dir)).toHaveLength(1)
  })

  it('refuses content of the right length but other bytes', async () => {
    const { dir, dest } = setUp()
    const damaged = Buffer.from(whole)
    damaged[3] = 0x58
    const res = await connection.exec(writeScript(dest, {}), { stdin: Buffer.concat([expectedHeader(expectedOf(whole)), damaged]) })
    expect(res.code).toBe(87)
    expect(res.stderr).toContain(`content damaged in transit: sha256 ${expectedOf(damaged).sha256}, sent ${expectedOf(whole).sha256}`)
    expect(readFileSync(dest, 'utf8')).toBe('old\n')
    expect(readdirSync(dir)).toHaveLength(1)
  })

  it.runIf(isRoot)("fails with Ansible's message on a directory it may not write, leaving no temporary file", async () => {
    const { dir, dest } = setUp()
    // Even root may not write into an immutable directory: access(2) says so, as for a user without the right.
    try {
      execFileSync('chattr', ['+i', dir])
    } catch {
      return
    }
    try {
      await expect(writeFileAtomic((c, o) => connection.exec(c, o), dest, whole, {})).rejects.toThrow(new RegExp(`^Destination ${dir} not writable$`))
    } finally {
      execFileSync('chattr', ['-i', dir])
    }
    expect(readFileSync(dest, 'utf8')).toBe('old\n')
  })

  it('puts the whole content in place and reports a refused part as a module error', async () => {
    const { dest } = setUp()
    await writeFileAtomic((c, o) => connection.exec(c, o), dest, whole, {})
    expect(readFileSync(dest).equals(whole)).toBe(true)
    // The header and 4 bytes of 'other text\n' arrive, then the input ends.
    const header = expectedHeader(expectedOf(Buffer.from('other text\n'))).length
    const short = (c: Parameters<typeof connection.exec>[0], o?: { stdin?: string | Buffer }) => connection.exec(c, { stdin: Buffer.from(o?.stdin ?? '').subarray(0, header + 4) })
    await expect(writeFileAtomic(short, dest, 'other text\n', {})).rejects.toThrow(/cannot write .*: content cut short: received 4 of 11 bytes/)
    expect(readFileSync(dest).equals(whole)).toBe(true)
  })
})
