/** Runs one module on one host: validate, plan, and (unless in check mode) apply. */
import { validateArgs } from './args.js'
import { createApplyContext, createPlanContext, type TaskRuntime } from './module-context.js'
import type { FileDiff } from './diff.js'
import { ModuleError, TsplayError, errorMessage } from './errors.js'
import type { AnyModule } from './module.js'
import { maskDiff } from './output/mask-diff.js'

export type ModuleStatus = 'ok' | 'changed' | 'failed' | 'skipped'

export interface ModuleOutcome {
  status: ModuleStatus
  msg?: string
  diff: FileDiff[]
  actions: string[]
  /** The value `register:` stores: changed/failed/skipped/msg plus the module's own values. */
  result: Record<string, unknown>
}

export async function runModule(mod: AnyModule, givenArgs: Record<string, unknown>, rt: TaskRuntime): Promise<ModuleOutcome> {
  let args: Record<string, unknown>
  try {
    args = validateArgs(mod, givenArgs, { allowTemplates: false, ...(rt.task.pos ? { pos: rt.task.pos } : {}) })
  } catch (err) {
    return failed(errorMessage(err), {})
  }
  const problem = mod.checkArgs?.(args)
  if (problem !== undefined) return failed(problem, {})
  try {
    const plan = await mod.plan(createPlanContext(rt), args as never)
    const diff = rt.diff ? (plan.diff ?? []) : []
    const actions = plan.actions ?? []
    // As Ansible's modules and action plugins in diff mode: the result carries the diff too (`result.diff | length`).
    const base: Record<string, unknown> = { ...(diff.length && plan.result?.['diff'] === undefined ? { diff: diff.map(ansibleDiff) } : {}), ...(plan.result ?? {}) }
    if (plan.failed !== undefined) return { ...failed(plan.failed, base), diff, actions }
    if (rt.check) for (const command of plan.commands ?? []) rt.log(`would run: ${command.text}`, 4)
    if (rt.check && plan.unknowable !== undefined) {
      return { status: 'skipped', msg: plan.unknowable, diff, actions, result: { ...base, changed: false, skipped: true, msg: plan.unknowable } }
    }
    // A plan may decide the task does not apply at all (debug below its verbosity).
    if (!plan.changed && plan.unknowable === undefined && base['skipped'] === true) {
      return { status: 'skipped', diff, actions, result: { ...base, changed: false } }
    }
    if (rt.check || (!plan.changed && plan.unknowable === undefined)) {
      const status = plan.changed ? 'changed' : 'ok'
      return { status, diff, actions, result: { changed: plan.changed, ...base } }
    }
    if (!mod.apply) throw new TsplayError(`module '${mod.name}' planned a change but has no apply`)
    const applied = (await mod.apply(createApplyContext(rt), args as never, plan.data)) ?? {}
    const changed = typeof applied['changed'] === 'boolean' ? applied['changed'] : true
    return { status: changed ? 'changed' : 'ok', diff, actions, result: { ...base, ...applied, changed } }
  } catch (err) {
    if (err instanceof ModuleError) return failed(err.message, err.result)
    throw err
  }
}

function failed(msg: string, result: Record<string, unknown>): ModuleOutcome {
  return { status: 'failed', msg, diff: [], actions: [], result: { changed: false, ...result, failed: true, msg } }
}

/**
 * A diff as Ansible's results hold one: before/after with their headers. Masked as the printed
 * diff is, since a registered result can be printed whole (`debug: var=result`) and its old side
 * may hold a secret the vault never knew.
 */
function ansibleDiff(diff: FileDiff): Record<string, string> {
  const d = maskDiff(diff)
  return { before: d.before, after: d.after, before_header: d.beforeHeader ?? d.header, after_header: d.afterHeader ?? d.header }
}
