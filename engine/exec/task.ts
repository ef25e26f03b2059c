/** Runs one module task on one host: conditions, loop, keywords, delegation, retries, timeout, register, notify. */
import type { FileDiff } from '../diff.js'
import { ConnectError, taskFailureMessage } from '../errors.js'
import type { TaskResultEvent, TaskStatus } from '../events.js'
import { isUndefinedFailure, pythonStr, truthy } from '../expr/index.js'
import type { ModuleOutcome } from '../run-module.js'
import { dataLayer, type VarScope } from '../vars.js'
import type { TaskNode } from '../playbook/types.js'
import type { TaskEnv, TaskOutcome } from './env.js'
import { taskRef, type Frame } from './frame.js'
import type { HostRun } from './hosts.js'
import { effectiveAttrs, noLogBestEffort, taskKeywords, wholeNumber, type EffectiveAttrs, type TaskKeywords } from './keywords.js'
import { itemLoopVars, loopItems, renderedLoopControl } from './loop.js'
import { renderArgs } from './module-args.js'
import { argsWithDefaults } from './module-defaults.js'
import { buildScope } from './scope.js'
import { censor, registerTaskSecrets } from './redact.js'
import { recordOutcome } from './outcome.js'
import { searchPath } from './magic.js'
import { runTaskModule } from './async-task.js'
import { taskRuntime } from './task-runtime.js'
import { withTimeout } from './timeout.js'

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms))

/** One execution's event, with the keywords it ran with (none when it never got that far: skipped, or failed first). */
interface Ran {
  event: TaskResultEvent
  keywords?: TaskKeywords
  /** The host the facts it returned belong to (the delegate, with delegate_facts). */
  factsHost?: HostRun
}

export async function runTask(env: TaskEnv, host: HostRun, node: TaskNode, frame: Frame): Promise<TaskOutcome> {
  const started = Date.now()
  const taskMagic = { ansible_search_path: searchPath(node.role ?? frame.role, node.dir, env.run.playbookDir) }
  const taskVars = node.attrs.vars ? { taskVars: node.attrs.vars } : {}
  const keywords = { connection: node.attrs.connection, remoteUser: node.attrs.remoteUser }
  const baseScope = buildScope(env.vars, host, frame, { ...taskVars, taskMagic, keywords })
  const ref = { ...taskRef(node, frame), ownName: ownName(node, baseScope) }
  const attrs = effectiveAttrs(node, frame)
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
  const task: TaskCall = { env, host, node, frame, attrs, report }
  let items: unknown[] | undefined
  let loopControl = node.attrs.loopControl
  if (node.attrs.loop) {
    try {
      items = loopItems(node.attrs.loop.kind, baseScope.render(node.attrs.loop.value), baseScope, node.moduleName)
      loopControl = renderedLoopControl(loopControl, baseScope)
    } catch (err) {
      // As Ansible: a loop over something undefined is no error when the task's when: skips it.
      // A condition that fails too leaves the loop's error to report, as Ansible's does.
      const skipped = isUndefinedFailure(err) ? attempt(() => falseCondition(node, frame, baseScope)) : undefined
      if (skipped !== undefined) return finish(task, [{ event: report('skipped', { result: skippedResult(skipped) }) }], baseScope)
      const msg = taskFailureMessage(err, node.pos)
      return finish(task, [{ event: report('failed', { msg, result: { failed: true, msg } }) }], baseScope)
    }
  }
  if (!items) return finish(task, [await runOnce(task, baseScope, undefined)], baseScope)
  const runs: Ran[] = []
  // As Ansible's TaskExecutor: each item sees what the items before it registered and set as facts.
  const carried: Record<string, unknown> = {}
  for (const [index, item] of items.entries()) {
    const itemVars = itemLoopVars(loopControl, items, index)
    const loopVars = { ...carried, ...itemVars }
    const scope = buildScope(env.vars, host, frame, { ...taskVars, loopVars, taskMagic, keywords })
    const label = loopLabel(scope, node, item)
    const ran = await runOnce(task, scope, label)
    const event = ran.event
    event.result = { ...event.result, ...itemVars }
    runs.push(ran)
    carryOver(carried, node, event.result)
    env.run.emit({ kind: 'task:item', result: shown(event, ran.keywords?.noLog ?? noLogBestEffort(attrs, scope)) })
    if (event.status === 'unreachable') break
    if (node.attrs.loopControl?.pause) await sleep(node.attrs.loopControl.pause * 1000)
  }
  return finish(task, runs, baseScope, loopEvent(task, runs, items.length))
}

/** set_fact and include_vars give bare variables; other modules' facts are injected as Ansible does by default. */
const CLEAN_FACTS = new Set(['set_fact', 'include_vars'])

/** What an item leaves for the loop's next items: its registered result and the facts it returned (TaskExecutor._execute). */
function carryOver(carried: Record<string, unknown>, node: TaskNode, result: Record<string, unknown>): void {
  if (node.attrs.register) carried[node.attrs.register] = result
  const facts = result['ansible_facts']
  if (!facts || typeof facts !== 'object' || node.module.name === 'debug') return
  Object.assign(carried, facts)
  if (!CLEAN_FACTS.has(node.module.name)) {
    const bare = Object.fromEntries(Object.entries(facts).map(([k, v]) => [k.startsWith('ansible_') ? k.slice(8) : k, v]))
    carried['ansible_facts'] = { ...(carried['ansible_facts'] as Record<string, unknown> | undefined), ...bare }
  }
}

/** What one task on one host is: its node and frame, the attrs it runs with, and how it reports. */
interface TaskCall {
  env: TaskEnv
  host: HostRun
  node: TaskNode
  frame: Frame
  attrs: EffectiveAttrs
  report: (status: TaskStatus, outcome: Partial<ModuleOutcome>, extra?: Partial<TaskResultEvent>) => TaskResultEvent
}

/** The name Ansible's post_validate gives the task: rendered with its variables, as written when that fails. */
function ownName(node: TaskNode, scope: VarScope): string {
  if (!node.name?.includes('{')) return node.name ?? ''
  try {
    return pythonStr(scope.render(node.name))
  } catch {
    return node.name
  }
}

/** The first of the task's conditions (its blocks' first) that is false, or undefined when all hold. */
function falseCondition(node: TaskNode, frame: Frame, scope: VarScope): string | undefined {
  return [...frame.conditions, ...(node.attrs.when ?? [])].find((condition) => !truthy(scope.evaluate(condition)))
}

function attempt<T>(fn: () => T): T | undefined {
  try {
    return fn()
  } catch {
    return undefined
  }
}

function skippedResult(condition: string): Record<string, unknown> {
  return { changed: false, skipped: true, skip_reason: 'Conditional result was False', false_condition: condition }
}

/** A loop's one result from its items' (Ansible's `results`, and its verdict over them). */
function loopEvent(task: TaskCall, runs: Ran[], itemCount: number): TaskResultEvent {
  const itemEvents = runs.map((r) => r.event)
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
  const msg = failedItems.length ? 'One or more items failed' : itemCount === 0 ? 'No items in the list' : 'All items completed'
  const results = itemEvents.map((e) => e.result)
  const result: Record<string, unknown> = { results, changed: status === 'changed', msg, ...(status === 'skipped' ? { skipped: true } : {}), ...(failedItems.length ? { failed: true } : {}) }
  const diff: FileDiff[] = itemEvents.flatMap((e) => e.diff)
  return task.report(status, { result, msg, diff: [] }, { diff: itemEvents.length ? [] : diff })
}

/** One execution (one loop item, or the whole task without a loop), with when, keywords, retries and *_when. */
async function runOnce(task: TaskCall, scope: VarScope, item: string | undefined): Promise<Ran> {
  const { env, host, node, frame, attrs, report } = task
  const extra = item !== undefined ? { item } : {}
  let keywords: TaskKeywords | undefined
  try {
    const skipped = falseCondition(node, frame, scope)
    if (skipped !== undefined) return { event: report('skipped', { result: skippedResult(skipped) }, extra) }
    // As Ansible's post_validate: the keywords are rendered once the task is known to run.
    keywords = taskKeywords(attrs, scope)
    const given = argsWithDefaults(env.run.modules, node.module, node.args, attrs.moduleDefaults, scope)
    const args = { ...given.rendered, ...renderArgs(node.module, given.written, scope) }
    registerTaskSecrets(node.module, given.written, args, keywords.noLog)
    const delegate = attrs.delegateTo
    const target = delegate !== undefined ? env.run.hostRun(String(scope.render(delegate))) : host
    const rt = taskRuntime(env, { host, target, node, frame, attrs, keywords, scope })
    const timeout = keywords.timeout
    const notice = (message: string): void => env.run.emit({ kind: 'log', host: host.name, level: 0, message })
    const until = node.attrs.until
    const retries = until ? (wholeNumber(scope, 'retries', node.attrs.retries) ?? 3) + 1 : 1
    let outcome: ModuleOutcome | undefined
    let attempts = 0
    for (attempts = 1; attempts <= retries; attempts++) {
      // As Ansible, the timeout is each attempt's.
      outcome = applyConditions(await withTimeout(timeout, node.moduleName, (signal) => runTaskModule(node, args, signal ? { ...rt, signal } : rt, scope, notice)), node, scope)
      if (!until || outcome.status === 'skipped') break
      const withResult = node.attrs.register ? scope.with(dataLayer('result', { [node.attrs.register]: outcome.result })) : scope
      if (truthy(withResult.evaluate(until))) break
      if (attempts < retries) {
        // The next attempt must read the host afresh, not the facts cached by this one.
        target.state.factCache.clear()
        // Ansible prints each retry without -v.
        env.run.emit({ kind: 'log', host: host.name, level: 0, message: `FAILED - RETRYING: [${host.name}]: ${node.name ?? node.moduleName} (${retries - attempts} retries left).` })
        await sleep((wholeNumber(scope, 'delay', node.attrs.delay) ?? 5) * 1000)
      } else {
        outcome = { ...outcome, status: 'failed', msg: outcome.msg ?? `until condition '${until}' not met after ${retries} attempts`, result: { ...outcome.result, failed: true } }
      }
    }
    const final = outcome as ModuleOutcome
    // As Ansible 2.14: a task that never met `until` ran retries + 1 times but says `attempts: retries`.
    if (until) final.result = { ...final.result, attempts: attempts > retries ? retries - 1 : attempts }
    const event = report(final.status, final, { ...extra, ...(delegate !== undefined ? { delegatedTo: target.name } : {}) })
    // As Ansible's callback, a module's warnings are shown (they stay in the registered result).
    const warnings = final.result['warnings']
    if (Array.isArray(warnings) && !keywords.noLog) for (const w of warnings) if (typeof w === 'string') env.run.warnOnce(w)
    return { event, keywords, ...(delegate !== undefined && keywords.delegateFacts ? { factsHost: target } : {}) }
  } catch (err) {
    if (err instanceof ConnectError) {
      return { event: report('unreachable', { msg: err.message, result: { unreachable: true, changed: false, msg: err.message } }, extra), ...(keywords ? { keywords } : {}) }
    }
    const msg = taskFailureMessage(err, node.pos)
    return { event: report('failed', { msg, result: { failed: true, changed: false, msg } }, extra), ...(keywords ? { keywords } : {}) }
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

/** What the reporters may see of a result. */
function shown(event: TaskResultEvent, noLog: boolean): TaskResultEvent {
  return noLog ? censor(event) : event
}

/**
 * The keywords that decide the task's verdict, as the last execution rendered them (Ansible reads
 * the last post-validated copy of the task); where none rendered them (skipped, a loop that did not
 * start), the task's scope renders them now, and a template that cannot be rendered counts as off.
 */
function verdictKeywords(task: TaskCall, runs: Ran[], scope: VarScope): Pick<TaskKeywords, 'ignoreErrors' | 'ignoreUnreachable' | 'anyErrorsFatal' | 'noLog'> {
  const last = runs.findLast((r) => r.keywords)?.keywords
  if (last) return last
  try {
    return taskKeywords(task.attrs, scope)
  } catch {
    return { ignoreErrors: false, ignoreUnreachable: false, anyErrorsFatal: false, noLog: noLogBestEffort(task.attrs, scope) }
  }
}

/** Records the outcome (register, set_fact, facts, notify, stats) and reports it. */
function finish(task: TaskCall, runs: Ran[], scope: VarScope, loop?: TaskResultEvent): TaskOutcome {
  const { env, host, node, frame } = task
  const event = loop ?? (runs[0] as Ran).event
  const keywords = verdictKeywords(task, runs, scope)
  if (event.status === 'failed' && keywords.ignoreErrors) event.ignored = true
  if (event.status === 'unreachable' && keywords.ignoreUnreachable) event.ignored = true
  const result = event.result
  const factsHosts = runs.map((r) => r.factsHost?.name)
  const factsHostOf = (index: number): HostRun | undefined => {
    const name = factsHosts[index]
    return name === undefined ? undefined : env.run.hostRun(name)
  }
  if (recordOutcome(host, node, event.status, result, factsHostOf)) env.vars.varsChanged()
  const notify = node.attrs.notify ?? frame.attrs.notify
  if (event.status === 'changed' && notify) env.handlers.notify(host, notify, buildScope(env.vars, host, frame))
  env.stats.record(event, shown(event, keywords.noLog))
  return {
    status: event.status,
    ignored: event.ignored,
    result,
    anyErrorsFatal: keywords.anyErrorsFatal,
    ...(factsHosts.some((h) => h !== undefined) ? { factsHosts } : {}),
    ...(event.msg !== undefined ? { msg: event.msg } : {}),
  }
}
