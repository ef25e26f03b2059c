/** What a module task is handed on one host: check/diff mode, become, the session, its variables. */
import { becomeMethodName, isBecomeMethod, unsupportedMethodMessage } from '../connection/become.js'
import type { Become } from '../connection/types.js'
import { TsplayError } from '../errors.js'
import { truthy } from '../expr/index.js'
import type { TaskRuntime } from '../module-context.js'
import type { TaskNode } from '../playbook/types.js'
import type { VarScope } from '../vars.js'
import type { TaskEnv } from './env.js'
import { findControllerFile } from './files.js'
import type { Frame } from './frame.js'
import type { HostRun, SessionKeywords } from './hosts.js'
import { renderTemplateFile } from './jinja-file.js'
import { wholeNumber, type EffectiveAttrs, type TaskKeywords } from './keywords.js'
import { registerPasswordVars } from './redact.js'

export interface RuntimeParts {
  /** The host the task is for (its name in the log lines). */
  host: HostRun
  /** The host that runs it: the same, or the delegate. */
  target: HostRun
  node: TaskNode
  frame: Frame
  attrs: EffectiveAttrs
  keywords: TaskKeywords
  scope: VarScope
}

export function taskRuntime(env: TaskEnv, parts: RuntimeParts): TaskRuntime {
  const { host, target, node, frame, attrs, keywords, scope } = parts
  registerPasswordVars((name) => (scope.has(name) ? scope.get(name) : undefined))
  const rt: TaskRuntime = {
    host: target.session(sessionKeywords(attrs, scope)),
    check: keywords.checkMode ?? env.run.options.check,
    diff: keywords.diff ?? env.run.options.diff,
    task: { name: node.name ?? node.moduleName, pos: node.pos, noLog: keywords.noLog },
    become: becomeFor(env, scope, attrs, keywords),
    vars: scope,
    evaluate: (expression) => scope.evaluate(expression),
    template: (expression) => scope.render(`{{${expression}}}`),
    findControllerFile: (kind, src) => findControllerFile(env.run.playbookDir, node, frame, kind, src),
    renderTemplate: async (path, options) => renderTemplateFile(path, scope, options),
    // Under no_log the detail lines (the commands run, at -vvvv) would show what the task hides.
    log: (message, level) => (keywords.noLog ? undefined : env.run.emit({ kind: 'log', host: host.name, level, message })),
  }
  const environment = environmentOf(node, frame, scope)
  if (environment) rt.environment = environment
  return rt
}

/** Every `environment:` around the task and its own, rendered and merged, outer first (Ansible's _compute_environment_string). */
function environmentOf(node: TaskNode, frame: Frame, scope: VarScope): Record<string, string> | undefined {
  const layers = [...(frame.environments ?? []), ...(node.attrs.environment !== undefined ? [node.attrs.environment] : [])]
  if (!layers.length) return undefined
  const merged: Record<string, string> = {}
  for (const layer of layers) {
    const rendered = scope.render(layer)
    if (!rendered || typeof rendered !== 'object' || Array.isArray(rendered)) {
      throw new TsplayError(`environment must be a mapping of variables, got ${JSON.stringify(rendered)}${typeof layer === 'string' ? ` from '${layer}'` : ''}`)
    }
    for (const [k, v] of Object.entries(rendered)) merged[k] = String(v)
  }
  return merged
}

/** connection, remote_user and port as the task has them (templates rendered): they pick the session. */
function sessionKeywords(attrs: EffectiveAttrs, scope: VarScope): SessionKeywords {
  const out: SessionKeywords = {}
  if (attrs.connection !== undefined) out.connection = String(scope.render(attrs.connection))
  if (attrs.remoteUser !== undefined) out.remoteUser = String(scope.render(attrs.remoteUser))
  const port = wholeNumber(scope, 'port', attrs.port)
  if (port !== undefined) out.port = port
  return out
}

/** Connection variables beat keywords, keywords beat the command line: Ansible's order. */
function becomeFor(env: TaskEnv, scope: VarScope, attrs: EffectiveAttrs, keywords: TaskKeywords): Become | undefined {
  const opts = env.run.options
  const fromVar = (name: string): unknown => (scope.has(name) ? scope.get(name) : undefined)
  const becomeVar = fromVar('ansible_become')
  const become = becomeVar !== undefined ? truthy(becomeVar) && String(becomeVar).toLowerCase() !== 'false' : (keywords.become ?? opts.become)
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
