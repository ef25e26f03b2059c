/**
 * An inventory file encrypted whole with ansible-vault: decrypted in memory (never to disk),
 * and the values of its variables registered as secrets (engine/vault/vaulted-values.ts). Host
 * and group names are not secrets: they are what every line of output is about.
 */
import { decryptVault } from '../vault/keyring.js'
import { registerVaultedDocument, registerVaultedPair } from '../vault/vaulted-values.js'
import { parseYaml } from '../yaml.js'
import { shlexWords } from '../shlex.js'

export function openVaultedInventory(text: string, file: string): string {
  const plain = decryptVault(text, { file }).plaintext.toString('utf8')
  registerInventoryValues(plain, file)
  return plain
}

function registerInventoryValues(text: string, file: string): void {
  let data: unknown
  try {
    data = parseYaml(text, file)
  } catch {
    data = undefined
  }
  if (data && typeof data === 'object' && !Array.isArray(data)) {
    registerVaultedDocument(data)
    return
  }
  // INI: every `key=value` on host lines and in [group:vars] sections.
  for (const line of text.split('\n')) {
    const trimmed = line.trim()
    if (trimmed === '' || trimmed.startsWith('[') || trimmed.startsWith('#') || trimmed.startsWith(';')) continue
    const pair = /^([A-Za-z_][\w.-]*)\s*=\s*(.*)$/.exec(trimmed)
    if (pair?.[1] !== undefined && pair[2] !== undefined) registerVaultedPair(pair[1], unquote(pair[2]))
    for (const token of tokens(trimmed)) {
      const eq = token.indexOf('=')
      if (eq > 0) registerVaultedPair(token.slice(0, eq), token.slice(eq + 1))
    }
  }
}

function tokens(line: string): string[] {
  try {
    return shlexWords(line, { comments: true }).map((t) => t.text)
  } catch {
    return line.split(/\s+/)
  }
}

function unquote(value: string): string {
  const v = value.trim()
  return /^(['"]).*\1$/.test(v) ? v.slice(1, -1) : v
}
