/**
 * `tsplay test` on lab hosts: a role that converges and verifies passes; a role that is not
 * idempotent, one whose verify fails and one that writes in check mode are failures naming the
 * step and the task. All on lab-e, which no other lab test file uses.
 */
import { join } from 'node:path'
import { describe, expect, it } from 'vitest'
import { tsplay, type CliResult } from '../helpers/cli.js'
import { LAB_DIR, LAB_INVENTORY, useLab } from './harness.js'

useLab()

interface Report {
  target: { kind: string; name: string }
  passed: boolean
  failedStep?: string
  exitCode: number
  steps: { name: string; status: string; reason?: string; tasks: { task: string; host: string; status: string }[] }[]
}

async function test(target: string, extra: string[] = []): Promise<CliResult & { report: Report }> {
  const r = await tsplay(['test', target, '-i', LAB_INVENTORY, '--hosts', 'roles', '--json', ...extra], { cwd: LAB_DIR, timeoutMs: 180_000 })
  try {
    return { ...r, report: JSON.parse(r.stdout) as Report }
  } catch {
    throw new Error(`tsplay test printed no JSON (exit ${r.code}):\n${r.stdout}\n${r.stderr}`)
  }
}

const stepStatuses = (report: Report): Record<string, string> => Object.fromEntries(report.steps.map((s) => [s.name, s.status]))

describe('tsplay test', () => {
  it('passes a role that converges, is idempotent, predicts nothing in check mode and verifies', async () => {
    const r = await test('converges')
    expect(r.code, r.stdout).toBe(0)
    expect(r.report).toMatchObject({ passed: true, target: { kind: 'role', name: 'converges' } })
    expect(stepStatuses(r.report)).toEqual({ converge: 'passed', idempotence: 'passed', check: 'passed', verify: 'passed' })
  })

  it('fails a role that changes the host again on its second run, naming the task', async () => {
    const r = await test('roles/not-idempotent')
    expect(r.code).toBe(2)
    expect(r.report).toMatchObject({ passed: false, failedStep: 'idempotence' })
    expect(stepStatuses(r.report)).toEqual({ converge: 'passed', idempotence: 'failed', check: 'not run', verify: 'not run' })
    const step = r.report.steps[1]
    expect(step?.tasks).toEqual([{ task: 'not-idempotent : append a line on every run', host: 'lab-e', status: 'changed' }])
    expect(step?.reason).toMatch(/not idempotent.*"not-idempotent : append a line on every run" changed on lab-e/)
  })

  it("fails a role whose verify does not hold, with the assertion's message", async () => {
    const r = await test(join(LAB_DIR, 'roles', 'verify-fails'))
    expect(r.code).toBe(2)
    expect(r.report).toMatchObject({ passed: false, failedStep: 'verify' })
    expect(stepStatuses(r.report)).toEqual({ converge: 'passed', idempotence: 'passed', check: 'passed', verify: 'failed' })
    expect(r.report.steps[3]?.reason).toMatch(/"the motd says goodbye" failed on lab-e \(the motd says hello\)/)
  })

  it('fails a role that writes to the host in check mode, naming the file', async () => {
    const r = await test('writes-in-check')
    expect(r.code).toBe(2)
    expect(r.report).toMatchObject({ passed: false, failedStep: 'check' })
    expect(r.report.steps[2]?.reason).toMatch(/check mode wrote to the hosts: lab-e: \/etc\/tsplay-writes-in-check\.stamp/)
  })

  it('tests a playbook with the verify tasks beside it', async () => {
    const r = await test('playbooks/site.yml')
    expect(r.code, r.stdout).toBe(0)
    expect(r.report.target.kind).toBe('playbook')
    expect(stepStatuses(r.report)).toEqual({ converge: 'passed', idempotence: 'passed', check: 'passed', verify: 'passed' })
  })

  it('prints a summary that says which step failed and why', async () => {
    const r = await tsplay(['test', 'not-idempotent', '-i', LAB_INVENTORY, '--hosts', 'roles'], { cwd: LAB_DIR, timeoutMs: 180_000 })
    expect(r.code).toBe(2)
    expect(r.stdout).toMatch(/TEST \[converge: apply it\]/)
    expect(r.stdout).toMatch(/idempotence\s+FAILED .*append a line on every run/)
    expect(r.stdout).toMatch(/check\s+not run/)
    expect(r.stdout).toMatch(/tsplay test: role not-idempotent FAILED at idempotence/)
  })

  it('refuses what is neither a role nor a playbook, before contacting any host', async () => {
    const r = await tsplay(['test', 'no-such-role', '-i', LAB_INVENTORY], { cwd: LAB_DIR })
    expect(r.code).toBe(1)
    expect(r.stderr).toMatch(/'no-such-role' is neither a playbook file nor a role/)
  })
})
