/**
 * The vault passwords of this process, and decryption with them.
 *
 * The CLI reads the passwords once (flags, environment, prompt) and installs them here, where
 * the YAML loader finds them when it meets a vaulted file or a `!vault` value. This is the one
 * piece of process state the engine keeps besides the secrets registry: the loader is reached
 * from many places (playbooks, roles, vars files, inventories, -e @file) that have no run
 * context, and the passwords never change during a run (docs/vault.md).
 */
import type { SourcePos } from '../errors.js'
import { decryptPayload, encryptPayload, IntegrityError, MalformedError } from './aes256.js'
import { formatEnvelope, parseEnvelope } from './envelope.js'
import { VaultError } from './errors.js'

export interface VaultSecret {
  /** The vault id (`default` when none was given). */
  label: string
  password: Buffer
  /** Where it came from, for messages: a file, a script, `prompt`, or an environment variable. */
  source: string
}

export const HOW_TO_GIVE =
  'give one with --vault-password-file FILE, --vault-id [LABEL@]SOURCE or --ask-vault-pass, or set TSPLAY_VAULT_PASSWORD_FILE'

let installed: readonly VaultSecret[] = []
/** Decrypting the same value again (vars_files are read per host) costs a PBKDF2 each time: remember it. */
const cache = new Map<string, { plaintext: Buffer; secret: VaultSecret }>()

export function setVaultSecrets(secrets: readonly VaultSecret[]): void {
  installed = [...secrets]
  cache.clear()
}

export function vaultSecrets(): readonly VaultSecret[] {
  return installed
}

/** Where vaulted data was found: the file, and the value's position for an inline `!vault`. */
export interface VaultPlace {
  file: string
  pos?: SourcePos
}

/** Decrypts a vault envelope; returns the plaintext and the secret that opened it. */
export function decryptVault(text: string, place: VaultPlace, secrets: readonly VaultSecret[] = installed): { plaintext: Buffer; secret: VaultSecret } {
  const what = place.pos ? 'the !vault value' : place.file
  const fail = (message: string): never => {
    throw new VaultError(`cannot decrypt ${what}: ${message}`, place.pos)
  }
  let envelope
  try {
    envelope = parseEnvelope(text)
  } catch (err) {
    return fail(`not valid vault data (${(err as Error).message})`)
  }
  const cached = cache.get(envelope.payload)
  if (cached && secrets.includes(cached.secret)) return cached
  if (secrets.length === 0) return fail(`it is encrypted with ansible-vault and no vault password was given; ${HOW_TO_GIVE}`)
  // The secret whose vault id the header names goes first, then the others (as Ansible does).
  const ordered = [...secrets.filter((s) => s.label === envelope.label), ...secrets.filter((s) => s.label !== envelope.label)]
  for (const secret of ordered) {
    try {
      const found = { plaintext: decryptPayload(envelope.payload, secret.password), secret }
      cache.set(envelope.payload, found)
      return found
    } catch (err) {
      // Parsing comes before the HMAC check: malformed data is malformed whatever the password.
      if (err instanceof MalformedError) return fail(`not valid vault data (${err.message})`)
      if (!(err instanceof IntegrityError)) throw err
    }
  }
  const tried = secrets.map((s) => `${s.label} from ${s.source}`).join(', ')
  return fail(`the vault password is wrong, or the data was changed after it was encrypted (HMAC check failed; tried ${tried})`)
}

/** Encrypts as ansible-vault does: a 1.1 header, or 1.2 with the secret's vault id. */
export function encryptVault(plaintext: Buffer | string, secret: VaultSecret): string {
  const data = typeof plaintext === 'string' ? Buffer.from(plaintext, 'utf8') : plaintext
  return formatEnvelope(encryptPayload(data, secret.password), secret.label)
}
