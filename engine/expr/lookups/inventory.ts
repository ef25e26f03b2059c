/**
 * inventory_hostnames: the hosts a host pattern selects, over the `groups` variable (Ansible's
 * plugin builds a fresh inventory from it), with the same pattern rules as a play's `hosts:`.
 * A pattern Ansible cannot evaluate gives no hosts, as its plugin swallows the error.
 */
import { selectHosts, splitPattern } from '../../inventory/patterns.js'
import { toStr } from '../python.js'
import { isDict } from '../values.js'
import type { LookupFn } from './types.js'

export const inventory_hostnames: LookupFn = (terms, _options, ctx) => {
  const groups = ctx.scope.lookup('groups')
  const groupHosts = new Map<string, string[]>()
  if (isDict(groups)) for (const [name, hosts] of Object.entries(groups)) groupHosts.set(name, Array.isArray(hosts) ? hosts.map(toStr) : [])
  // The hosts in the order they were added: 'all' comes first in `groups`, so inventory order.
  const hosts = [...new Set([...groupHosts.values()].flat())]
  // Each term is split on its own (split_host_pattern of a list), then the parts go together.
  const parts = terms.flatMap((term) => splitPattern(toStr(term)))
  try {
    return selectHosts(parts.join(','), { hosts, groupHosts }, true).hosts
  } catch {
    return []
  }
}
