/**
 * The keywords a host's walker decides before it hands a task on: run_once and throttle (Ansible's
 * strategy renders both with the host's variables when it queues the task), and, for an include
 * that failed, ignore_errors and any_errors_fatal.
 */
import type { IncludeRoleNode, IncludeTasksNode, TaskNode } from '../playbook/types.js'
import type { VarScope } from '../vars.js'
import type { TaskEnv } from './env.js'
import type { Frame } from './frame.js'
import type { HostRun } from './hosts.js'
import { effectiveAttrs, flag, wholeNumber } from './keywords.js'
import { buildScope } from './scope.js'

export interface QueueKeywords {
  runOnce: boolean
  /** 0: no limit. */
  throttle: number
}

/** The host's scope for the task, built only when a keyword is a template (most are literals). */
function lazyScope(env: TaskEnv, host: HostRun, node: TaskNode | IncludeTasksNode | IncludeRoleNode, frame: Frame): () => VarScope {
  let scope: VarScope | undefined
  return () => (scope ??= buildScope(env.vars, host, frame, node.attrs.vars ? { taskVars: node.attrs.vars } : {}))
}

/** Throws when a template renders to a value of the wrong kind (the task fails on this host). */
export function queueKeywords(env: TaskEnv, host: HostRun, node: TaskNode, frame: Frame): QueueKeywords {
  const attrs = effectiveAttrs(node, frame)
  const scope = lazyScope(env, host, node, frame)
  const runOnce = typeof attrs.runOnce === 'string' ? flag(scope(), 'run_once', attrs.runOnce) : attrs.runOnce
  const throttle = typeof attrs.throttle === 'string' ? wholeNumber(scope(), 'throttle', attrs.throttle) : attrs.throttle
  return { runOnce: runOnce ?? false, throttle: throttle ?? 0 }
}

/** ignore_errors and any_errors_fatal of an include that failed; a template that cannot be rendered counts as off. */
export function includeKeywords(env: TaskEnv, host: HostRun, node: IncludeTasksNode | IncludeRoleNode, frame: Frame): { ignoreErrors: boolean; anyErrorsFatal: boolean } {
  const attrs = effectiveAttrs(node, frame)
  const scope = lazyScope(env, host, node, frame)
  const rendered = (keyword: string, value: boolean | string | undefined): boolean => {
    try {
      return (typeof value === 'string' ? flag(scope(), keyword, value) : value) ?? false
    } catch {
      return false
    }
  }
  return { ignoreErrors: rendered('ignore_errors', attrs.ignoreErrors), anyErrorsFatal: rendered('any_errors_fatal', attrs.anyErrorsFatal) }
}
