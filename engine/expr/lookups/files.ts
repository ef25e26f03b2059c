/**
 * Lookups that read the controller's files: file, unvault. Both open a vault-encrypted file with
 * the run's vault passwords (engine/vault/keyring.ts holds them for the whole process, as it
 * does for the YAML loader), as Ansible's DataLoader does for both.
 */
import { readFileSync } from 'node:fs'
import { registerSecret } from '../../secrets.js'
import { isVaulted } from '../../vault/envelope.js'
import { decryptVault } from '../../vault/keyring.js'
import { truthy } from '../python.js'
import { needString } from '../types.js'
import { ExprFailure } from '../values.js'
import { needFile } from './search-path.js'
import { eachTerm, type LookupFn } from './types.js'

/**
 * A controller file's text, decrypted when it is vaulted. A decrypted text is registered as a
 * secret, as every vaulted value is: output shows it masked. Errors name the file, never its text.
 */
function readText(path: string, lookup: string): string {
  let data: Buffer
  try {
    data = readFileSync(path)
  } catch (err) {
    throw new ExprFailure(`lookup('${lookup}') could not read '${path}': ${(err as NodeJS.ErrnoException).code ?? String(err)}`, undefined, { cause: err })
  }
  const text = data.toString('utf8')
  if (!isVaulted(text)) return text
  const plaintext = decryptVault(text, { file: path }).plaintext.toString('utf8')
  registerSecret(plaintext.trim())
  return plaintext
}

export const file: LookupFn = eachTerm((term, options, ctx) => {
  const name = needString(term, 'the file name')
  const path = needFile(name, ctx, 'file')
  let text = readText(path, 'file')
  // Ansible strips trailing whitespace unless rstrip=False, leading whitespace only with lstrip=True.
  if (truthy(options['lstrip'] ?? false)) text = text.replace(/^\s+/, '')
  if (truthy(options['rstrip'] ?? true)) text = text.replace(/\s+$/, '')
  return text
})

/** unvault: the plaintext of each file, whole (a file that is not vaulted is read as it is). */
export const unvault: LookupFn = eachTerm((term, _options, ctx) => {
  const name = needString(term, 'the file name')
  const path = needFile(name, ctx, 'unvault')
  return readText(path, 'unvault')
})
