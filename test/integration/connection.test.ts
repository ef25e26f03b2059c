/** What every module relies on from a connection, proved over real SSH and locally alike. */
import { createHash, randomBytes } from 'node:crypto'
import { mkdtemp, rm } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { LocalConnection } from '../../engine/connection/local.js'
import { connectSsh } from '../../engine/connection/ssh.js'
import type { Connection } from '../../engine/connection/types.js'
import { sh } from '../../engine/quote.js'
import { sshSpec, startSshd, type Sshd } from '../helpers/sshd.js'

let sshd: Sshd
const conns: Record<'ssh' | 'local', Connection | undefined> = { ssh: undefined, local: undefined }

beforeAll(async () => {
  sshd = await startSshd()
  conns.ssh = await connectSsh(sshSpec(sshd))
  conns.local = new LocalConnection('localhost')
})

afterAll(async () => {
  await conns.ssh?.close()
  await sshd?.stop()
})

const sha256 = (b: Buffer): string => createHash('sha256').update(b).digest('hex')

const HOSTILE = [
  `it's "quoted"`,
  '$(touch /tmp/tsplay-pwned)',
  '`touch /tmp/tsplay-pwned`',
  'a; touch /tmp/tsplay-pwned',
  'a && touch /tmp/tsplay-pwned',
  '*',
  '/etc/*',
  'line one\nline two',
  '-n',
  '--help',
  'ünïcödé ✓ 日本語',
  '$HOME ${PATH} \\ \\n',
  '  spaced  ',
  '',
]

describe.each(['ssh', 'local'] as const)('%s connection', (kind) => {
  const conn = (): Connection => {
    const c = conns[kind]
    if (!c) throw new Error('connection not set up')
    return c
  }

  it('returns stdout, stderr and the exit code', async () => {
    const r = await conn().exec(sh`echo out; echo err >&2; exit 3`)
    expect(r).toMatchObject({ stdout: 'out\n', stderr: 'err\n', code: 3 })
    expect(r.stdoutBytes.equals(Buffer.from('out\n'))).toBe(true)
  })

  it('reports a command killed by a signal', async () => {
    const r = await conn().exec(sh`kill -TERM $$`)
    expect(r.code).toBeNull()
    expect(r.signal).toBe('SIGTERM')
  })

  it('passes 1 MiB of binary stdin through cat byte for byte', async () => {
    const data = randomBytes(1024 * 1024)
    const r = await conn().exec(sh`cat`, { stdin: data })
    expect(r.code).toBe(0)
    expect(r.stdoutBytes.length).toBe(data.length)
    expect(sha256(r.stdoutBytes)).toBe(sha256(data))
  })

  it('accepts string stdin, and a command that ignores its stdin', async () => {
    expect((await conn().exec(sh`tr a-z A-Z`, { stdin: 'hello' })).stdout).toBe('HELLO')
    expect((await conn().exec(sh`true`, { stdin: randomBytes(256 * 1024) })).code).toBe(0)
  })

  it('runs 20 commands at once on one connection', async () => {
    const results = await Promise.all(
      Array.from({ length: 20 }, (_, i) => conn().exec(sh`sleep 0.2; echo ${i}`)),
    )
    expect(results.map((r) => r.stdout.trim())).toEqual(Array.from({ length: 20 }, (_, i) => String(i)))
  })

  if (kind === 'ssh') it('queues commands beyond 8 channels instead of failing', async () => {
    // Each command counts the commands running beside it through a shared directory.
    const dir = (await conn().exec(sh`mktemp -d`)).stdout.trim()
    const results = await Promise.all(
      Array.from({ length: 24 }, (_, i) => conn().exec(sh`mkdir ${`${dir}/${i}`}; sleep 0.3; ls ${dir} | wc -l; rmdir ${`${dir}/${i}`}`)),
    )
    await conn().exec(sh`rmdir ${dir}`)
    const peak = Math.max(...results.map((r) => Number(r.stdout.trim())))
    expect(results.every((r) => r.code === 0)).toBe(true)
    expect(peak).toBeLessThanOrEqual(8)
    expect(peak).toBeGreaterThan(1)
  })

  it('delivers hostile arguments intact, as one argument each', async () => {
    await rm('/tmp/tsplay-pwned', { force: true })
    for (const value of HOSTILE) {
      const r = await conn().exec(sh`printf '%s\n' ${value}`)
      expect(r.stdout).toBe(`${value}\n`)
      const count = await conn().exec(sh`set -- ${value}; echo $#`)
      expect(count.stdout).toBe('1\n')
    }
    const pwned = await conn().exec(sh`test -e /tmp/tsplay-pwned`)
    expect(pwned.code).not.toBe(0)
  })

  it('passes hostile environment values and runs in the given directory', async () => {
    const dir = await mkdtemp(join(tmpdir(), "tsplay cwd 'x' "))
    try {
      const value = `a'b"c $(x) \`y\` \n z`
      const r = await conn().exec(sh`pwd; printf '%s' "$TSPLAY_V"`, { cwd: dir, env: { TSPLAY_V: value } })
      expect(r.stdout).toBe(`${dir}\n${value}`)
      const missing = await conn().exec(sh`echo should-not-run`, { cwd: join(dir, 'missing') })
      expect(missing.code).not.toBe(0)
      expect(missing.stdout).toBe('')
    } finally {
      await rm(dir, { recursive: true, force: true })
    }
  })

  it('stops a command at its timeout', async () => {
    const started = Date.now()
    const r = await conn().exec(sh`sleep 30`, { timeoutMs: 500 })
    expect(r).toMatchObject({ code: null, signal: 'TIMEOUT' })
    expect(Date.now() - started).toBeLessThan(5_000)
  })

  it('still works after a timeout', async () => {
    expect((await conn().exec(sh`echo alive`)).stdout).toBe('alive\n')
  })
})
