/**
 * One lab shared by the lab test files (test/fixtures/lab/inventory). Each file takes a lease
 * before `lab up` and gives it back after its tests; the last one out runs `lab down`, so the
 * hosts go away even when tests fail. .ci/run's trap (scripts/lab-teardown.sh) catches a crash.
 * Without docker, `lab up` fails and so does every test of the file: lab tests never skip.
 *
 * Files of one vitest run share the lab (each uses its own hosts). Two runs at once (two people
 * running `npm test` on one machine) would stop and replace each other's hosts: a lease names its
 * run, and a run waits until no other run holds the lab.
 */
import { mkdirSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { setTimeout as sleep } from 'node:timers/promises'
import { afterAll, beforeAll, expect } from 'vitest'
import { withLock } from '../../engine/lab/lock.js'
import { LAB_VAULT_SECRET } from '../../engine/lab/state.js'
import { setVaultSecrets, vaultSecrets } from '../../engine/vault/keyring.js'
import { loadYamlFileSync } from '../../engine/yaml.js'
import { ROOT, tsplay, type CliResult } from '../helpers/cli.js'

export const LAB_DIR = join(ROOT, 'test', 'fixtures', 'lab')
export const LAB_INVENTORY = join(LAB_DIR, 'inventory')
export const LAB_STATE = join(LAB_INVENTORY, '.lab')
export const NETWORK = 'tsplay-lab-test'
export const ADDRESSES: Record<string, string> = {
  'lab-a': '198.18.1.11',
  'lab-b': '198.18.1.12',
  'lab-c': '198.18.1.13',
  'lab-d': '198.18.1.14',
  'lab-e': '198.18.1.15',
  'lab-f': '198.18.1.16',
}

/** Lab commands may build the image first (about a minute or two, once per machine). */
const UP_TIMEOUT_MS = 15 * 60_000
/** How long a run waits for another run's lab tests to finish. */
const WAIT_FOR_OTHER_RUN_MS = 30 * 60_000
/** The vitest run this file belongs to: its worker processes share the parent. */
const RUN = String(process.ppid)
const LEASE = `${RUN}-${process.pid}`

export function container(host: string): string {
  return `${NETWORK}-${host}`
}

/** Runs `tsplay lab SUBCOMMAND ...` (-i goes first: `lab ssh` passes what follows `--` on). */
export function lab([subcommand = '', ...rest]: string[], inventory = LAB_INVENTORY, timeoutMs = UP_TIMEOUT_MS): Promise<CliResult> {
  return tsplay(['lab', subcommand, '-i', inventory, ...rest], { timeoutMs })
}

/** Replaces a lab's hosts matching a pattern by new ones (`lab up --fresh`), as a test that needs hosts that never ran its roles does first. */
export async function freshHosts(pattern: string, inventory: string): Promise<void> {
  const up = await lab(['up', '--fresh', pattern], inventory)
  expect(up.code, `tsplay lab up --fresh ${pattern} failed; lab tests need docker (bash scripts/setup.sh):\n${up.stdout}\n${up.stderr}`).toBe(0)
}

/** Registers the lab's lifetime around the calling test file; another lab inventory may be given. */
export function useLab(inventory = LAB_INVENTORY): void {
  const leases = join(inventory, '.lab-leases')
  const lock = join(inventory, '.lab-leases.lock')
  beforeAll(async () => {
    const deadline = Date.now() + WAIT_FOR_OTHER_RUN_MS
    for (;;) {
      const taken = await withLock(lock, 'the lab leases', async () => {
        mkdirSync(leases, { recursive: true })
        if (liveLeases(leases).some((l) => !l.startsWith(`${RUN}-`))) return false
        writeFileSync(join(leases, LEASE), '')
        return true
      })
      if (taken) break
      if (Date.now() > deadline) throw new Error(`another test run holds the lab ${inventory} (leases in ${leases})`)
      await sleep(2_000)
    }
    const up = await lab(['up'], inventory)
    expect(up.code, `tsplay lab up failed; lab tests need docker (bash scripts/setup.sh):\n${up.stdout}\n${up.stderr}`).toBe(0)
  }, WAIT_FOR_OTHER_RUN_MS + UP_TIMEOUT_MS)

  afterAll(async () => {
    await withLock(lock, 'the lab leases', async () => {
      rmSync(join(leases, LEASE), { force: true })
      if (liveLeases(leases).length) return
      const down = await lab(['down'], inventory)
      expect(down.code, `tsplay lab down failed:\n${down.stderr}`).toBe(0)
    })
  }, 120_000)
}

/** Leases (RUN-PID) of test processes still alive: a crashed one does not hold the lab forever. */
function liveLeases(dir: string): string[] {
  return readdirSync(dir).filter((name) => {
    const pid = Number(name.split('-')[1])
    if (!Number.isInteger(pid) || pid === process.pid) return false
    try {
      process.kill(pid, 0)
      return true
    } catch {
      rmSync(join(dir, name), { force: true })
      return false
    }
  })
}

export function knownHosts(): Map<string, string> {
  const text = readFileSync(join(LAB_STATE, 'known_hosts'), 'utf8')
  return new Map(text.trim().split('\n').map((line) => {
    const [address = '', ...key] = line.split(' ')
    return [address, key.join(' ')]
  }))
}

/** What `tsplay test` reports when every step of a role's test passed. */
export const ALL_STEPS_PASSED = ['converge: passed', 'idempotence: passed', 'check: passed', 'verify: passed']

/** `tsplay test ROLE` on a lab's hosts: each step as "name: status (reason)"; what it printed goes to `outputs`. */
export async function roleTestSteps(role: string, inventory: string, hosts: string, outputs: string[], extra: string[] = []): Promise<string[]> {
  const r = await tsplay(['test', join(ROOT, 'roles', role), '-i', inventory, '--hosts', hosts, '--json', ...extra], { timeoutMs: 600_000 })
  outputs.push(r.stdout, r.stderr)
  const report = JSON.parse(r.stdout) as { steps: { name: string; status: string; reason?: string }[] }
  return report.steps.map((s) => `${s.name}: ${s.status}${s.reason ? ` (${s.reason})` : ''}`)
}

/** The values of a lab inventory's group_vars file: its lab-only passwords, which no output may show (vaulted with the lab's password or not). */
export function groupVarValues(inventory: string, group: string): string[] {
  if (!vaultSecrets().includes(LAB_VAULT_SECRET)) setVaultSecrets([...vaultSecrets(), LAB_VAULT_SECRET])
  return Object.values(loadYamlFileSync(join(inventory, 'group_vars', `${group}.yml`)) as Record<string, string>)
}
