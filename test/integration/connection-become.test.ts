/**
 * become (sudo) over SSH and locally: the command runs as the target user, its stdin arrives
 * intact whether or not sudo asks for a password, and a wrong password fails clearly.
 * Creates two throwaway accounts (root needed): tsplaybecome (NOPASSWD) and tsplaypw (password).
 */
import { execFile } from 'node:child_process'
import { createHash, randomBytes } from 'node:crypto'
import { rm, writeFile } from 'node:fs/promises'
import { promisify } from 'node:util'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { LocalConnection } from '../../engine/connection/local.js'
import { BecomeError } from '../../engine/connection/session.js'
import { connectSsh } from '../../engine/connection/ssh.js'
import type { Become, Connection } from '../../engine/connection/types.js'
import { sh } from '../../engine/quote.js'
import { sshSpec, startSshd, type Sshd } from '../helpers/sshd.js'

const run = promisify(execFile)
const PASSWORD = `pw-${randomBytes(6).toString('hex')}`
const USERS = {
  tsplaybecome: 'ALL=(ALL) NOPASSWD: ALL',
  tsplaypw: 'ALL=(ALL) ALL',
} as const
const sudoersFile = (user: string): string => `/etc/sudoers.d/tsplay-test-${user}`
const sha256 = (b: Buffer): string => createHash('sha256').update(b).digest('hex')

let sshd: Sshd
const conns: Connection[] = []
let nopasswd: Connection
let withpw: Connection

async function removeUsers(): Promise<void> {
  for (const user of Object.keys(USERS)) {
    await run('userdel', ['-r', user]).catch(() => undefined)
    await rm(sudoersFile(user), { force: true })
  }
}

beforeAll(async () => {
  sshd = await startSshd()
  await removeUsers()
  for (const [user, rule] of Object.entries(USERS)) {
    // '*' (not the default '!'): sshd without PAM refuses even key logins to locked accounts.
    await run('useradd', ['-m', '-s', '/bin/sh', '-p', '*', user])
    await writeFile(sudoersFile(user), `${user} ${rule}\n`, { mode: 0o440 })
    await sshd.authorize(user)
  }
  const chpasswd = execFile('chpasswd')
  chpasswd.stdin?.end(`tsplaypw:${PASSWORD}\n`)
  await new Promise((resolve, reject) => chpasswd.on('exit', (code) => (code === 0 ? resolve(null) : reject(new Error('chpasswd failed')))))
  nopasswd = await connectSsh(sshSpec(sshd, { user: 'tsplaybecome' }))
  withpw = await connectSsh(sshSpec(sshd, { user: 'tsplaypw' }))
  conns.push(nopasswd, withpw)
})

afterAll(async () => {
  for (const c of conns) await c.close()
  await sshd?.stop()
  await removeUsers()
})

const root = (password?: string): Become => ({ user: 'root', method: 'sudo', ...(password !== undefined ? { password } : {}) })

async function becomeFailure(conn: Connection, become: Become): Promise<BecomeError> {
  const err = await conn.exec(sh`id -un`, { become }).then(
    () => undefined,
    (e: unknown) => e,
  )
  expect(err).toBeInstanceOf(BecomeError)
  return err as BecomeError
}

describe('become over ssh', () => {
  it('runs as root for a NOPASSWD user, and as the login user without become', async () => {
    expect((await nopasswd.exec(sh`id -un`)).stdout).toBe('tsplaybecome\n')
    expect((await nopasswd.exec(sh`id -un`, { become: root() })).stdout).toBe('root\n')
  })

  it('logs in with a password when that is the credential given', async () => {
    const saved = process.env.SSH_AUTH_SOCK
    delete process.env.SSH_AUTH_SOCK
    try {
      const conn = await connectSsh(sshSpec(sshd, { user: 'tsplaypw', privateKeyFile: undefined, password: PASSWORD }))
      expect((await conn.exec(sh`id -un`)).stdout).toBe('tsplaypw\n')
      await conn.close()
    } finally {
      if (saved !== undefined) process.env.SSH_AUTH_SOCK = saved
    }
  })

  it('answers the password prompt and hides it from stderr', async () => {
    const r = await withpw.exec(sh`id -un; echo done >&2`, { become: root(PASSWORD) })
    expect(r).toMatchObject({ stdout: 'root\n', stderr: 'done\n', code: 0 })
  })

  it.each([
    ['a password prompt', () => withpw, PASSWORD],
    ['NOPASSWD with a password given', () => nopasswd, PASSWORD],
    ['NOPASSWD', () => nopasswd, undefined],
  ])('delivers 1 MiB of stdin intact through %s', async (_, conn, password) => {
    const data = randomBytes(1024 * 1024)
    const r = await conn().exec(sh`cat`, { stdin: data, become: root(password) })
    expect(r.code).toBe(0)
    expect(sha256(r.stdoutBytes)).toBe(sha256(data))
  })

  it('keeps env, cwd and the exit code of the command under become', async () => {
    const r = await withpw.exec(sh`pwd; printf '%s\n' "$X"; exit 4`, { become: root(PASSWORD), cwd: '/tmp', env: { X: "it's" } })
    expect(r).toMatchObject({ stdout: "/tmp\nit's\n", code: 4 })
  })

  it('fails with "incorrect password" that never shows the password', async () => {
    const wrong = `wrong-${randomBytes(6).toString('hex')}`
    const err = await becomeFailure(withpw, root(wrong))
    expect(err.message).toBe('sudo: incorrect password for become user root on host web1')
    expect(err.message).not.toContain(wrong)
    expect(err.message).not.toContain(PASSWORD)
    // The connection is still good afterwards.
    expect((await withpw.exec(sh`echo ok`)).stdout).toBe('ok\n')
  })

  it('says a password is required when none was given', async () => {
    const err = await becomeFailure(withpw, root())
    expect(err.message).toMatch(/^sudo: a password is required for become user root on host web1/)
  })

  it('can become another unprivileged user', async () => {
    const r = await nopasswd.exec(sh`id -un`, { become: { user: 'tsplaypw', method: 'sudo' } })
    expect(r.stdout).toBe('tsplaypw\n')
  })
})

describe('timeouts for a non-root login', () => {
  it('kill the whole remote command, not just its shell', async () => {
    const flag = `/tmp/tsplay-timeout-${randomBytes(4).toString('hex')}`
    const started = Date.now()
    const r = await nopasswd.exec(sh`sleep 2; touch ${flag}`, { timeoutMs: 300 })
    expect(r.signal).toBe('TIMEOUT')
    // sshd signals the session's process group (it refuses to for root logins, see ssh.ts).
    expect(Date.now() - started).toBeLessThan(1_500)
    await new Promise((resolve) => setTimeout(resolve, 2_500))
    expect((await nopasswd.exec(sh`test -e ${flag}`)).code).toBe(1)
  })
})

describe('become locally', () => {
  const local = new LocalConnection('localhost')

  it.each([undefined, 'not-asked-for'])('runs as the target user with stdin intact (password %s)', async (password) => {
    const data = randomBytes(256 * 1024)
    const who = await local.exec(sh`id -un`, { become: { user: 'tsplaybecome', method: 'sudo', ...(password ? { password } : {}) } })
    expect(who.stdout).toBe('tsplaybecome\n')
    const r = await local.exec(sh`cat`, { stdin: data, become: root(password) })
    expect(sha256(r.stdoutBytes)).toBe(sha256(data))
  })
})
