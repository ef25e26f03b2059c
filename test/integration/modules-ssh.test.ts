/**
 * The same modules over a real SSH connection: content travels on stdin, hostile names
 * survive the remote shell, check mode writes nothing, a second run changes nothing.
 */
import { randomBytes } from 'node:crypto'
import { existsSync, readFileSync, statSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { connectSsh } from '../../engine/connection/ssh.js'
import type { Connection } from '../../engine/connection/types.js'
import { converge, runTestModule, tempDir } from '../helpers/module-harness.js'
import { sshSpec, startSshd, type Sshd } from '../helpers/sshd.js'

let sshd: Sshd
let connection: Connection

beforeAll(async () => {
  sshd = await startSshd()
  connection = await connectSsh(sshSpec(sshd))
})

afterAll(async () => {
  await connection?.close()
  await sshd?.stop()
})

describe('modules over SSH', () => {
  it('copy writes binary content byte for byte under a hostile name, atomically and idempotently', async () => {
    const dir = tempDir()
    const base = tempDir()
    const bytes = randomBytes(300_000)
    writeFileSync(join(base, 'blob'), bytes)
    const dest = join(dir, `-x $(touch pwned) 'q' ü`)
    await converge('copy', { src: 'blob', dest, mode: '0600' }, dir, { connection, baseDir: base })
    expect(readFileSync(dest).equals(bytes)).toBe(true)
    expect(statSync(dest).mode & 0o777).toBe(0o600)
    expect(existsSync(join(dir, 'pwned'))).toBe(false)
  })

  it('file, lineinfile and template converge the same way they do locally', async () => {
    const dir = tempDir()
    const base = tempDir()
    writeFileSync(join(base, 't.ejs'), 'name=<%= name %>\n')
    const conf = join(dir, 'etc dir', 'app.conf')
    await converge('file', { path: join(dir, 'etc dir'), state: 'directory', mode: '0750' }, dir, { connection })
    await converge('template', { src: 't.ejs', dest: conf }, dir, { connection, baseDir: base, vars: { name: 'db1' } })
    const { real } = await converge('lineinfile', { path: conf, regexp: '^name=', line: 'name=db2' }, dir, { connection })
    expect(real.diff[0]).toMatchObject({ before: 'name=db1\n', after: 'name=db2\n' })
    await converge('file', { path: join(dir, 'link'), state: 'link', src: conf }, dir, { connection })
  })

  it('command and shell run remotely with stdin and chdir; wait_for polls on the host', async () => {
    const dir = tempDir()
    const cat = await runTestModule('command', { argv: ['cat'], stdin: 'über\n', stdin_add_newline: false, chdir: dir }, { connection })
    expect(cat.result['stdout']).toBe('über')
    const sh = await runTestModule('shell', { cmd: 'pwd; echo $0', chdir: dir }, { connection })
    expect(sh.result['stdout_lines']).toEqual([dir, '/bin/sh'])
    setTimeout(() => writeFileSync(join(dir, 'flag'), 'ready'), 800)
    const waited = await runTestModule('wait_for', { path: join(dir, 'flag'), search_regex: 'ready', timeout: 10 }, { connection })
    expect(waited.status).toBe('ok')
    expect((await runTestModule('wait_for', { port: sshd.port, timeout: 5 }, { connection })).status).toBe('ok')
  })
})
