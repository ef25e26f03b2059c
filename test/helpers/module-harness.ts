/**
 * The one way tests run a module: against a connection (local by default, SSH, or the fake host
 * of test/helpers/fake-host.ts) without a playbook, on the same validate/plan/apply path the
 * executor takes. `runTestTasks` runs several tasks on one host state as a play does,
 * `runTestModule` one, and `converge` proves a task's check run, real run and re-run agree.
 */
import { mkdtempSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { expect } from 'vitest'
import type { Connection } from '../../engine/connection/types.js'
import { LocalConnection } from '../../engine/connection/local.js'
import type { HostState, TaskRuntime } from '../../engine/module-context.js'
import { renderEjs } from '../../engine/exec/ejs.js'
import { evaluate, MISSING, renderString } from '../../engine/expr/index.js'
import { ModuleRegistry } from '../../engine/registry.js'
import { runModule, type ModuleOutcome } from '../../engine/run-module.js'
import { VarScope } from '../../engine/vars.js'
import { allModules } from '../../modules/index.js'
import { fingerprint } from './fingerprint.js'

export interface HarnessOptions {
  connection?: Connection
  check?: boolean
  diff?: boolean
  vars?: Record<string, unknown>
  facts?: Record<string, unknown>
  /** Where `src:` files and templates are looked up (default: a fresh temp dir). */
  baseDir?: string
  /** Collects -v lines. */
  log?: string[]
}

/** Every module tsplay has, as the CLI hands them to the engine. */
export function defaultModules(): ModuleRegistry {
  return new ModuleRegistry(allModules)
}

export function tempDir(prefix = 'tsplay-test-'): string {
  return mkdtempSync(join(tmpdir(), prefix))
}

/**
 * Runs module tasks in order on one host state, as a play does: facts and check-mode
 * predictions carry from one task to the next, and task i's result is the variable `r<i>`.
 */
/** Runs tasks in order on one host; a task's third element may put that task alone in check mode (check_mode: true). */
export async function runTestTasks(tasks: readonly (readonly [string, Record<string, unknown>, { check?: boolean }?])[], options: HarnessOptions = {}): Promise<ModuleOutcome[]> {
  const connection = options.connection ?? new LocalConnection('localhost')
  const vars: Record<string, unknown> = { ...(options.facts ?? {}), ...(options.vars ?? {}) }
  const scope = { lookup: (n: string) => (n in vars ? vars[n] : MISSING) }
  const host: HostState = { name: connection.host, connect: async () => connection, facts: options.facts ?? {}, factCache: new Map() }
  const baseDir = options.baseDir ?? tempDir()
  const outcomes: ModuleOutcome[] = []
  for (const [name, args, own] of tasks) {
    const mod = defaultModules().find(name)
    if (!mod) throw new Error(`no module ${name}`)
    const rt: TaskRuntime = {
      host,
      check: own?.check ?? options.check ?? false,
      diff: options.diff ?? true,
      task: { name, noLog: false },
      become: undefined,
      vars: { get: (n) => vars[n], has: (n) => n in vars, names: () => Object.keys(vars) },
      evaluate: (expression) => evaluate(expression, scope),
      template: (expression) => renderString(`{{${expression}}}`, scope),
      findControllerFile: (_kind, src) => (src.startsWith('/') ? src : join(baseDir, src)),
      // The engine's own EJS rendering, so template tests prove what a run writes.
      renderTemplate: async (path) => renderEjs(path, new VarScope([{ source: 'test vars', vars }])),
      log: (message) => options.log?.push(message),
    }
    const outcome = await runModule(mod, args, rt)
    vars[`r${outcomes.length}`] = outcome.result
    outcomes.push(outcome)
  }
  return outcomes
}

export async function runTestModule(name: string, args: Record<string, unknown>, options: HarnessOptions = {}): Promise<ModuleOutcome> {
  const [outcome] = await runTestTasks([[name, args]], options)
  if (!outcome) throw new Error('no outcome')
  return outcome
}

export interface Converged {
  check: ModuleOutcome
  real: ModuleOutcome
  again: ModuleOutcome
}

/**
 * Check mode must predict exactly (same changed, nothing written), the real run must do
 * it, and a second real run must find nothing left to do.
 */
export async function converge(name: string, args: Record<string, unknown>, dir: string, options: HarnessOptions = {}): Promise<Converged> {
  const before = fingerprint(dir)
  const check = await runTestModule(name, args, { ...options, check: true })
  expect(fingerprint(dir), 'check mode must not touch the host').toBe(before)
  const real = await runTestModule(name, args, options)
  expect(real.status, JSON.stringify(real.result)).not.toBe('failed')
  expect(check.status, 'check mode predicts what the real run does').toBe(real.status)
  expect(check.diff, 'check mode shows the same diff').toEqual(real.diff)
  const again = await runTestModule(name, args, options)
  expect(again.status, `second run of ${name} must change nothing: ${JSON.stringify(again.diff)}`).toBe('ok')
  return { check, real, again }
}
