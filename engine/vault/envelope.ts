/**
 * The text around the payload: `$ANSIBLE_VAULT;1.1;AES256` (or `;1.2;AES256;LABEL` when a
 * vault id other than `default` encrypted it), then the payload in lines of 80 characters.
 */
import { MalformedError } from './aes256.js'

export const VAULT_HEADER = '$ANSIBLE_VAULT'
export const DEFAULT_LABEL = 'default'
const LINE = 80

export interface Envelope {
  version: string
  cipher: string
  /** The vault id in a 1.2 header; undefined for 1.1. */
  label?: string
  payload: string
}

/** True for text that is a whole vaulted document (Ansible checks the very first bytes). */
export function isVaulted(text: string): boolean {
  return text.startsWith(VAULT_HEADER + ';')
}

export function parseEnvelope(text: string): Envelope {
  const lines = text.trim().split(/\r?\n/)
  const fields = (lines[0] ?? '').trim().split(';').map((f) => f.trim())
  const [magic, version, cipher, label] = fields
  if (magic !== VAULT_HEADER || version === undefined || cipher === undefined) throw new MalformedError('no $ANSIBLE_VAULT header')
  if (version !== '1.1' && version !== '1.2') throw new MalformedError(`unsupported vault format version ${version}`)
  if (cipher !== 'AES256') throw new MalformedError(`unsupported cipher ${cipher} (only AES256 is read)`)
  const payload = lines.slice(1).map((l) => l.trim()).join('')
  if (payload === '') throw new MalformedError('no data below the header')
  return { version, cipher, ...(label ? { label } : {}), payload }
}

/** As ansible-vault writes it: 1.1 without a vault id (or with `default`), 1.2 with one. */
export function formatEnvelope(payload: string, label?: string): string {
  const header = label && label !== DEFAULT_LABEL ? `${VAULT_HEADER};1.2;AES256;${label}` : `${VAULT_HEADER};1.1;AES256`
  const lines = [header]
  for (let i = 0; i < payload.length; i += LINE) lines.push(payload.slice(i, i + LINE))
  return lines.join('\n') + '\n'
}
