/** `tsplay run`: load everything, check it, then run the playbooks and report. */
import { resolve } from 'node:path'
import type { Reporter } from '../events.js'
import { EXIT, OptionsError, UsageError } from '../errors.js'
import { loadPlaybook, prepareInventory, Runner, unmatchedPatternWarning, type LoadedPlaybook } from '../exec/run.js'
import { checkLimitLeavesHosts, resolveLimit, type Limit } from '../inventory/limit.js'
import type { Inventory } from '../inventory/index.js'
import { defaultRunOptions, type RunOptions } from '../exec/options.js'
import type { ModuleRegistry } from '../registry.js'
import { openReporter, type ReporterChoice } from '../output/open.js'
import type { Playbook } from '../playbook/types.js'
import { parseExtraVars } from './extra-vars.js'
import { listHosts, listTasks } from './lists.js'
import { becomeMethodName, isBecomeMethod, unsupportedMethodMessage } from '../connection/become.js'
import { passwordFromFile, promptHidden, terminalPrompter } from './prompt.js'
import { installVaultSecrets } from './vault-command.js'
import type { ConfigSettings } from '../config/ansible-cfg.js'
import { inventorySources, loadConfig, vaultFlagsFor, warn } from './config.js'
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
  forks?: string
  connection?: string
  user?: string
  privateKey?: string
  keyFile?: string
  become?: boolean
  becomeUser?: string
  becomeMethod?: string
  askBecomePass?: boolean
  becomePasswordFile?: string
  becomePassFile?: string
  timeout?: string
  hostKeyChecking: boolean
  knownHosts: string[]
  forceHandlers?: boolean
  flushCache?: boolean
  listHosts?: boolean
  listTasks?: boolean
  syntaxCheck?: boolean
  verbose: number
  json?: boolean
}

/** tsplay's defaults where ansible.cfg and the flags say nothing (Ansible forks 5: see docs/decisions.md). */
export const DEFAULT_FORKS = 50
export const DEFAULT_TIMEOUT = 10

const splitTags = (values: string[]): string[] => values.flatMap((v) => v.split(',')).map((t) => t.trim()).filter(Boolean)

/** The inventory's warnings (files skipped, keys ignored) and which hosts are lab hosts, said once on stderr. */
export function printNotices(inventory: Inventory): void {
  for (const line of inventory.warnings) warn(line)
  for (const line of inventory.notices) process.stderr.write(`[tsplay] ${line}\n`)
}

/** As ansible-playbook: a limit that leaves no host stops the command, before --list-hosts or a run. */
function checkedLimit(pattern: string, inventory: Inventory): Limit {
  const limit = resolveLimit(pattern, inventory)
  for (const part of limit.unmatched) warn(unmatchedPatternWarning(part))
  checkLimitLeavesHosts(pattern, limit, inventory)
  return limit
}

/**
 * --forks and --timeout: each flag given, else what ansible.cfg or ANSIBLE_* says, else tsplay's
 * default; a value that is no such number is a usage error (argparse's exit 2 in Ansible).
 */
export function forksAndTimeout(flags: { forks?: string; timeout?: string }, settings: ConfigSettings): { forks: number; timeout: number } {
  const forks = flags.forks !== undefined ? Number(flags.forks) : (settings.forks ?? DEFAULT_FORKS)
  if (!Number.isInteger(forks) || forks < 1) throw new UsageError(`--forks must be a whole number of 1 or more, got '${flags.forks ?? forks}'`)
  const timeout = flags.timeout !== undefined ? Number(flags.timeout) : (settings.timeout ?? DEFAULT_TIMEOUT)
  if (!(timeout > 0)) throw new UsageError(`--timeout must be a number of seconds, got '${flags.timeout ?? timeout}'`)
  return { forks, timeout }
}

/** The run's options: each flag given, else what ansible.cfg or ANSIBLE_* says, else tsplay's default. */
export function runOptionsFrom(flags: RunFlags, settings: ConfigSettings): RunOptions {
  const { forks, timeout } = forksAndTimeout(flags, settings)
  const options: RunOptions = defaultRunOptions({
    check: Boolean(flags.check),
    diff: Boolean(flags.diff || settings.diff),
    tags: splitTags([...(settings.runTags ?? []), ...flags.tags]),
    skipTags: splitTags([...(settings.skipTags ?? []), ...flags.skipTags]),
    extraVars: parseExtraVars(flags.extraVars),
    forks,
    become: Boolean(flags.become || settings.become),
    verbosity: flags.verbose || (settings.verbosity ?? 0),
    // --no-host-key-checking can only turn checking off; without it, the configuration decides.
    hostKeyChecking: flags.hostKeyChecking && (settings.hostKeyChecking ?? true),
    knownHostsFiles: flags.knownHosts.map((f) => resolve(f)),
    connectTimeoutMs: timeout * 1000,
    gatherExplicitly: Boolean(settings.gatherExplicitly),
    privateRoleVars: Boolean(settings.privateRoleVars),
  })
  if (flags.limit) options.limit = flags.limit
  if (flags.forceHandlers || settings.forceHandlers) options.forceHandlers = true
  if (settings.errorOnMissingHandler === false) options.errorOnMissingHandler = false
  // Ansible's defaults for the jsonfile cache: prefix ansible_facts, a day's timeout.
  if (settings.factCaching === 'jsonfile') {
    if (!settings.factCachingConnection) throw new OptionsError('fact_caching = jsonfile needs fact_caching_connection (ANSIBLE_CACHE_PLUGIN_CONNECTION): the folder to keep the facts in')
    options.factCache = { dir: settings.factCachingConnection, prefix: settings.factCachingPrefix ?? 'ansible_facts', timeoutSec: settings.factCachingTimeout ?? 86400 }
  }
  if (flags.flushCache) options.flushCache = true
  if (settings.jinja2Native) options.jinja2Native = true
  const connection = flags.connection ?? settings.connection
  if (connection) options.connection = connection
  const user = flags.user ?? settings.remoteUser
  if (user) options.user = user
  const key = flags.privateKey ?? flags.keyFile
  const privateKey = key ? resolve(key) : settings.privateKeyFile
  if (privateKey) options.privateKey = privateKey
  const becomeUser = flags.becomeUser ?? settings.becomeUser
  if (becomeUser) options.becomeUser = becomeUser
  const becomeMethod = flags.becomeMethod ?? settings.becomeMethod
  if (becomeMethod !== undefined) {
    const method = becomeMethodName(becomeMethod)
    if (!isBecomeMethod(method)) throw new OptionsError(`--become-method: ${unsupportedMethodMessage(becomeMethod)}`)
    options.becomeMethod = method
  }
  if (settings.rolesPath) options.rolesPath = settings.rolesPath
  if (settings.strategy) options.strategy = settings.strategy
  return options
}

/** What differs between the commands that run plays: how the plays are made and how the run is shown. */
export interface PlaySource {
  /** Loads and checks the plays (before any host is contacted). */
  load(options: RunOptions): LoadedPlaybook[]
  /** The reporter choice beyond --json and -v (ad-hoc's one block per host). */
  view?: Pick<ReporterChoice, 'adHoc'>
  /** --list-hosts in the command's own format; playbooks' by default. */
  listHosts?(playbook: Playbook, inventory: Inventory, limit: Limit | undefined): string
}

export async function runCommand(playbookFiles: string[], flags: RunFlags, modules: ModuleRegistry): Promise<number> {
  return runPlays(flags, { load: (options) => playbookFiles.map((file) => loadPlaybook(file, modules, options)) })
}

/** Runs the plays a source gives: config, vault, inventory and flags as `tsplay run` reads them. */
export async function runPlays(flags: RunFlags, source: PlaySource): Promise<number> {
  const { settings, file: configFile } = loadConfig()
  const sources = inventorySources(flags, settings)
  // First: -e @file, playbooks and inventories may all hold vaulted data.
  await installVaultSecrets(vaultFlagsFor(flags, settings, sources))
  const options = runOptionsFrom(flags, settings)
  if (configFile) options.configFile = resolve(configFile)
  // As ansible-playbook: a path is made absolute, a host list ('a,b,') stays as written.
  options.inventorySources = sources.map((s) => (s.includes(',') ? s : resolve(s)))
  const passwordFile = flags.becomePasswordFile ?? flags.becomePassFile
  if (flags.askBecomePass && passwordFile !== undefined) throw new UsageError('-K and --become-password-file are mutually exclusive (as in ansible-playbook)')

  // Everything is loaded and checked before any host is contacted.
  const loaded = source.load(options)
  const playbooks = loaded.map((l) => l.playbook)
  const inventory = await prepareInventory(sources)
  for (const dir of new Set(playbooks.map((p) => p.dir))) await inventory.addVarsDir(dir)
  printNotices(inventory)
  if (inventory.hosts.size === 0) warn("provided hosts list is empty, only localhost is available. Note that the implicit localhost does not match 'all'")
  const limit = options.limit ? checkedLimit(options.limit, inventory) : undefined

  if (flags.syntaxCheck) {
    for (const p of playbooks) process.stdout.write(scrub(`\nplaybook: ${p.file}\n`))
    return EXIT.ok
  }
  if (flags.listHosts || flags.listTasks) {
    for (const p of playbooks) {
      if (flags.listHosts) process.stdout.write(scrub(source.listHosts ? source.listHosts(p, inventory, limit) : listHosts(p, inventory, { limit, extraVars: options.extraVars, warn })))
      if (flags.listTasks) process.stdout.write(scrub(listTasks(p, options.tags, options.skipTags, options.extraVars)))
    }
    return EXIT.ok
  }
  if (flags.askBecomePass || (settings.becomeAskPass && passwordFile === undefined)) options.becomePassword = await promptHidden('BECOME password: ')
  if (passwordFile !== undefined) options.becomePassword = await passwordFromFile(resolve(passwordFile), '--become-password-file')
  if (options.becomePassword !== undefined) registerSecret(options.becomePassword)
  const prompter = terminalPrompter()
  if (prompter) options.prompter = prompter

  const reporter: Reporter = await openReporter({ json: Boolean(flags.json || settings.json), verbosity: options.verbosity, ...source.view })

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
    for (const playbook of loaded) {
      current = new Runner(playbook, inventory, options, reporter)
      const summary = await current.run()
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

