/**
 * The lab's state folder beside the inventory (`.lab/`, never committed): the lab's SSH key, a
 * known_hosts file with each host's key (read through docker exec, a trusted channel), an
 * ssh_config for `lab ssh` and plain ssh, the lab's vault password file, and lab.json recording
 * what `lab up` did.
 */
import { execFile } from 'node:child_process'
import { chmodSync, existsSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { promisify } from 'node:util'
import type { Inventory } from '../inventory/index.js'
import type { VaultSecret } from '../vault/keyring.js'
import { LabError } from './errors.js'

const run = promisify(execFile)

export interface LabFiles {
  dir: string
  key: string
  publicKey: string
  knownHosts: string
  sshConfig: string
  state: string
  lock: string
  ansibleInventory: string
  /** The lab's vault password (LAB_VAULT_PASSWORD), for `--vault-id lab@FILE`. */
  vaultPassword: string
}

export function labFiles(stateDir: string): LabFiles {
  return {
    dir: stateDir,
    key: join(stateDir, 'id_ed25519'),
    publicKey: join(stateDir, 'id_ed25519.pub'),
    knownHosts: join(stateDir, 'known_hosts'),
    sshConfig: join(stateDir, 'ssh_config'),
    state: join(stateDir, 'lab.json'),
    lock: join(stateDir, 'lock'),
    ansibleInventory: join(stateDir, 'ansible-inventory.ini'),
    vaultPassword: join(stateDir, 'vault-password'),
  }
}

export interface HostRecord {
  name: string
  container: string
  address: string
  /** "ssh-ed25519 AAAA..." as the host generated it. */
  hostKey: string
}

export interface LabState {
  /** The inventory the lab was made from. */
  source: string
  network: string
  /** docker's id of the network: its bridge is `br-` and the id's first 12 characters. */
  networkId: string
  subnet: string
  gateway: string
  image: string
  /** The apt proxy the hosts use, if one answered. */
  aptProxy?: string
  hosts: HostRecord[]
}

export function prepareStateDir(files: LabFiles): void {
  mkdirSync(files.dir, { recursive: true, mode: 0o700 })
  // The folder holds a private key: make sure no `git add .` takes it, whatever the repository's ignores say.
  writeFileSync(join(files.dir, '.gitignore'), '*\n')
}

/** The vault id of the lab's secrets: their header is `$ANSIBLE_VAULT;1.2;AES256;lab`. */
export const LAB_VAULT_ID = 'lab'

/**
 * The password of every lab's vaulted values, public on purpose (docs/vault.md, "The lab's vault
 * password"): values committed encrypted in a lab inventory must decrypt on every fresh machine,
 * and what they protect is lab-only. The file exists so that the lab shows the real workflow.
 */
export const LAB_VAULT_PASSWORD = 'tsplay-lab-vault'

/** The same password held in memory, for what reads a lab inventory without its file (the lab commands). */
export const LAB_VAULT_SECRET: VaultSecret = { label: LAB_VAULT_ID, password: Buffer.from(LAB_VAULT_PASSWORD, 'utf8'), source: "the lab's vault password" }

/** Written at every `lab up`, private as any password file (the mode is set again if it was changed). */
export function writeVaultPassword(files: LabFiles): void {
  writeFileSync(files.vaultPassword, `${LAB_VAULT_PASSWORD}\n`, { mode: 0o600 })
  chmodSync(files.vaultPassword, 0o600)
}

/** The lab's key pair, made once; its public half goes into every host's authorized_keys. */
export async function ensureKey(files: LabFiles, network: string): Promise<string> {
  if (!existsSync(files.key) || !existsSync(files.publicKey)) {
    rmSync(files.key, { force: true })
    rmSync(files.publicKey, { force: true })
    try {
      await run('ssh-keygen', ['-q', '-t', 'ed25519', '-N', '', '-C', `tsplay lab ${network}`, '-f', files.key])
    } catch (err) {
      throw new LabError(`cannot make the lab's SSH key with ssh-keygen (apt-get install openssh-client): ${(err as Error).message}`, { cause: err })
    }
  }
  return readFileSync(files.publicKey, 'utf8').trim()
}

/** known_hosts as OpenSSH writes it for port 22: `ADDRESS TYPE KEY`. */
export function knownHostsText(hosts: readonly HostRecord[]): string {
  return hosts.map((h) => `${h.address} ${h.hostKey}\n`).join('')
}

/** `ssh -F .lab/ssh_config HOST` reaches a lab host with its key checked: what `lab ssh` runs. */
export function sshConfigText(files: LabFiles, hosts: readonly HostRecord[]): string {
  return hosts
    .map((h) =>
      [
        `Host ${h.name}`,
        `  HostName ${h.address}`,
        '  User root',
        `  IdentityFile ${files.key}`,
        '  IdentitiesOnly yes',
        `  UserKnownHostsFile ${files.knownHosts}`,
        '  StrictHostKeyChecking yes',
        '  LogLevel ERROR',
        '',
      ].join('\n'),
    )
    .join('\n')
}

/**
 * The same hosts for ansible-playbook, side by side with tsplay: each lab host with its address,
 * key and known_hosts on its own line (host vars outrank the inventory's group_vars), in the
 * inventory's groups. Used alone or after the inventory: `-i INVENTORY -i .lab/ansible-inventory.ini`.
 */
export function ansibleInventoryText(files: LabFiles, state: LabState, inventory: Inventory): string {
  const sshArgs = `-o UserKnownHostsFile=${files.knownHosts} -o StrictHostKeyChecking=yes -o IdentitiesOnly=yes`
  const lab = new Set(state.hosts.map((h) => h.name))
  const lines = [
    `# Written by \`tsplay lab up\` for the lab of ${state.source}: ansible-playbook reaches the same hosts with`,
    `#   ansible-playbook -i ${state.source} -i ${files.ansibleInventory} PLAYBOOK`,
    '[all]',
    ...state.hosts.map((h) => `${h.name} ansible_host=${h.address} ansible_port=22 ansible_user=root ansible_ssh_private_key_file=${files.key} ansible_ssh_common_args='${sshArgs}'`),
  ]
  for (const group of inventory.groups.values()) {
    if (group.name === 'all' || group.name === 'ungrouped') continue
    const hosts = group.hosts.filter((h) => lab.has(h))
    if (hosts.length) lines.push('', `[${group.name}]`, ...hosts)
    if (group.children.length) lines.push('', `[${group.name}:children]`, ...group.children)
  }
  return lines.join('\n') + '\n'
}

export function writeState(files: LabFiles, state: LabState, inventory: Inventory): void {
  writeFileSync(files.knownHosts, knownHostsText(state.hosts))
  writeFileSync(files.sshConfig, sshConfigText(files, state.hosts))
  writeFileSync(files.ansibleInventory, ansibleInventoryText(files, state, inventory))
  writeFileSync(files.state, JSON.stringify(state, null, 2) + '\n')
}

export function readState(files: LabFiles): LabState | undefined {
  try {
    return JSON.parse(readFileSync(files.state, 'utf8')) as LabState
  } catch {
    return undefined
  }
}

/**
 * After `lab down`: the key stays (hosts made later accept it again), and so does the vault
 * password (a constant: `--vault-id lab@.lab/vault-password` keeps working); the rest describes
 * hosts that are gone.
 */
export function clearState(files: LabFiles): void {
  for (const f of [files.knownHosts, files.sshConfig, files.ansibleInventory, files.state]) rmSync(f, { force: true })
}
