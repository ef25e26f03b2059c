/**
 * A throwaway OpenSSH server on 127.0.0.1 for integration tests: its own host key, its own
 * client key, its own known_hosts. Needs Debian's openssh-server (and root, for sshd).
 */
import { execFile, spawn, type ChildProcess } from 'node:child_process'
import { existsSync } from 'node:fs'
import { chmod, mkdir, mkdtemp, readFile, readdir, rm, writeFile } from 'node:fs/promises'
import { createServer, connect } from 'node:net'
import { tmpdir, userInfo } from 'node:os'
import { join } from 'node:path'
import { promisify } from 'node:util'
import { fingerprint } from '../../engine/connection/known-hosts.js'
import type { ConnectionSpec } from '../../engine/connection/types.js'

const run = promisify(execFile)
const SSHD = '/usr/sbin/sshd'

export interface Sshd {
  port: number
  /** The user the client key logs in as (the user running the tests). */
  user: string
  /** Private key accepted for `user` (and for every user passed to `authorize`). */
  keyFile: string
  /** A known_hosts file holding `[127.0.0.1]:port` with the server's host key. */
  knownHostsFile: string
  hostKeyFingerprint: string
  dir: string
  /** Lets `user` log in with the same client key (for become tests with other accounts). */
  authorize(user: string): Promise<void>
  /** Sends a signal to sshd and every session process under it (SIGSTOP simulates a vanished host). */
  signal(signal: NodeJS.Signals): Promise<void>
  /** sshd's own log so far (LogLevel VERBOSE), to prove what the server saw. */
  log(): string
  stop(): Promise<void>
}

export async function startSshd(): Promise<Sshd> {
  if (!existsSync(SSHD)) {
    throw new Error(`${SSHD} not found: integration tests need an OpenSSH server; run \`apt-get install -y openssh-server sudo\``)
  }
  // sshd refuses to start without its privilege separation directory.
  await mkdir('/run/sshd', { recursive: true, mode: 0o755 })
  const dir = await mkdtemp(join(tmpdir(), 'tsplay-sshd-'))
  // Other test users' authorized_keys live here and sshd reads them as those users.
  await chmod(dir, 0o755)
  const hostKey = join(dir, 'ssh_host_ed25519_key')
  const keyFile = join(dir, 'client_ed25519')
  await run('ssh-keygen', ['-q', '-t', 'ed25519', '-N', '', '-C', 'tsplay-test-host', '-f', hostKey])
  await run('ssh-keygen', ['-q', '-t', 'ed25519', '-N', '', '-C', 'tsplay-test-client', '-f', keyFile])
  const clientPub = await readFile(`${keyFile}.pub`, 'utf8')
  const keysDir = join(dir, 'authorized_keys')
  await mkdir(keysDir, { mode: 0o755 })
  const authorize = async (user: string): Promise<void> => {
    const file = join(keysDir, user)
    await writeFile(file, clientPub)
    await chmod(file, 0o644)
  }
  const user = userInfo().username
  await authorize(user)

  const port = await freePort()
  const [type, blob] = (await readFile(`${hostKey}.pub`, 'utf8')).trim().split(/\s+/)
  if (!type || !blob) throw new Error('ssh-keygen wrote an unreadable host public key')
  const knownHostsFile = join(dir, 'known_hosts')
  await writeFile(knownHostsFile, `[127.0.0.1]:${port} ${type} ${blob}\n`)

  const config = join(dir, 'sshd_config')
  await writeFile(
    config,
    [
      `Port ${port}`,
      'ListenAddress 127.0.0.1',
      `HostKey ${hostKey}`,
      `PidFile ${join(dir, 'sshd.pid')}`,
      `AuthorizedKeysFile ${keysDir}/%u`,
      'StrictModes no',
      'UsePAM no',
      'PermitRootLogin prohibit-password',
      'PasswordAuthentication yes',
      'KbdInteractiveAuthentication no',
      'MaxSessions 20',
      'LogLevel VERBOSE',
      'Subsystem sftp internal-sftp',
      // Debian's bash reads ~/.bashrc in a session sshd starts (SHLVL unset); the test user's
      // bashrc is this machine's, not the test's (here: pyenv, whose rehash lock, once left behind
      // by a session cut short, made every login wait 60 s). SHLVL=1 tells bash it is nested.
      'SetEnv SHLVL=1',
      '',
    ].join('\n'),
  )

  const child = spawn(SSHD, ['-D', '-e', '-f', config], { stdio: ['ignore', 'ignore', 'pipe'] })
  let log = ''
  child.stderr?.on('data', (chunk: Buffer) => {
    log = (log + chunk.toString('utf8')).slice(-20_000)
  })
  try {
    await waitForPort(port, child, () => log)
  } catch (err) {
    child.kill('SIGKILL')
    await rm(dir, { recursive: true, force: true })
    throw err
  }

  const signal = async (sig: NodeJS.Signals): Promise<void> => {
    if (child.pid === undefined) return
    for (const pid of [...(await descendants(child.pid)), child.pid]) {
      try {
        process.kill(pid, sig)
      } catch {
        // Already gone.
      }
    }
  }
  return {
    port,
    user,
    keyFile,
    knownHostsFile,
    hostKeyFingerprint: fingerprint(Buffer.from(blob, 'base64')),
    dir,
    authorize,
    signal,
    log: () => log,
    async stop() {
      const exited = new Promise((resolve) => (child.exitCode !== null || child.signalCode !== null ? resolve(null) : child.once('exit', resolve)))
      // Per-connection sshd processes detach into their own sessions: kill them by pid too.
      await signal('SIGKILL')
      await exited
      await rm(dir, { recursive: true, force: true })
    },
  }
}

/** A ConnectionSpec that reaches `sshd` as inventory host web1 with its client key and known_hosts. */
export function sshSpec(sshd: Sshd, overrides: Partial<ConnectionSpec> = {}): ConnectionSpec {
  return {
    host: 'web1',
    kind: 'ssh',
    address: '127.0.0.1',
    port: sshd.port,
    user: sshd.user,
    privateKeyFile: sshd.keyFile,
    hostKeyChecking: true,
    knownHostsFiles: [sshd.knownHostsFile],
    connectTimeoutMs: 10_000,
    ...overrides,
  }
}

async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer()
    server.on('error', reject)
    server.listen(0, '127.0.0.1', () => {
      const address = server.address()
      const port = typeof address === 'object' && address ? address.port : 0
      server.close(() => resolve(port))
    })
  })
}

async function waitForPort(port: number, child: ChildProcess, log: () => string): Promise<void> {
  const deadline = Date.now() + 15_000
  while (Date.now() < deadline) {
    if (child.exitCode !== null) throw new Error(`sshd exited with code ${child.exitCode}:\n${log()}`)
    const open = await new Promise<boolean>((resolve) => {
      const socket = connect(port, '127.0.0.1')
      socket.once('connect', () => {
        socket.destroy()
        resolve(true)
      })
      socket.once('error', () => resolve(false))
    })
    if (open) return
    await new Promise((r) => setTimeout(r, 50))
  }
  throw new Error(`sshd did not listen on 127.0.0.1:${port} within 15 s:\n${log()}`)
}

/** All processes below `root`, found through /proc (session processes leave sshd's process group). */
async function descendants(root: number): Promise<number[]> {
  const children = new Map<number, number[]>()
  for (const name of await readdir('/proc')) {
    if (!/^\d+$/.test(name)) continue
    let stat: string
    try {
      stat = await readFile(`/proc/${name}/stat`, 'utf8')
    } catch {
      continue
    }
    // The command name may hold spaces and parentheses; the ppid is the 2nd field after the last ')'.
    const ppid = Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[1])
    children.set(ppid, [...(children.get(ppid) ?? []), Number(name)])
  }
  const found: number[] = []
  const walk = (pid: number): void => {
    for (const child of children.get(pid) ?? []) {
      found.push(child)
      walk(child)
    }
  }
  walk(root)
  return found
}
