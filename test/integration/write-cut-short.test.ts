/**
 * A copy cut short never replaces the destination (README: "nothing is left half-written").
 * Whatever stops a large copy part-way (tsplay SIGKILLed, Ctrl-C twice, some other signal,
 * the connection dropped), the file is afterwards byte for byte the old one or the new one,
 * and no temporary file is left beside it. Each way is tried RUNS times at random moments
 * of the transfer; the tallies are printed for the record.
 */
import { randomBytes } from 'node:crypto'
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { tsplay } from '../helpers/cli.js'
import { cutMany, describeTally, signal, sleep, transferWindow, type Copying, type Interrupt, type Tally } from '../helpers/cut-short.js'
import { tempDir } from '../helpers/module-harness.js'
import { startRelay, type Relay } from '../helpers/relay.js'
import { startSshd, type Sshd } from '../helpers/sshd.js'

/** Large enough that a transfer takes a good part of a second on a 2-core machine, small enough for 140 runs. */
const SIZE = 50_000_000
const RUNS = 20
const TIMEOUT = 240_000

const PLAYBOOK = `- hosts: all
  gather_facts: false
  tasks:
    - copy: { src: "{{ src }}", dest: "{{ dest }}" }
`

/** Signals a user or the system may send; SIGINT and SIGTERM alone let the task finish, the rest end tsplay at once. */
const SIGNALS: NodeJS.Signals[] = ['SIGKILL', 'SIGTERM', 'SIGINT', 'SIGHUP', 'SIGUSR2', 'SIGALRM', 'SIGPIPE']

let work: string
let src: string
let fresh: Buffer
let old: Buffer
const record: string[] = []

beforeAll(() => {
  work = tempDir('tsplay-cut-')
  src = join(work, 'big.bin')
  fresh = randomBytes(SIZE)
  old = randomBytes(64 * 1024)
  writeFileSync(src, fresh)
  writeFileSync(join(work, 'site.yml'), PLAYBOOK)
})

afterAll(() => {
  // One block for the report, whatever order the runs finished in.
  if (record.length) console.log(`cut-short copies (${SIZE / 1e6} MB):\n  ${record.join('\n  ')}`)
})

function copying(name: string, args: string[]): Copying {
  const dir = join(work, name)
  mkdirSync(dir)
  const dest = join(dir, 'dest.bin')
  return {
    dir,
    dest,
    old,
    fresh,
    start: (onSpawn) => tsplay(['run', 'site.yml', ...args, '-e', `src=${src}`, '-e', `dest=${dest}`], { cwd: work, onSpawn, timeoutMs: 60_000 }),
  }
}

const kill: Interrupt = (pid) => signal(pid, 'SIGKILL')
const twoCtrlC: Interrupt = async (pid) => {
  signal(pid, 'SIGINT')
  await sleep(30)
  signal(pid, 'SIGINT')
}

function anySignal(sent: Map<string, number>): Interrupt {
  return (pid) => {
    const name = SIGNALS[Math.floor(Math.random() * SIGNALS.length)] ?? 'SIGKILL'
    sent.set(name, (sent.get(name) ?? 0) + 1)
    signal(pid, name)
  }
}

function expectOldOrNew(way: string, tally: Tally, detail = ''): void {
  const line = describeTally(way, tally) + detail
  record.push(line)
  console.log(line)
  expect({ other: tally.other, leftovers: tally.leftovers }, line).toEqual({ other: 0, leftovers: 0 })
  // The runs must have hit the transfer, or they prove nothing.
  expect(tally.midTransfer, line).toBeGreaterThan(0)
}

function sentText(sent: Map<string, number>): string {
  return ` [signals: ${[...sent].map(([s, n]) => `${s} x${n}`).join(', ')}]`
}

describe('a copy cut short over the local connection leaves the old file or the new one, never a part', () => {
  let local: Copying
  let window: number
  beforeAll(async () => {
    local = copying('local', ['-i', 'localhost,', '-c', 'local'])
    window = await transferWindow(local)
    record.push(`local transfer window ${window} ms`)
  }, TIMEOUT)

  it(`tsplay SIGKILLed mid-copy, ${RUNS} runs`, async () => {
    expectOldOrNew('local, SIGKILL', await cutMany(local, RUNS, window, kill))
  }, TIMEOUT)

  it(`Ctrl-C twice mid-copy, ${RUNS} runs`, async () => {
    expectOldOrNew('local, SIGINT twice', await cutMany(local, RUNS, window, twoCtrlC))
  }, TIMEOUT)

  it(`a random signal mid-copy, ${RUNS} runs`, async () => {
    const sent = new Map<string, number>()
    expectOldOrNew('local, random signal', await cutMany(local, RUNS, window, anySignal(sent)), sentText(sent))
  }, TIMEOUT)
})

describe('a copy cut short over SSH leaves the old file or the new one, never a part', () => {
  let sshd: Sshd
  let relay: Relay
  let ssh: Copying
  let proxied: Copying
  let window: number
  let proxiedWindow: number

  beforeAll(async () => {
    sshd = await startSshd()
    relay = await startRelay(sshd.port)
    const keyLine = readFileSync(sshd.knownHostsFile, 'utf8').replace(`:${sshd.port} `, `:${relay.port} `)
    const knownHosts = join(work, 'known_hosts')
    writeFileSync(knownHosts, readFileSync(sshd.knownHostsFile, 'utf8') + keyLine)
    const host = (port: number): string => `web1 ansible_host=127.0.0.1 ansible_port=${port} ansible_user=${sshd.user} ansible_ssh_private_key_file=${sshd.keyFile}\n`
    writeFileSync(join(work, 'hosts-ssh'), host(sshd.port))
    writeFileSync(join(work, 'hosts-relay'), host(relay.port))
    ssh = copying('ssh', ['-i', 'hosts-ssh', '--known-hosts', knownHosts])
    proxied = copying('relay', ['-i', 'hosts-relay', '--known-hosts', knownHosts])
    window = await transferWindow(ssh)
    proxiedWindow = await transferWindow(proxied)
    record.push(`ssh transfer window ${window} ms, through the relay ${proxiedWindow} ms`)
  }, TIMEOUT)

  afterAll(async () => {
    await relay?.close()
    await sshd?.stop()
  })

  it(`tsplay SIGKILLed mid-copy, ${RUNS} runs`, async () => {
    expectOldOrNew('ssh, SIGKILL', await cutMany(ssh, RUNS, window, kill))
  }, TIMEOUT)

  it(`Ctrl-C twice mid-copy, ${RUNS} runs`, async () => {
    expectOldOrNew('ssh, SIGINT twice', await cutMany(ssh, RUNS, window, twoCtrlC))
  }, TIMEOUT)

  it(`a random signal mid-copy, ${RUNS} runs`, async () => {
    const sent = new Map<string, number>()
    expectOldOrNew('ssh, random signal', await cutMany(ssh, RUNS, window, anySignal(sent)), sentText(sent))
  }, TIMEOUT)

  it(`the connection dropped mid-copy, ${RUNS} runs`, async () => {
    expectOldOrNew('ssh, connection cut', await cutMany(proxied, RUNS, proxiedWindow, () => relay.cut()))
  }, TIMEOUT)
})
