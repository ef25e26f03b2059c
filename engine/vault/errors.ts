/** Vault failures: a missing or wrong password, a damaged file. */
import { EXIT, PlaybookError } from '../errors.js'

/**
 * Exits with 1, as ansible-vault and ansible-playbook do for vault errors; extends
 * PlaybookError so that a vaulted value in a playbook is named by file:line:col.
 */
export class VaultError extends PlaybookError {
  override name = 'VaultError'
  override readonly exitCode: number = EXIT.error
}
