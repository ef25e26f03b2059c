/**
 * Which texts came from `!vault` values, for the `vault_encrypted` test. The loader decrypts a
 * vaulted scalar to a plain string (engine/yaml.ts), so the test recognises the text, as the
 * secrets registry recognises a secret: an equal string written in the clear counts too.
 */
const VAULTED = new Set<string>()

export function markVaulted(text: string): void {
  VAULTED.add(text)
}

export function isVaultedText(value: unknown): boolean {
  return typeof value === 'string' && VAULTED.has(value)
}
