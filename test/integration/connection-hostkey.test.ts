/** Host keys are checked against known_hosts by default: a stranger or a changed key stops the host. */
import { execFile } from 'node:child_process'
import { createHmac, randomBytes } from 'node:crypto'
import { readFile, writeFile } from 'node:fs/promises'
import { join } from 'node:path'
import { promisify } from 'node:util'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { fingerprint } from '../../engine/connection/known-hosts.js'
import { connectSsh } from '../../engine/connection/ssh.js'
import type { ConnectionSpec } from '../../engine/connection/types.js'
import { ConnectError } from '../../engine/errors.js'
import { sh } from '../../engine/quote.js'
import { sshSpec, startSshd, type Sshd } from '../helpers/sshd.js'

const run = promisify(execFile)
let sshd: Sshd
let hostLine: string // "ssh-ed25519 AAAA..." of the server
let strangerKey: { line: string; fingerprint: string }

beforeAll(async () => {
  sshd = await startSshd()
  hostLine = (await readFile(sshd.knownHostsFile, 'utf8')).trim().split(/\s+/).slice(1).join(' ')
  const file = join(sshd.dir, 'stranger_host_key')
  await run('ssh-keygen', ['-q', '-t', 'ed25519', '-N', '', '-f', file])
  const [type, blob] = (await readFile(`${file}.pub`, 'utf8')).trim().split(/\s+/)
  strangerKey = { line: `${type} ${blob}`, fingerprint: fingerprint(Buffer.from(blob ?? '', 'base64')) }
})
afterAll(async () => {
  await sshd?.stop()
})

async function knownHosts(text: string): Promise<string> {
  const file = join(sshd.dir, `known_hosts_${randomBytes(4).toString('hex')}`)
  await writeFile(file, text)
  return file
}

async function connectsWith(spec: ConnectionSpec): Promise<string> {
  const conn = await connectSsh(spec)
  try {
    return (await conn.exec(sh`echo connected`)).stdout
  } finally {
    await conn.close()
  }
}

async function refusal(spec: ConnectionSpec): Promise<string> {
  const err = await connectSsh(spec).then(
    async (conn) => {
      await conn.close()
      return undefined
    },
    (e: unknown) => e,
  )
  expect(err).toBeInstanceOf(ConnectError)
  return (err as ConnectError).message
}

describe('host key checking', () => {
  it('accepts the key listed for [127.0.0.1]:port', async () => {
    expect(await connectsWith(sshSpec(sshd))).toBe('connected\n')
  })

  it('accepts a hashed entry, and one written for the inventory name', async () => {
    const salt = randomBytes(20)
    const hash = createHmac('sha1', salt).update(`[127.0.0.1]:${sshd.port}`).digest('base64')
    const hashed = await knownHosts(`|1|${salt.toString('base64')}|${hash} ${hostLine}\n`)
    expect(await connectsWith(sshSpec(sshd, { knownHostsFiles: [hashed] }))).toBe('connected\n')
    const byName = await knownHosts(`# comment\n[web1]:${sshd.port} ${hostLine}\n`)
    expect(await connectsWith(sshSpec(sshd, { knownHostsFiles: [byName] }))).toBe('connected\n')
  })

  it('refuses an unknown host and says how to add it', async () => {
    const empty = await knownHosts('')
    const missing = join(sshd.dir, 'no_such_known_hosts')
    const message = await refusal(sshSpec(sshd, { knownHostsFiles: [empty, missing] }))
    expect(message).toBe(
      `host key for web1 (127.0.0.1:${sshd.port}) is not in known_hosts (files checked: ${empty}, ${missing} (missing)); ` +
        `add it with \`ssh-keyscan -p ${sshd.port} 127.0.0.1 >> ~/.ssh/known_hosts\` or run with --no-host-key-checking`,
    )
  })

  it('refuses a CHANGED key, naming both fingerprints, before authenticating', async () => {
    const before = (sshd.log().match(/Accepted publickey/g) ?? []).length
    const changed = await knownHosts(`[127.0.0.1]:${sshd.port} ${strangerKey.line}\n`)
    const message = await refusal(sshSpec(sshd, { knownHostsFiles: [changed] }))
    expect(message).toContain(`host key for web1 (127.0.0.1:${sshd.port}) has CHANGED`)
    expect(message).toContain(`expects ssh-ed25519 ${strangerKey.fingerprint}`)
    expect(message).toContain(`offered ssh-ed25519 ${sshd.hostKeyFingerprint}`)
    expect(message).toContain('Not connecting')
    await new Promise((r) => setTimeout(r, 200))
    expect((sshd.log().match(/Accepted publickey/g) ?? []).length).toBe(before)
  })

  it('refuses a key marked @revoked even when it is also listed as known', async () => {
    const revoked = await knownHosts(`@revoked * ${hostLine}\n[127.0.0.1]:${sshd.port} ${hostLine}\n`)
    expect(await refusal(sshSpec(sshd, { knownHostsFiles: [revoked] }))).toMatch(/is REVOKED/)
  })

  it('connects to an unknown host when checking is turned off', async () => {
    expect(await connectsWith(sshSpec(sshd, { hostKeyChecking: false, knownHostsFiles: [] }))).toBe('connected\n')
  })
})
