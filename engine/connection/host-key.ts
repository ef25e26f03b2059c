/** The host key decision for one host, and the words a person needs when we refuse. */
import { quote } from '../quote.js'
import type { ConnectionSpec } from './types.js'
import {
  checkHostKey,
  fingerprint,
  hostNames,
  keyTypeOf,
  loadKnownHosts,
  preferredHostKeyAlgorithms,
  type KnownHostEntry,
} from './known-hosts.js'

export interface HostKeyPolicy {
  /** Host key algorithms to negotiate, known types first; undefined keeps the library default. */
  algorithms?: string[]
  /** Undefined when the offered key is accepted; otherwise why it was refused. */
  verify(offered: Buffer): string | undefined
}

export async function hostKeyPolicy(spec: ConnectionSpec): Promise<HostKeyPolicy> {
  const { entries, checked } = await loadKnownHosts(spec.knownHostsFiles)
  const names = hostNames(spec.host, spec.address, spec.port)
  const algorithms = preferredHostKeyAlgorithms(entries, names)
  const where = `${spec.host} (${spec.address}:${spec.port})`
  return {
    ...(algorithms ? { algorithms } : {}),
    verify(offered) {
      const verdict = checkHostKey(entries, names, offered)
      const offeredText = `${keyTypeOf(offered)} ${fingerprint(offered)}`
      switch (verdict.status) {
        case 'ok':
          return undefined
        case 'unknown': {
          const portFlag = spec.port === 22 ? '' : `-p ${spec.port} `
          return (
            `host key for ${where} is not in known_hosts (files checked: ${checked.join(', ') || 'none'}); ` +
            `add it with \`ssh-keyscan ${portFlag}${spec.address} >> ~/.ssh/known_hosts\` or run with --no-host-key-checking`
          )
        }
        case 'changed': {
          const name = spec.port === 22 ? spec.address : `[${spec.address}]:${spec.port}`
          return (
            `host key for ${where} has CHANGED: known_hosts expects ${verdict.expected.map(describe).join(' or ')}, ` +
            `but the host offered ${offeredText}. Someone may be intercepting the connection, or the host was ` +
            `reinstalled. Not connecting. If the new key is genuine, remove the old entry with ` +
            `\`ssh-keygen -R ${quote(name)}\` and add the new key.`
          )
        }
        case 'revoked':
          return `host key for ${where} is REVOKED (${describe(verdict.entry)}); not connecting`
      }
    },
  }
}

function describe(entry: KnownHostEntry): string {
  return `${entry.keyType} ${fingerprint(entry.key)} (${entry.file}:${entry.line})`
}
