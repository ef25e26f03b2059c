/** `tsplay run`: load everything, check it, then run the playbooks and report. */
import { resolve } from 'node:path'
import type { Reporter } from '../events.js'
import { EXIT, UsageError } from '../errors.js'
import { loadPlaybook, prepareInventory, Runner } from '../exec/run.js'
import type { Inventory } from '../inventory/index.js'
import { defaultRunOptions, type RunOptions } from '../exec/options.js'
import { Loader } from '../playbook/loader.js'
import { openReporter } from '../output/open.js'
import { parseExtraVars } from './extra-vars.js'
import { listHosts, listTasks } from './lists.js'
import { promptHidden } from './prompt.js'
import { installVaultSecrets } from './vault-command.js'
import { registerSecret, scrub } from '../secrets.js'
import type { VaultFlags } from '../vault/sources.js'

export interface RunFlags extends VaultFlags {
  inventory: string[]
  check?: boolean
  diff?: boolean
  limit?: string
  tags: string[]
  skipTags: string[]
  extraVars: string[]
  forks: string
  connection?: 'ssh' | 'local'
  user?: string
  privateKey?: string
  keyFile?: string
  become?: boolean
  becomeUser?: string
  askBecomePass?: boolean
  timeout: string
  hostKeyChecking: boolean
  knownHosts: string[]
  listHosts?: boolean
  listTasks?: boolean
  syntaxCheck?: boolean
  verbose: number
  json?: boolean
}

const splitTags = (values: string[]): string[] => values.flatMap((v) => v.split(',')).map((t) => t.trim()).filter(Boolean)

export function inventorySources(flags: { inventory: string[] }): string[] {
  if (flags.inventory.length) return flags.inventory
  const env = process.env['TSPLAY_INVENTORY'] ?? process.env['ANSIBLE_INVENTORY']
  return env ? env.split(',').filter(Boolean) : []
}

/** Which hosts are lab hosts, said once on stderr (stdout may be --json). */
export function printNotices(inventory: Inventory): void {
  for (const line of inventory.notices) process.stderr.write(`[tsplay] ${line}\n`)
}

/** --forks and --timeout as numbers; a value that is not one is a usage error (argparse's exit 2 in Ansible). */
export function forksAndTimeout(flags: { forks: string; timeout: string }): { forks: number; timeout: number } {
  const forks = Number(flags.forks)
  if (!Number.isInteger(forks) || forks < 1) throw new UsageError(`--forks must be a whole number of 1 or more, got '${flags.forks}'`)
  const timeout = Number(flags.timeout)
  if (!(timeout > 0)) throw new UsageError(`--timeout must be a number of seconds, got '${flags.timeout}'`)
  return { forks, timeout }
}

export async function runCommand(playbookFiles: string[], flags: RunFlags): Promise<number> {
  // First: -e @file, playbooks and inventories may all hold vaulted data.
  await installVaultSecrets(flags)
  const { forks, timeout } = forksAndTimeout(flags)
  const envChecking = (process.env['TSPLAY_HOST_KEY_CHECKING'] ?? process.env['ANSIBLE_HOST_KEY_CHECKING'] ?? 'true').toLowerCase()
  const options: RunOptions = defaultRunOptions({
    check: Boolean(flags.check),
    diff: Boolean(flags.diff),
    tags: splitTags(flags.tags),
    skipTags: splitTags(flags.skipTags),
    extraVars: parseExtraVars(flags.extraVars),
    forks,
    become: Boolean(flags.become),
    verbosity: flags.verbose,
    hostKeyChecking: flags.hostKeyChecking && !['false', 'no', '0', 'off'].includes(envChecking),
    knownHostsFiles: flags.knownHosts.map((f) => resolve(f)),
    connectTimeoutMs: timeout * 1000,
  })
  if (flags.limit) options.limit = flags.limit
  if (flags.connection) options.connection = flags.connection
  if (flags.user) options.user = flags.user
  const key = flags.privateKey ?? flags.keyFile
  if (key) options.privateKey = resolve(key)
  if (flags.becomeUser) options.becomeUser = flags.becomeUser

  // Everything is loaded and checked before any host is contacted.
  const playbooks = playbookFiles.map((file) => loadPlaybook(file))
  const inventory = await prepareInventory(inventorySources(flags))
  for (const dir of new Set(playbooks.map((p) => p.dir))) await inventory.addVarsDir(dir)
  printNotices(inventory)

  if (flags.syntaxCheck) {
    for (const p of playbooks) process.stdout.write(scrub(`\nplaybook: ${p.file}\n`))
    return EXIT.ok
  }
  if (flags.listHosts || flags.listTasks) {
    for (const p of playbooks) {
      if (flags.listHosts) process.stdout.write(scrub(listHosts(p, inventory, options.limit)))
      if (flags.listTasks) process.stdout.write(scrub(listTasks(p, options.tags, options.skipTags)))
    }
    return EXIT.ok
  }
  if (flags.askBecomePass) {
    options.becomePassword = await promptHidden('BECOME password: ')
    registerSecret(options.becomePassword)
  }

  const reporter: Reporter = await openReporter({ json: Boolean(flags.json), verbosity: options.verbosity })

  let code: number = EXIT.ok
  let current: Runner | undefined
  let interrupts = 0
  const onInterrupt = (): void => {
    interrupts++
    if (current) current.interrupted = true
    process.stderr.write(interrupts === 1 ? '\n[tsplay] interrupted: finishing the tasks under way (Ctrl-C again to stop at once)\n' : '\n[tsplay] stopped\n')
    if (interrupts > 1) process.exit(EXIT.interrupted)
  }
  process.on('SIGINT', onInterrupt)
  process.on('SIGTERM', onInterrupt)
  try {
    for (const playbook of playbooks) {
      current = new Runner(playbook.file, new Loader(playbook.file, options.rolesPath ? { rolesPath: options.rolesPath } : {}), inventory, options, reporter)
      const summary = await current.run(playbook)
      code = Math.max(code, summary.exitCode)
      if (summary.exitCode === EXIT.interrupted) break
    }
  } finally {
    process.off('SIGINT', onInterrupt)
    process.off('SIGTERM', onInterrupt)
    await reporter.close()
  }
  return code
}

