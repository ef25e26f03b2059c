/** Facts gathered from a real host in one command, over SSH and locally. */
import { readFile } from 'node:fs/promises'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { LocalConnection } from '../../engine/connection/local.js'
import { connectSsh } from '../../engine/connection/ssh.js'
import type { Connection, ExecOptions } from '../../engine/connection/types.js'
import type { HostFacts } from '../../engine/facts/parse.js'
import type { ShellCommand } from '../../engine/quote.js'
import { runTestModule } from '../helpers/module-harness.js'
import { sshSpec, startSshd, type Sshd } from '../helpers/sshd.js'

let sshd: Sshd
let ssh: Connection

beforeAll(async () => {
  sshd = await startSshd()
  ssh = await connectSsh(sshSpec(sshd))
})
afterAll(async () => {
  await ssh?.close()
  await sshd?.stop()
})

/** Wraps a connection to count round trips. */
function counting(inner: Connection): Connection & { calls: number } {
  const conn = {
    host: inner.host,
    kind: inner.kind,
    calls: 0,
    exec(command: ShellCommand, options?: ExecOptions) {
      conn.calls++
      return inner.exec(command, options)
    },
    close: () => inner.close(),
  }
  return conn
}

/** Facts as a play gathers them: the setup module on the connection. */
async function gatherFacts(conn: Connection): Promise<HostFacts> {
  const outcome = await runTestModule('setup', {}, { connection: conn })
  expect(outcome.status).toBe('ok')
  return (outcome.result as { ansible_facts: HostFacts }).ansible_facts
}

function expectWellTyped(facts: HostFacts): void {
  expect(facts.ansible_system).toBe('Linux')
  for (const key of ['ansible_distribution', 'ansible_os_family', 'ansible_distribution_major_version', 'ansible_hostname', 'ansible_kernel', 'ansible_architecture', 'ansible_pkg_mgr', 'ansible_service_mgr'] as const) {
    expect(typeof facts[key], key).toBe('string')
    expect(facts[key], key).not.toBe('')
  }
  for (const key of ['ansible_processor_vcpus', 'ansible_memtotal_mb', 'ansible_memfree_mb', 'ansible_user_uid'] as const) {
    expect(Number.isInteger(facts[key]), key).toBe(true)
  }
  expect(facts.ansible_processor_vcpus).toBeGreaterThan(0)
  expect(facts.ansible_memtotal_mb).toBeGreaterThan(0)
  expect(Array.isArray(facts.ansible_all_ipv4_addresses)).toBe(true)
  expect(facts.ansible_all_ipv4_addresses.some((a) => a.startsWith('127.'))).toBe(false)
  expect(facts.ansible_interfaces).toContain('lo')
  expect(Number(facts.ansible_date_time.epoch)).toBeGreaterThan(1_600_000_000)
  expect(facts.ansible_date_time.iso8601).toMatch(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ$/)
  expect(typeof facts.ansible_env.PATH).toBe('string')
}

describe('gathering facts', () => {
  it('costs exactly one command over SSH and describes this Debian host', async () => {
    const conn = counting(ssh)
    const facts = await gatherFacts(conn)
    expect(conn.calls).toBe(1)
    expectWellTyped(facts)
    const osRelease = await readFile('/etc/os-release', 'utf8')
    if (/^ID=debian$/m.test(osRelease)) {
      expect(facts).toMatchObject({ ansible_distribution: 'Debian', ansible_os_family: 'Debian', ansible_pkg_mgr: 'apt' })
    }
    expect(facts.ansible_user_id).toBe(sshd.user)
    // sshd logs in with the user's own environment, not ours.
    expect(facts.ansible_env.SSH_CONNECTION).toMatch(/^127\.0\.0\.1 \d+ 127\.0\.0\.1 \d+$/)
  })

  it('finds the default route interface when the host has one', async () => {
    const facts = await gatherFacts(ssh)
    const route = await readFile('/proc/net/route', 'utf8')
    if (!/^\S+\t00000000\t/m.test(route)) return // no default route in this sandbox
    const ipv4 = facts.ansible_default_ipv4
    expect(typeof ipv4.interface).toBe('string')
    expect(facts.ansible_interfaces).toContain(ipv4.interface)
    expect(ipv4.address).toMatch(/^\d+\.\d+\.\d+\.\d+$/)
    expect(facts.ansible_all_ipv4_addresses).toContain(ipv4.address)
  })

  it('gives the same answers locally as over SSH to the same machine', async () => {
    const conn = counting(new LocalConnection('localhost'))
    const [local, remote] = [await gatherFacts(conn), await gatherFacts(ssh)]
    expect(conn.calls).toBe(1)
    expectWellTyped(local)
    for (const key of ['ansible_hostname', 'ansible_distribution', 'ansible_distribution_version', 'ansible_kernel', 'ansible_processor_vcpus', 'ansible_memtotal_mb', 'ansible_default_ipv4', 'ansible_interfaces'] as const) {
      expect(local[key], key).toEqual(remote[key])
    }
  })
})
