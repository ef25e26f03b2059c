/**
 * A plain inventory reaches its lab with no edits: while the inventory's lab is up, its hosts are
 * reached at their lab addresses, as root, with the lab's key and known_hosts (host keys still
 * checked), and values vaulted with the lab's password decrypt with its password file. Never while
 * it is down: then the inventory means what it says, and is not mistaken for a lab. Said once per
 * run, so nobody takes the lab for production.
 */
import { existsSync } from 'node:fs'
import { networkInterfaces } from 'node:os'
import { relative } from 'node:path'
import type { Inventory } from '../inventory/index.js'
import type { VaultIdSpec } from '../vault/sources.js'
import { labStateDir } from './config.js'
import { LAB_VAULT_ID, labFiles, readState, type LabFiles, type LabState } from './state.js'

interface UpLab {
  source: string
  files: LabFiles
  state: LabState
}

/** The labs of the inventory sources that are up. Found from the source's path alone: no inventory is read. */
function upLabs(sources: readonly string[]): UpLab[] {
  const labs: UpLab[] = []
  for (const source of sources) {
    // A comma list of hosts, or a source that does not exist (the loader says so), has no lab.
    if (source.includes(',') || !existsSync(source)) continue
    const files = labFiles(labStateDir(source))
    const state = readState(files)
    if (state && labIsUp(state)) labs.push({ source, files, state })
  }
  return labs
}

/** Applies the lab of each inventory source whose lab is up; the notices go to `inventory.notices`. */
export function attachLabs(inventory: Inventory, sources: readonly string[]): void {
  for (const { source, files, state } of upLabs(sources)) {
    let count = 0
    for (const host of state.hosts) {
      if (!inventory.hosts.has(host.name)) continue
      inventory.overrideHost(host.name, {
        source: `lab ${state.network}`,
        vars: {
          ansible_host: host.address,
          ansible_port: 22,
          ansible_user: 'root',
          ansible_ssh_private_key_file: files.key,
          tsplay_known_hosts_file: files.knownHosts,
        },
      })
      count++
    }
    if (count) inventory.notices.push(`using lab hosts from ${relative(process.cwd(), files.dir) || '.'}/ for ${count} host${count === 1 ? '' : 's'} of ${source} (lab ${state.network}, ${state.subnet}); \`tsplay lab down -i ${source}\` ends it`)
  }
}

/**
 * `lab@.lab/vault-password` of each inventory source whose lab is up, to try after the user's own
 * vault sources. Read before any inventory (an inventory may itself be vaulted). A lab brought up
 * before tsplay wrote the file has none: it adds nothing rather than fail every run.
 */
export function labVaultIds(sources: readonly string[]): VaultIdSpec[] {
  return upLabs(sources)
    .filter(({ files }) => existsSync(files.vaultPassword))
    .map(({ files }) => ({ label: LAB_VAULT_ID, source: files.vaultPassword }))
}

/**
 * The lab's network is up when docker's bridge for it (`br-` and the network id's start) holds the
 * gateway address: no docker command per run, and a later lab on the same subnet is not taken for this one.
 */
function labIsUp(state: LabState): boolean {
  if (!state.networkId) return false
  const bridge = networkInterfaces()[`br-${state.networkId.slice(0, 12)}`]
  return Boolean(bridge?.some((a) => a.address === state.gateway))
}
