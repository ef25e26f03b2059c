/** Runs one module task on one host: conditions, loop, become, delegation, retries, register, notify. */
import { becomeMethodName, isBecomeMethod, unsupportedMethodMessage } from '../connection/become.js'
import type { Become } from '../connection/types.js'
import type { TaskRuntime } from '../module-context.js'
import type { FileDiff } from '../diff.js'
import { ConnectError, TsplayError, taskFailureMessage } from '../errors.js'
import type { TaskResultEvent, TaskStatus } from '../events.js'
import { pythonStr, truthy } from '../expr/index.js'
import type { ModuleOutcome } from '../run-module.js'
import { dataLayer, type VarScope } from '../vars.js'
import type { TaskNode } from '../playbook/types.js'
import type { TaskEnv, TaskOutcome } from './env.js'
import { taskRef, type Frame } from './frame.js'
import type { HostRun } from './hosts.js'
import { extendedLoopVars, loopItems } from './loop.js'
import { renderArgs } from './module-args.js'
import { buildScope } from './scope.js'
import { findControllerFile } from './files.js'
import { censor, registerPasswordVars, registerTaskSecrets } from './redact.js'
import { renderTemplateFile } from './jinja-file.js'
import { recordOutcome } from './outcome.js'
import { searchPath } from './magic.js'
import { runTaskModule } from './async-task.js'

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms))
const noLogOf = (node: TaskNode, frame: Frame): boolean => node.attrs.noLog ?? frame.attrs.noLog ?? false

export async function runTask(env: TaskEnv, host: HostRun, node: TaskNode, frame: Frame): Promise<TaskOutcome> {
  const started = Date.now()
  const ref = taskRef(node, frame)
  // The event carries the real result; finish() and the loop censor what they emit (no_log).
  const report = (status: TaskStatus, outcome: Partial<ModuleOutcome>, extra: Partial<TaskResultEvent> = {}): TaskResultEvent => ({
    kind: 'task:result',
    task: ref,
    host: host.name,
    status,
    ignored: false,
    diff: outcome.diff ?? [],
    actions: outcome.actions ?? [],
    result: outcome.result ?? {},
    durationMs: Date.now() - started,
    ...(outcome.msg !== undefined ? { msg: outcome.msg } : {}),
    ...extra,
  })
  const taskMagic = { ansible_search_path: searchPath(node.role ?? frame.role, node.dir, env.run.playbookDir) }
  const taskVars = node.attrs.vars ? { taskVars: node.attrs.vars } : {}
  const baseScope = buildScope(env.vars, host, frame, { ...taskVars, taskMagic })
  let items: unknown[] | undefined
  if (node.attrs.loop) {
    try {
      items = loopItems(node.attrs.loop.kind, baseScope.render(node.attrs.loop.value), baseScope, node.moduleName)
    } catch (err) {
      const msg = taskFailureMessage(err, node.pos)
      return finish(env, host, node, frame, report('failed', { msg, result: { failed: true, msg } }))
    }
  }
  if (!items) {
    const event = await runOnce(env, host, node, frame, baseScope, report, undefined)
    return finish(env, host, node, frame, event)
  }
  const loopVar = node.attrs.loopControl?.loopVar ?? 'item'
  const results: Record<string, unknown>[] = []
  const itemEvents: TaskResultEvent[] = []
  for (const [index, item] of items.entries()) {
    const loopVars: Record<string, unknown> = { [loopVar]: item, ansible_loop_var: loopVar }
    if (node.attrs.loopControl?.indexVar) loopVars[node.attrs.loopControl.indexVar] = index
    if (node.attrs.loopControl?.extended) loopVars['ansible_loop'] = extendedLoopVars(items, index)
    const scope = buildScope(env.vars, host, frame, { ...taskVars, loopVars, taskMagic })
    const label = loopLabel(scope, node, item)
    const event = await runOnce(env, host, node, frame, scope, report, label)
    event.result = { ...event.result, [loopVar]: item, ansible_loop_var: loopVar, ...(node.attrs.loopControl?.indexVar ? { [node.attrs.loopControl.indexVar]: index } : {}) }
    results.push(event.result)
    itemEvents.push(event)
    env.run.emit({ kind: 'task:item', result: shown(node, frame, event) })
    if (event.status === 'unreachable') break
    if (node.attrs.loopControl?.pause) await sleep(node.attrs.loopControl.pause * 1000)
  }
  const failedItems = itemEvents.filter((e) => e.status === 'failed')
  const status: TaskStatus = itemEvents.some((e) => e.status === 'unreachable')
    ? 'unreachable'
    : failedItems.length
      ? 'failed'
      : itemEvents.length > 0 && itemEvents.every((e) => e.status === 'skipped')
        ? 'skipped'
        : itemEvents.some((e) => e.status === 'changed')
          ? 'changed'
          : itemEvents.length === 0
            ? 'skipped'
            : 'ok'
  const msg = failedItems.length ? 'One or more items failed' : items.length === 0 ? 'No items in the list' : 'All items completed'
  const result: Record<string, unknown> = { results, changed: status === 'changed', msg, ...(status === 'skipped' ? { skipped: true } : {}), ...(failedItems.length ? { failed: true } : {}) }
  const diff: FileDiff[] = itemEvents.flatMap((e) => e.diff)
  return finish(env, host, node, frame, report(status, { result, msg, diff: [] }, { diff: itemEvents.length ? [] : diff }))
}

/** retries or delay, a whole number or a template rendered here. */
function wholeNumber(scope: VarScope, key: string, value: number | string): number {
  if (typeof value === 'number') return value
  const rendered = scope.render(value)
  const n = typeof rendered === 'number' ? rendered : /^\s*\d+\s*$/.test(String(rendered)) ? Number(rendered) : NaN
  if (!Number.isInteger(n) || n < 0) throw new Error(`'${key}' must render to a whole number, got '${String(rendered)}' from '${value}'`)
  return n
}

/** One execution (one loop item, or the whole task without a loop), with when, retries and *_when. */
async function runOnce(
  env: TaskEnv,
  host: HostRun,
  node: TaskNode,
  frame: Frame,
  scope: VarScope,
  report: (status: TaskStatus, outcome: Partial<ModuleOutcome>, extra?: Partial<TaskResultEvent>) => TaskResultEvent,
  item: string | undefined,
): Promise<TaskResultEvent> {
  const extra = item !== undefined ? { item } : {}
  try {
    for (const condition of [...frame.conditions, ...(node.attrs.when ?? [])]) {
      if (!truthy(scope.evaluate(condition))) {
        const result = { changed: false, skipped: true, skip_reason: 'Conditional result was False', false_condition: condition }
        return report('skipped', { result }, extra)
      }
    }
    const args = renderArgs(node.module, node.args, scope)
    registerTaskSecrets(node.module, node.args, args, noLogOf(node, frame))
    const delegate = node.attrs.delegateTo ?? frame.attrs.delegateTo
    const target = delegate !== undefined ? env.run.hostRun(String(scope.render(delegate))) : host
    const rt = taskRuntime(env, host, target, node, frame, scope)
    const notice = (message: string): void => env.run.emit({ kind: 'log', host: host.name, level: 0, message })
    const until = node.attrs.until
    const retries = until ? wholeNumber(scope, 'retries', node.attrs.retries ?? 3) + 1 : 1
    let outcome: ModuleOutcome | undefined
    let attempts = 0
    for (attempts = 1; attempts <= retries; attempts++) {
      outcome = applyConditions(await runTaskModule(node, args, rt, scope, notice), node, scope)
      if (!until || outcome.status === 'skipped') break
      const withResult = node.attrs.register ? scope.with(dataLayer('result', { [node.attrs.register]: outcome.result })) : scope
      if (truthy(withResult.evaluate(until))) break
      if (attempts < retries) {
        // The next attempt must read the host afresh, not the facts cached by this one.
        target.state.factCache.clear()
        // Ansible prints each retry without -v.
        env.run.emit({ kind: 'log', host: host.name, level: 0, message: `FAILED - RETRYING: [${host.name}]: ${node.name ?? node.moduleName} (${retries - attempts} retries left).` })
        await sleep(wholeNumber(scope, 'delay', node.attrs.delay ?? 5) * 1000)
      } else {
        outcome = { ...outcome, status: 'failed', msg: outcome.msg ?? `until condition '${until}' not met after ${retries} attempts`, result: { ...outcome.result, failed: true } }
      }
    }
    const final = outcome as ModuleOutcome
    // As Ansible 2.14: a task that never met `until` ran retries + 1 times but says `attempts: retries`.
    if (until) final.result = { ...final.result, attempts: attempts > retries ? retries - 1 : attempts }
    return report(final.status, final, { ...extra, ...(delegate !== undefined ? { delegatedTo: target.name } : {}) })
  } catch (err) {
    if (err instanceof ConnectError) {
      return report('unreachable', { msg: err.message, result: { unreachable: true, changed: false, msg: err.message } }, extra)
    }
    const msg = taskFailureMessage(err, node.pos)
    return report('failed', { msg, result: { failed: true, changed: false, msg } }, extra)
  }
}

/** changed_when / failed_when replace the module's own verdict, as in Ansible. */
function applyConditions(outcome: ModuleOutcome, node: TaskNode, scope: VarScope): ModuleOutcome {
  const { changedWhen, failedWhen, register } = node.attrs
  if ((!changedWhen && !failedWhen) || outcome.status === 'skipped') return outcome
  const withResult = scope.with(dataLayer('result', { ...outcome.result, ...(register ? { [register]: outcome.result } : {}) }))
  const result = { ...outcome.result }
  let status = outcome.status
  if (changedWhen) {
    const changed = changedWhen.every((c) => truthy(withResult.evaluate(c)))
    result['changed'] = changed
    if (status !== 'failed') status = changed ? 'changed' : 'ok'
  }
  if (failedWhen) {
    const failed = failedWhen.every((c) => truthy(withResult.evaluate(c)))
    result['failed'] = failed
    result['failed_when_result'] = failed
    if (failed) status = 'failed'
    else if (status === 'failed') status = result['changed'] ? 'changed' : 'ok'
  }
  const msg = status === 'failed' ? (outcome.msg ?? `failed_when condition was true: ${failedWhen?.join(' and ')}`) : outcome.msg
  return { ...outcome, status, result, ...(msg !== undefined ? { msg } : {}) }
}

function loopLabel(scope: VarScope, node: TaskNode, item: unknown): string {
  const label = node.attrs.loopControl?.label
  if (label !== undefined) {
    try {
      return pythonStr(scope.render(label))
    } catch {
      return label
    }
  }
  // The default callback writes `(item=%s)`: Python's str() of the item.
  return pythonStr(item)
}

function taskRuntime(env: TaskEnv, host: HostRun, target: HostRun, node: TaskNode, frame: Frame, scope: VarScope): TaskRuntime {
  registerPasswordVars((name) => (scope.has(name) ? scope.get(name) : undefined))
  const attrs = { ...frame.attrs, ...definedAttrs(node) }
  const check = attrs.checkMode ?? env.run.options.check
  const environment = attrs.environment !== undefined ? scope.render(attrs.environment) : undefined
  const rt: TaskRuntime = {
    host: target.state,
    check,
    diff: attrs.diff ?? env.run.options.diff,
    task: { name: node.name ?? node.moduleName, pos: node.pos, noLog: attrs.noLog ?? false },
    become: becomeFor(env, scope, attrs),
    vars: scope,
    evaluate: (expression) => scope.evaluate(expression),
    findControllerFile: (kind, src) => findControllerFile(env.run.playbookDir, node, frame, kind, src),
    renderTemplate: async (path, options) => renderTemplateFile(path, scope, options),
    // Under no_log the detail lines (the commands run, at -vvvv) would show what the task hides.
    log: (message, level) => (attrs.noLog ? undefined : env.run.emit({ kind: 'log', host: host.name, level, message })),
  }
  if (environment && typeof environment === 'object') rt.environment = Object.fromEntries(Object.entries(environment).map(([k, v]) => [k, String(v)]))
  return rt
}

function definedAttrs(node: TaskNode): Partial<Frame['attrs']> {
  const { when: _w, tags: _t, vars: _v, register: _r, notify: _n, listen: _l, changedWhen: _c, failedWhen: _f, until: _u, retries: _re, delay: _d, loop: _lo, loopControl: _lc, ...rest } = node.attrs
  return Object.fromEntries(Object.entries(rest).filter(([, v]) => v !== undefined))
}

/** Connection variables beat keywords, keywords beat the command line: Ansible's order. */
function becomeFor(env: TaskEnv, scope: VarScope, attrs: Frame['attrs']): Become | undefined {
  const opts = env.run.options
  const fromVar = (name: string): unknown => (scope.has(name) ? scope.get(name) : undefined)
  const becomeVar = fromVar('ansible_become')
  const become = becomeVar !== undefined ? truthy(becomeVar) && String(becomeVar).toLowerCase() !== 'false' : (attrs.become ?? opts.become)
  if (!become) return undefined
  // Keywords may be templated (`become_user: "{{ app_user }}"`); variables are rendered by the scope.
  const keyword = (value: string | undefined): unknown => (value === undefined ? undefined : scope.render(value))
  const method = becomeMethodName(String(fromVar('ansible_become_method') ?? keyword(attrs.becomeMethod) ?? opts.becomeMethod ?? 'sudo'))
  // Checked before anything runs on the host: another method done with sudo would be a silent wrong result.
  if (!isBecomeMethod(method)) throw new TsplayError(unsupportedMethodMessage(method))
  const user = String(fromVar('ansible_become_user') ?? keyword(attrs.becomeUser) ?? opts.becomeUser ?? 'root')
  const password = fromVar('ansible_become_password') ?? fromVar('ansible_become_pass') ?? opts.becomePassword
  const flags = String(fromVar('ansible_become_flags') ?? keyword(attrs.becomeFlags) ?? '').split(/\s+/).filter(Boolean)
  return { user, method, ...(password !== undefined ? { password: String(password) } : {}), ...(flags.length ? { flags } : {}) }
}

/** What the reporters may see of a result. */
function shown(node: TaskNode, frame: Frame, event: TaskResultEvent): TaskResultEvent {
  return noLogOf(node, frame) ? censor(event) : event
}

/** Records the outcome (register, set_fact, facts, notify, stats) and reports it. */
function finish(env: TaskEnv, host: HostRun, node: TaskNode, frame: Frame, event: TaskResultEvent): TaskOutcome {
  const attrs = { ...frame.attrs, ...definedAttrs(node) }
  if (event.status === 'failed' && attrs.ignoreErrors) event.ignored = true
  if (event.status === 'unreachable' && attrs.ignoreUnreachable) event.ignored = true
  const result = event.result
  if (recordOutcome(host, node, event.status, result)) env.vars.varsChanged()
  if (event.status === 'changed' && node.attrs.notify) env.handlers.notify(host, node.attrs.notify, buildScope(env.vars, host, frame))
  env.stats.record(event, shown(node, frame, event))
  return { status: event.status, ignored: event.ignored, result, ...(event.msg !== undefined ? { msg: event.msg } : {}) }
}
