/**
 * Builds the contexts a module's plan and apply receive. The plan context is made
 * without any writing function, so check mode cannot change a host by construction.
 *
 * Two ways to run a command, on each context: one that must succeed (`read` in plan, `run` in
 * apply), whose non-zero exit throws one CommandError carrying the command, rc, stdout, stderr
 * and signal, and one whose exit code is the module's to read (`probe` in plan, `exec` in
 * apply: `command` itself, `test -d`, `systemctl is-active`).
 */
import type { Become, Connection, ExecOptions, ExecResult } from './connection/types.js'
import { CommandAbortedError } from './connection/session.js'
import { CommandError } from './errors.js'
import type { ApplyContext, FactDef, PlanContext, RunOptions, TaskInfo, VarsView, WriteOptions } from './module.js'
import type { ShellCommand } from './quote.js'
import type { TemplateFileOptions } from './exec/jinja-options.js'
import { writeFileAtomic } from './files/write.js'

/** Per-host state that lives for the whole run. */
export interface HostState {
  name: string
  /** Opens the connection on first use and reuses it. */
  connect(): Promise<Connection>
  facts: Record<string, unknown>
  /** Cached fact results; cleared after every apply on the host. */
  factCache: Map<string, Promise<unknown>>
  /** The cache holds a check-mode task's predictions: a task that really runs must not plan against them. */
  predicted?: boolean
  /** Async jobs the controller runs itself on this host (engine/exec/async-start.ts): the connection stays open until they end. */
  jobs?: Set<Promise<void>>
}

/** Everything one task on one host needs from the executor. */
export interface TaskRuntime {
  host: HostState
  check: boolean
  diff: boolean
  task: TaskInfo
  become: Become | undefined
  /** The task's `environment:`, exported for every command it runs. */
  environment?: Record<string, string>
  vars: VarsView
  /** ansible.cfg's jinja2_native, for the modules whose results depend on it (set_fact). */
  jinja2Native?: boolean
  evaluate(expression: string): unknown
  template(expression: string): unknown
  findControllerFile(kind: 'files' | 'templates' | 'vars', src: string): string
  renderTemplate(path: string, options?: TemplateFileOptions): Promise<string>
  log(message: string, level: 1 | 2 | 3 | 4): void
  /** Aborted when the task's `timeout` expires: running commands are killed, and none starts after. */
  signal?: AbortSignal
}

export function createPlanContext(rt: TaskRuntime): PlanContext {
  // A `check_mode: true` task in a real run predicts what it did not do; the next real task reads the host.
  if (!rt.check && rt.host.predicted) {
    rt.host.factCache.clear()
    rt.host.predicted = false
  }
  const run = async (command: ShellCommand, options: Omit<ExecOptions, 'become'> = {}): Promise<ExecResult> => {
    if (rt.signal?.aborted) throw new CommandAbortedError()
    const conn = await rt.host.connect()
    if (rt.signal?.aborted) throw new CommandAbortedError()
    rt.log(`<${rt.host.name}> ${command.text}`, 4)
    const env = rt.environment || options.env ? { ...rt.environment, ...options.env } : undefined
    return conn.exec(command, { ...options, ...(env ? { env } : {}), ...(rt.become ? { become: rt.become } : {}), ...(rt.signal ? { signal: rt.signal } : {}) })
  }
  return {
    host: rt.host.name,
    check: rt.check,
    diff: rt.diff,
    task: rt.task,
    become: rt.become,
    facts: rt.host.facts,
    vars: rt.vars,
    ...(rt.jinja2Native ? { jinja2Native: true } : {}),
    probe: run,
    read: mustSucceed(run),
    fact<T, A>(fact: FactDef<T, A>, arg: A): Promise<T> {
      const key = factKey(fact, arg)
      let cached = rt.host.factCache.get(key) as Promise<T> | undefined
      if (!cached) {
        cached = run(fact.command(arg)).then((result) => fact.parse(result, arg))
        // A failed read is not cached: the next task may succeed where this one did not.
        cached.catch(() => rt.host.factCache.delete(key))
        rt.host.factCache.set(key, cached)
      }
      return cached
    },
    predict<T, A>(fact: FactDef<T, A>, arg: A, value: T): void {
      if (!rt.check) return
      rt.host.factCache.set(factKey(fact, arg), Promise.resolve(value))
      rt.host.predicted = true
    },
    evaluate: (expression) => rt.evaluate(expression),
    template: (expression) => rt.template(expression),
    findControllerFile: (kind, src) => rt.findControllerFile(kind, src),
    renderTemplate: (path, options) => rt.renderTemplate(path, options),
    log: (message, level = 1) => rt.log(message, level),
  }
}

type Runner = (command: ShellCommand, options?: Omit<ExecOptions, 'become'>) => Promise<ExecResult>

/** A runner whose non-zero exit throws a CommandError, with the module's message when it gives one. */
function mustSucceed(run: Runner): (command: ShellCommand, options?: RunOptions) => Promise<ExecResult> {
  return async (command, { failure, fails, result, ...options } = {}) => {
    const output = await run(command, options)
    if (output.code === 0 && !fails?.(output)) return output
    const message = failure ? failure(output) : output.stderr.trim() || `exit code ${String(output.code)}`
    throw new CommandError(message, command.text, output, result?.(output))
  }
}

function factKey<T, A>(fact: FactDef<T, A>, arg: A): string {
  return `${fact.name}\0${JSON.stringify(arg)}`
}

export function createApplyContext(rt: TaskRuntime): ApplyContext {
  const plan = createPlanContext(rt)
  const exec = (command: ShellCommand, options: Omit<ExecOptions, 'become'> = {}): Promise<ExecResult> => {
    // Whatever apply does may change what facts read: forget them.
    rt.host.factCache.clear()
    return plan.probe(command, options)
  }
  return {
    ...plan,
    run: mustSucceed(exec),
    exec,
    writeFile: (path: string, content: string | Buffer, options: WriteOptions = {}) => writeFileAtomic(exec, path, content, options),
  }
}
