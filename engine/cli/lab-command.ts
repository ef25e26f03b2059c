/** `tsplay lab up | status | ssh | down | cache | image`: real Debian hosts (systemd + sshd) in containers on this machine. */
import { spawn } from 'node:child_process'
import { existsSync, rmSync } from 'node:fs'
import type { Command } from 'commander'
import { OptionsError } from '../errors.js'
import { APT_CACHE_DIR, APT_CACHE_PORT, cacheStatus, stopAptCache } from '../lab/apt-cache/daemon.js'
import { loadLabSpec } from '../lab/config.js'
import { labDown, labDownAll } from '../lab/down.js'
import { requireDocker } from '../lab/docker.js'
import { ensureImage } from '../lab/image.js'
import { labFiles, readState } from '../lab/state.js'
import { formatStatus, labStatus } from '../lab/status.js'
import { labUp } from '../lab/up.js'
import { inventorySources } from './config.js'
import { inventoryOption } from './options.js'

const DEFAULT_LAB = 'inventory/lab'

interface InventoryFlags {
  inventory: string[]
}

/** A lab is described by exactly one inventory; without -i, $TSPLAY_INVENTORY or ./inventory/lab. */
export function labSource(flags: InventoryFlags): string {
  const sources = inventorySources(flags)
  if (sources.length > 1) throw new OptionsError(`a lab is one inventory; got ${sources.length}: ${sources.join(', ')}`)
  const source = sources[0] ?? (existsSync(DEFAULT_LAB) ? DEFAULT_LAB : undefined)
  if (!source) throw new OptionsError(`which lab? give its inventory with -i (there is no ./${DEFAULT_LAB} here)`)
  return source
}

const err = (line: string): void => {
  process.stderr.write(line + '\n')
}
const out = (line: string): void => {
  process.stdout.write(line + '\n')
}

export function registerLabCommands(program: Command): void {
  const lab = program
    .command('lab')
    .description('start, inspect and remove lab hosts: Debian containers with systemd and sshd, one per inventory host')

  lab
    .command('up')
    .description('start a lab host for every host of the inventory (idempotent: hosts that are up are kept)')
    .addOption(inventoryOption('the lab inventory: one folder or file', `./${DEFAULT_LAB}`))
    .option('--fresh <pattern>', 'replace these hosts by new ones even if they are up')
    .option('--rebuild-image', 'build the base image again first')
    .action(async (flags: InventoryFlags & { fresh?: string; rebuildImage?: boolean }) => {
      const source = labSource(flags)
      const r = await labUp({ source, log: err, ...(flags.rebuildImage ? { rebuild: true } : {}), ...(flags.fresh ? { fresh: flags.fresh } : {}) })
      for (const w of r.warnings) err(`[WARNING]: ${w}`)
      out(`lab ${r.config.network} (${r.config.subnet.cidr}), image ${r.image}`)
      const width = Math.max(...r.hosts.map((h) => h.name.length))
      for (const h of r.hosts) out(`  ${h.name.padEnd(width)}  ${h.address.padEnd(15)}  ${h.action}`)
      for (const c of r.removed) out(`  removed ${c} (its host left the inventory)`)
      out(`${r.hosts.length} hosts up in ${r.seconds.toFixed(1)} s; apt cache: ${r.aptProxy ?? 'none'}`)
      out(`run playbooks with: tsplay run PLAYBOOK -i ${source}`)
    })

  lab
    .command('status')
    .description("show each lab host's container state, address and whether sshd answers")
    .addOption(inventoryOption('the lab inventory: one folder or file', `./${DEFAULT_LAB}`))
    .option('--json', 'print the status as JSON')
    .action(async (flags: InventoryFlags & { json?: boolean }) => {
      const status = await labStatus(labSource(flags))
      process.stdout.write(flags.json ? JSON.stringify(status, null, 2) + '\n' : formatStatus(status))
    })

  lab
    .command('ssh')
    .description('open a shell on a lab host (or run COMMAND there), with the lab key and its host key checked')
    .argument('<host>', 'an inventory host name')
    .argument('[command...]', 'a command to run instead of a shell')
    .addOption(inventoryOption('the lab inventory: one folder or file', `./${DEFAULT_LAB}`))
    .action(async (host: string, command: string[], flags: InventoryFlags) => {
      process.exitCode = await labSsh(labSource(flags), host, command)
    })

  lab
    .command('down')
    .description("remove the lab's hosts and network (the base image is kept)")
    .addOption(inventoryOption('the lab inventory: one folder or file', `./${DEFAULT_LAB}`))
    .option('--all', 'remove every lab on this machine, whatever inventory made it')
    .action(async (flags: InventoryFlags & { all?: boolean }) => {
      const r = flags.all ? await labDownAll() : await labDown(labSource(flags))
      out(`removed ${r.containers.length} hosts${r.containers.length ? ` (${r.containers.join(', ')})` : ''} and network ${r.networks.join(', ') || '(none)'}`)
    })

  const cache = lab.command('cache').description("the machine's apt cache that lab hosts and the image build download packages through (lab up starts it)")
  cache
    .command('status')
    .description('whether the cache runs, where it keeps its files, and what it has served')
    .action(async () => {
      const status = await cacheStatus()
      out(status ? JSON.stringify(status, null, 2) : `no apt cache runs on port ${APT_CACHE_PORT} (tsplay lab up starts one)`)
    })
  cache
    .command('stop')
    .description('stop the cache (lab up starts it again)')
    .action(async () => {
      const pid = await stopAptCache()
      out(pid ? `stopped the apt cache (pid ${pid})` : 'no apt cache was running')
    })
  cache
    .command('clear')
    .description(`stop the cache and remove what it holds (${APT_CACHE_DIR})`)
    .action(async () => {
      await stopAptCache()
      rmSync(APT_CACHE_DIR, { recursive: true, force: true })
      out(`emptied ${APT_CACHE_DIR}`)
    })

  lab
    .command('image')
    .description('build the base image now (lab up builds it when missing)')
    .option('--rebuild', 'build it again even if it exists')
    .action(async (flags: { rebuild?: boolean }) => {
      await requireDocker()
      out(await ensureImage(err, Boolean(flags.rebuild)))
    })
}

/** ssh with the lab's generated ssh_config: its key, its known_hosts, strict checking. */
async function labSsh(source: string, host: string, command: string[]): Promise<number> {
  const config = await loadLabSpec(source)
  if (!config.hosts.some((h) => h.name === host)) {
    throw new OptionsError(`'${host}' is not a lab host of ${source}; hosts: ${config.hosts.map((h) => h.name).join(', ')}`)
  }
  const files = labFiles(config.stateDir)
  if (!readState(files)?.hosts.some((h) => h.name === host)) throw new OptionsError(`lab host '${host}' is not up: run tsplay lab up -i ${source}`)
  return new Promise((resolve, reject) => {
    const child = spawn('ssh', ['-F', files.sshConfig, host, ...command], { stdio: 'inherit' })
    child.on('error', (e) => reject(new OptionsError(`cannot run ssh (apt-get install openssh-client): ${e.message}`)))
    child.on('close', (code) => resolve(code ?? 255))
  })
}
