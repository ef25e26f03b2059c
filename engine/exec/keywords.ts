/**
 * A task's keywords as they apply on one host: inherited from the play, roles, blocks and
 * includes around it, and rendered where written as templates (`ignore_errors: "{{ x }}"`),
 * converted as Ansible's post_validate converts them (playbook/base.py). Every run-time reader of
 * a keyword that may be a template goes through here: a template string is truthy whatever it
 * renders to.
 */
import { TsplayError } from '../errors.js'
import { toBoolean } from '../playbook/attrs.js'
import type { KeywordTemplate, TaskAttrs } from '../playbook/types.js'
import type { VarScope } from '../vars.js'
import { joinedDefaults, type Frame, type InheritedAttrs } from './frame.js'

/** The keywords every level shares, with the task's own on top (module_defaults extend). */
export type EffectiveAttrs = InheritedAttrs

/** Booleans and numbers of a task on one host, rendered. Unset ones keep their defaults (the CLI's, or off). */
export interface TaskKeywords {
  ignoreErrors: boolean
  ignoreUnreachable: boolean
  noLog: boolean
  anyErrorsFatal: boolean
  delegateFacts: boolean
  /** Unset: --check decides. */
  checkMode?: boolean
  /** Unset: --diff decides. */
  diff?: boolean
  /** Unset: ansible_become or --become decides. */
  become?: boolean
  /** Seconds; 0 means no limit. */
  timeout: number
}

/** Raised when a keyword's template renders to a value of the wrong kind: the task fails on that host. */
export class KeywordError extends TsplayError {
  override name = 'KeywordError'
}

/** The attrs a task runs with: its frame's, then its own; lists that Ansible extends (module_defaults) are joined, outer first. */
export function effectiveAttrs(node: { attrs: TaskAttrs }, frame: Frame): EffectiveAttrs {
  const { when: _w, tags: _t, vars: _v, register: _r, notify: _n, listen: _l, changedWhen: _c, failedWhen: _f, until: _u, retries: _re, delay: _d, loop: _lo, loopControl: _lc, ...own } = node.attrs
  const defined = Object.fromEntries(Object.entries(own).filter(([, v]) => v !== undefined)) as EffectiveAttrs
  return { ...frame.attrs, ...defined, ...joinedDefaults(frame.attrs, own) }
}

/** One boolean keyword: a literal as it is, a template rendered and converted with Ansible's boolean rules. */
export function flag(scope: VarScope, keyword: string, value: boolean | KeywordTemplate | undefined): boolean | undefined {
  if (value === undefined || typeof value === 'boolean') return value
  const rendered = scope.render(value)
  const converted = toBoolean(rendered)
  if (converted === undefined) {
    throw new KeywordError(`the field '${keyword}' has an invalid value (${value}), and could not be converted to a bool: it rendered to '${String(rendered)}'`)
  }
  return converted
}

/** One whole-number keyword (throttle, timeout, port), a literal or a template rendered now. */
export function wholeNumber(scope: VarScope, keyword: string, value: number | KeywordTemplate | undefined): number | undefined {
  if (value === undefined || typeof value === 'number') return value
  const rendered = scope.render(value)
  const n = typeof rendered === 'number' ? rendered : /^\s*\d+\s*$/.test(String(rendered)) ? Number(rendered) : NaN
  if (!Number.isInteger(n) || n < 0) throw new KeywordError(`the field '${keyword}' has an invalid value (${value}): it must render to a whole number, got '${String(rendered)}'`)
  return n
}

/** The task's keywords on one host, rendered with the task's variables (its loop item too). */
export function taskKeywords(attrs: EffectiveAttrs, scope: VarScope): TaskKeywords {
  const on = (keyword: string, value: boolean | KeywordTemplate | undefined): boolean => flag(scope, keyword, value) ?? false
  const out: TaskKeywords = {
    ignoreErrors: on('ignore_errors', attrs.ignoreErrors),
    ignoreUnreachable: on('ignore_unreachable', attrs.ignoreUnreachable),
    noLog: on('no_log', attrs.noLog),
    anyErrorsFatal: on('any_errors_fatal', attrs.anyErrorsFatal),
    delegateFacts: on('delegate_facts', attrs.delegateFacts),
    timeout: wholeNumber(scope, 'timeout', attrs.timeout) ?? 0,
  }
  const checkMode = flag(scope, 'check_mode', attrs.checkMode)
  if (checkMode !== undefined) out.checkMode = checkMode
  const diff = flag(scope, 'diff', attrs.diff)
  if (diff !== undefined) out.diff = diff
  const become = flag(scope, 'become', attrs.become)
  if (become !== undefined) out.become = become
  return out
}

/**
 * no_log where the keywords could not be rendered (a skipped task, a failed template): a
 * template is taken as on, so what the task would hide is never shown by mistake.
 */
export function noLogBestEffort(attrs: EffectiveAttrs, scope: VarScope): boolean {
  try {
    return flag(scope, 'no_log', attrs.noLog) ?? false
  } catch {
    return true
  }
}
