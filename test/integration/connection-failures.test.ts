/** Hosts that cannot be reached, refuse us, or vanish mid-run: each is a ConnectError with words a person can act on. */
import { execFile, spawn } from 'node:child_process'
import { existsSync } from 'node:fs'
import { connect, createServer, type Server, type Socket } from 'node:net'
import { copyFile, mkdir } from 'node:fs/promises'
import { join } from 'node:path'
import { promisify } from 'node:util'
import { afterEach, describe, expect, it } from 'vitest'
import { connectSsh } from '../../engine/connection/ssh.js'
import { ConnectError } from '../../engine/errors.js'
import { sh } from '../../engine/quote.js'
import { sshSpec, startSshd, type Sshd } from '../helpers/sshd.js'

const run = promisify(execFile)
const cleanups: (() => Promise<void>)[] = []
afterEach(async () => {
  for (const c of cleanups.splice(0).reverse()) await c()
})

async function server(): Promise<Sshd> {
  const s = await startSshd()
  cleanups.push(() => s.stop())
  return s
}

/** Sets (or, for undefined, unsets) environment variables until the test's cleanup puts them back. */
function setEnvUntilCleanup(values: Record<string, string | undefined>): void {
  const saved = Object.fromEntries(Object.keys(values).map((k) => [k, process.env[k]]))
  const apply = (from: Record<string, string | undefined>): void => {
    for (const [k, v] of Object.entries(from)) {
      if (v === undefined) delete process.env[k]
      else process.env[k] = v
    }
  }
  apply(values)
  cleanups.push(async () => apply(saved))
}

/** Resolves to the rejection of `p` (fails the test if `p` resolves). */
async function rejection(p: Promise<unknown>): Promise<ConnectError> {
  const err = await p.then(
    () => undefined,
    (e: unknown) => e,
  )
  expect(err).toBeInstanceOf(ConnectError)
  return err as ConnectError
}

/** A port nothing listens on (just released by the kernel). */
async function closedPort(): Promise<number> {
  const probe = createServer()
  await new Promise<void>((resolve) => probe.listen(0, '127.0.0.1', resolve))
  const address = probe.address()
  await new Promise<void>((resolve) => probe.close(() => resolve()))
  return typeof address === 'object' && address ? address.port : 0
}

describe('connecting', () => {
  it('says which credentials were tried when authentication fails', async () => {
    const sshd = await server()
    const otherKey = join(sshd.dir, 'stranger_ed25519')
    await run('ssh-keygen', ['-q', '-t', 'ed25519', '-N', '', '-f', otherKey])
    const err = await rejection(connectSsh(sshSpec(sshd, { privateKeyFile: otherKey, password: 'sekret-pw-123' })))
    expect(err.message).toBe(
      `host web1 (127.0.0.1:${sshd.port}): authentication failed for user ${sshd.user} (tried: key ${otherKey}, password)`,
    )
    expect(err.host).toBe('web1')
    expect(err.message).not.toContain('sekret-pw-123')
  })

  it('falls back to the default keys in ~/.ssh, and names them when they fail', async () => {
    const sshd = await server()
    const home = join(sshd.dir, 'home')
    await mkdir(join(home, '.ssh'), { recursive: true })
    setEnvUntilCleanup({ HOME: home, SSH_AUTH_SOCK: undefined })
    const noKeyFile = sshSpec(sshd, { privateKeyFile: undefined })
    await run('ssh-keygen', ['-q', '-t', 'ed25519', '-N', '', '-f', join(home, '.ssh', 'id_ed25519')])
    const err = await rejection(connectSsh(noKeyFile))
    expect(err.message).toMatch(new RegExp(`\\(tried: key ${home}/\\.ssh/id_ed25519\\)$`))
    await copyFile(sshd.keyFile, join(home, '.ssh', 'id_rsa')) // the name is only a name; the content decides
    const conn = await connectSsh(noKeyFile)
    expect((await conn.exec(sh`echo in`)).stdout).toBe('in\n')
    await conn.close()
  })

  it('authenticates through the SSH agent when SSH_AUTH_SOCK is set', async () => {
    const sshd = await server()
    const socket = join(sshd.dir, 'agent.sock')
    const agent = spawn('ssh-agent', ['-D', '-a', socket], { stdio: 'ignore' })
    cleanups.push(async () => {
      agent.kill()
    })
    for (let i = 0; i < 100 && !existsSync(socket); i++) await new Promise((r) => setTimeout(r, 20))
    await run('ssh-add', [sshd.keyFile], { env: { ...process.env, SSH_AUTH_SOCK: socket } })
    const home = join(sshd.dir, 'empty-home')
    await mkdir(home)
    setEnvUntilCleanup({ HOME: home, SSH_AUTH_SOCK: socket })
    const conn = await connectSsh(sshSpec(sshd, { privateKeyFile: undefined }))
    expect((await conn.exec(sh`echo via-agent`)).stdout).toBe('via-agent\n')
    await conn.close()
  })

  it('names a missing private key file before touching the network', async () => {
    const sshd = await server()
    const err = await rejection(connectSsh(sshSpec(sshd, { privateKeyFile: join(sshd.dir, 'nope') })))
    expect(err.message).toMatch(/private key file .*nope does not exist/)
  })

  it('reports a closed port as connection refused', async () => {
    const sshd = await server()
    const port = await closedPort()
    const err = await rejection(connectSsh(sshSpec(sshd, { port })))
    expect(err.message).toBe(`host web1 (127.0.0.1:${port}): connection refused`)
  })

  it('reports an address that does not resolve', async () => {
    const sshd = await server()
    const err = await rejection(connectSsh(sshSpec(sshd, { address: 'tsplay-no-such-host.invalid', hostKeyChecking: false })))
    expect(err.message).toMatch(/cannot resolve address 'tsplay-no-such-host\.invalid' \(DNS lookup failed/)
  })

  it('gives up on a port that never speaks SSH after the connect timeout', async () => {
    const sockets: Socket[] = []
    // Accept and say nothing, like a wedged sshd or a proxy that never forwards.
    const silent: Server = createServer((socket) => sockets.push(socket))
    await new Promise<void>((resolve) => silent.listen(0, '127.0.0.1', resolve))
    cleanups.push(async () => {
      for (const socket of sockets) socket.destroy()
      await new Promise<void>((resolve) => silent.close(() => resolve()))
    })
    const address = silent.address()
    const port = typeof address === 'object' && address ? address.port : 0
    const sshd = await server()
    const started = Date.now()
    const err = await rejection(connectSsh(sshSpec(sshd, { port, connectTimeoutMs: 1_000 })))
    expect(err.message).toBe(`host web1 (127.0.0.1:${port}): timed out after 1 s`)
    expect(Date.now() - started).toBeLessThan(5_000)
  })
})

/**
 * A TCP proxy to sshd that drops its first `drops` connections at once, as a busy sshd does past
 * MaxStartups; counts the connections it saw.
 */
async function droppingProxy(target: number, drops: number): Promise<{ port: number; connections: () => number }> {
  let seen = 0
  const sockets: Socket[] = []
  const proxy = createServer((socket) => {
    sockets.push(socket)
    if (++seen <= drops) return void socket.destroy()
    const upstream = connect(target, '127.0.0.1')
    sockets.push(upstream)
    socket.pipe(upstream).pipe(socket)
    const end = (): void => void (socket.destroy(), upstream.destroy())
    socket.on('error', end).on('close', end)
    upstream.on('error', end).on('close', end)
  })
  await new Promise<void>((resolve) => proxy.listen(0, '127.0.0.1', resolve))
  cleanups.push(async () => {
    for (const socket of sockets) socket.destroy()
    await new Promise<void>((resolve) => proxy.close(() => resolve()))
  })
  const address = proxy.address()
  return { port: typeof address === 'object' && address ? address.port : 0, connections: () => seen }
}

describe('a server that drops connections before the handshake (sshd past MaxStartups)', () => {
  it('is tried again after a short pause, and the connection then works', async () => {
    const sshd = await server()
    const proxy = await droppingProxy(sshd.port, 2)
    // The host key is known for sshd's own port; the proxy's port is another [127.0.0.1]:port.
    const conn = await connectSsh(sshSpec(sshd, { port: proxy.port, hostKeyChecking: false }))
    cleanups.push(() => conn.close())
    expect((await conn.exec(sh`echo up`)).stdout).toBe('up\n')
    expect(proxy.connections()).toBe(3)
  })

  it('is given up after 5 attempts within a few seconds, saying so', async () => {
    const sshd = await server()
    const proxy = await droppingProxy(sshd.port, Infinity)
    const started = Date.now()
    const err = await rejection(connectSsh(sshSpec(sshd, { port: proxy.port, hostKeyChecking: false })))
    expect(err.message).toMatch(new RegExp(`^host web1 \\(127\\.0\\.0\\.1:${proxy.port}\\): .* \\(after 5 attempts\\)$`))
    expect(proxy.connections()).toBe(5)
    expect(Date.now() - started).toBeLessThan(10_000)
  })

  it('but a rejected key fails at once, with no second attempt', async () => {
    const sshd = await server()
    const proxy = await droppingProxy(sshd.port, 0)
    const otherKey = join(sshd.dir, 'stranger_ed25519')
    await run('ssh-keygen', ['-q', '-t', 'ed25519', '-N', '', '-f', otherKey])
    const err = await rejection(connectSsh(sshSpec(sshd, { port: proxy.port, hostKeyChecking: false, privateKeyFile: otherKey })))
    expect(err.message).toBe(`host web1 (127.0.0.1:${proxy.port}): authentication failed for user ${sshd.user} (tried: key ${otherKey})`)
    expect(proxy.connections()).toBe(1)
  })
})

describe('a host that goes away mid-run', () => {
  it('fails the running and the next command with ConnectError when the server is killed', async () => {
    const sshd = await server()
    const conn = await connectSsh(sshSpec(sshd))
    cleanups.push(() => conn.close())
    const running = conn.exec(sh`sleep 30`)
    await new Promise((r) => setTimeout(r, 300))
    await sshd.signal('SIGKILL')
    const err = await rejection(running)
    expect(err.message).toMatch(/^host web1 \(127\.0\.0\.1:\d+\): connection lost/)
    await rejection(conn.exec(sh`true`))
  })

  it('notices a host that stops answering (no FIN) through keepalives within about 20 s', async () => {
    const sshd = await server()
    const conn = await connectSsh(sshSpec(sshd))
    cleanups.push(() => conn.close())
    expect((await conn.exec(sh`echo up`)).stdout).toBe('up\n')
    const running = conn.exec(sh`sleep 60`)
    await new Promise((r) => setTimeout(r, 300))
    const started = Date.now()
    // A frozen sshd keeps the TCP connection open but answers nothing: a powered-off VM.
    await sshd.signal('SIGSTOP')
    const err = await rejection(running)
    expect(Date.now() - started).toBeLessThan(25_000)
    expect(err.message).toMatch(/connection lost: the host stopped answering keepalives/)
    await rejection(conn.exec(sh`true`))
  }, 40_000)
})
