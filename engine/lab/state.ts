/**
 * The lab's state folder beside the inventory (`.lab/`, never committed): the lab's SSH key, a
 * known_hosts file with each host's key (read through docker exec, a trusted channel), an
 * ssh_config for `lab ssh` and plain ssh, and lab.json recording what `lab up` did.
 */
import { execFile } from 'node:child_process'
import { existsSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { promisify } from 'node:util'
import type { LabConfig } from './config.js'
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
  network: string
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
export function sshConfigText(files: LabFiles, config: LabConfig): string {
  return config.hosts
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

export function writeState(files: LabFiles, config: LabConfig, state: LabState): void {
  writeFileSync(files.knownHosts, knownHostsText(state.hosts))
  writeFileSync(files.sshConfig, sshConfigText(files, config))
  writeFileSync(files.state, JSON.stringify(state, null, 2) + '\n')
}

export function readState(files: LabFiles): LabState | undefined {
  try {
    return JSON.parse(readFileSync(files.state, 'utf8')) as LabState
  } catch {
    return undefined
  }
}

/** After `lab down`: the key stays (hosts made later accept it again), the rest describes hosts that are gone. */
export function clearState(files: LabFiles): void {
  for (const f of [files.knownHosts, files.sshConfig, files.state]) rmSync(f, { force: true })
}
