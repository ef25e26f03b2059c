/** The CLI's side of ansible.cfg: read it once per command, say what it skips, let flags win. */
import { readAnsibleConfig, type AnsibleConfig, type ConfigSettings } from '../config/ansible-cfg.js'
import { setNativeTypes } from '../expr/index.js'
import { labVaultIds } from '../lab/attach.js'
import { scrub } from '../secrets.js'
import type { VaultFlags } from '../vault/sources.js'

/** A warning before any play, on stderr (stdout may be --json). */
export function warn(message: string): void {
  process.stderr.write(`[WARNING]: ${scrub(message)}\n`)
}

export function loadConfig(): AnsibleConfig {
  const config = readAnsibleConfig()
  for (const message of config.warnings) warn(message)
  setNativeTypes(config.settings.jinja2Native ?? false)
  return config
}

/** `-i` sources, else the configured inventory (ANSIBLE_INVENTORY, ansible.cfg). */
export function inventorySources(flags: { inventory: string[] }, settings: ConfigSettings = readAnsibleConfig().settings): string[] {
  return flags.inventory.length ? flags.inventory : (settings.inventory ?? [])
}

/**
 * As Ansible: configured vault ids come before those on the command line, a configured password
 * file after the command line's; they add to the flags rather than give way to them.
 */
export function withConfiguredVault<F extends VaultFlags>(flags: F, settings: ConfigSettings): F {
  return {
    ...flags,
    vaultId: [...(settings.vaultIdentityList ?? []), ...(flags.vaultId ?? [])],
    vaultPasswordFile: [...(flags.vaultPasswordFile ?? []), ...(settings.vaultPasswordFile ? [settings.vaultPasswordFile] : [])],
    askVaultPass: Boolean(flags.askVaultPass || settings.askVaultPass),
  }
}

/**
 * The vault sources of a command that reads inventories: the flags, ansible.cfg and the
 * environment, then the password file of each source's lab that is up (`lab@.lab/vault-password`),
 * so that a user's own passwords are tried first and a lab that is down changes nothing.
 */
export function vaultFlagsFor<F extends VaultFlags>(flags: F, settings: ConfigSettings, sources: readonly string[]): F {
  return { ...withConfiguredVault(flags, settings), fallbackVaultIds: labVaultIds(sources) }
}
