/** What a task's outcome leaves in a host's variables: register, set_fact and the facts a module returns. */
import type { TaskStatus } from '../events.js'
import type { TaskNode } from '../playbook/types.js'
import type { HostRun } from './hosts.js'

/**
 * Records one outcome on `host`, as Ansible's strategy does for every host a task stands for
 * (run_once hands the first host's outcome to the others through here too). Facts count only
 * when the task succeeded; register always. Returns whether the host's variables changed, so
 * the play knows its `hostvars` must be read afresh.
 */
export function recordOutcome(
  host: HostRun,
  node: TaskNode,
  status: TaskStatus,
  result: Record<string, unknown>,
  /** delegate_facts: the host that gets the facts of each execution (loop item), when not `host`. */
  factsHostOf: (index: number) => HostRun | undefined = () => undefined,
): boolean {
  let elsewhere = false
  if (status !== 'failed' && status !== 'unreachable' && status !== 'skipped') {
    // A loop's facts are in its items' results (include_vars with with_first_found, set_fact per item).
    const items = Array.isArray(result['results']) ? (result['results'] as Record<string, unknown>[]) : [result]
    for (const [index, facts] of items.map((r) => r['ansible_facts']).entries()) {
      if (!facts || typeof facts !== 'object') continue
      // As Ansible's strategy: with delegate_facts every kind of fact goes to the delegate, set_fact's too.
      const to = factsHostOf(index) ?? host
      elsewhere ||= to !== host
      if (node.module.name === 'include_vars') Object.assign(to.includedVars, facts)
      else if (node.module.name !== 'set_fact' || result['_ansible_facts_cacheable'] === true) {
        // As Ansible's strategy: facts go to the fact cache too, set_fact's when `cacheable`.
        Object.assign(to.state.facts, facts)
        to.cacheFacts(facts as Record<string, unknown>)
      }
      // set_fact's are also host variables above play vars, even when cacheable (Ansible sets both).
      if (node.module.name === 'set_fact') Object.assign(to.setFacts, facts)
    }
  }
  if (node.attrs.register) {
    const { _ansible_facts_cacheable: _bookkeeping, ...registered } = result
    host.setFacts[node.attrs.register] = { ...registered, ...(status === 'failed' ? { failed: true } : {}) }
  }
  return elsewhere || node.attrs.register !== undefined || node.module.name === 'set_fact' || node.module.name === 'include_vars'
}
