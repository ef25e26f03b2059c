/** `tsplay test ROLE_OR_PLAYBOOK`: Molecule's converge, idempotence, check and verify, on hosts that exist (a lab). */
import { rmSync } from 'node:fs'
import { resolve } from 'node:path'
import type { Command } from 'commander'
import type { Reporter } from '../events.js'
import { OptionsError } from '../errors.js'
import { defaultRunOptions, type RunOptions } from '../exec/options.js'
import { labUp } from '../lab/up.js'
import { formatReport, STEP_TITLES } from '../lab/test-run/report.js'
import { runTest, type StepName } from '../lab/test-run/steps.js'
import { resolveTarget } from '../lab/test-run/target.js'
import { ansi, banner, noColor } from '../output/format.js'
import { openReporter } from '../output/open.js'
import type { ModuleRegistry } from '../registry.js'
import { scrub, scrubDeep } from '../secrets.js'
import { parseExtraVars } from './extra-vars.js'
import { prepareInventory } from '../exec/run.js'
import { inventorySources, loadConfig, vaultFlagsFor } from './config.js'
import { collect, increase, inventoryOption } from './options.js'
import { forksAndTimeout, printNotices } from './run-command.js'
import { installVaultSecrets } from './vault-command.js'
import type { VaultFlags } from '../vault/sources.js'

interface TestFlags extends VaultFlags {
  inventory: string[]
  hosts: string
  extraVars: string[]
  verify?: string
  fresh?: boolean
  become?: boolean
  forks?: string
  timeout?: string
  verbose: number
  json?: boolean
}

export function registerTestCommand(program: Command, modules: ModuleRegistry): void {
  program
    .command('test')
    .description("test a role or playbook on existing hosts (a lab): converge, idempotence, check mode, then the role's tests/verify.yml")
    .argument('<role-or-playbook>', 'a role (name under ./roles, or a path) or a playbook file')
    .addOption(inventoryOption('inventory (repeatable)', './inventory/lab'))
    .option('--hosts <pattern>', 'the hosts to test on', 'all')
    .option('-e, --extra-vars <vars>', 'extra variables: key=value, JSON, or @file (repeatable)', collect, [])
    .option('--verify <file>', 'the verify tasks or playbook (default: tests/verify.yml of the role, or beside the playbook)')
    .option('--fresh', 'replace the lab hosts by new ones first (needs a lab inventory), as Molecule destroys and creates')
    .option('-b, --become', 'run operations with become (sudo)')
    .option('-f, --forks <n>', 'how many hosts work at once (default: forks in ansible.cfg, else 50)')
    .option('-T, --timeout <seconds>', 'SSH connection timeout in seconds (default: timeout in ansible.cfg, else 10)')
    .option('-v, --verbose', 'more detail in each step', increase, 0)
    .option('--json', 'print one JSON document with every step and its result')
    .action(async (arg: string, flags: TestFlags) => {
      process.exitCode = await testCommand(arg, flags, modules)
    })
}

async function testCommand(arg: string, flags: TestFlags, modules: ModuleRegistry): Promise<number> {
  const { settings } = loadConfig()
  const sources = inventorySources(flags, settings)
  if (!sources.length) sources.push('inventory/lab')
  const { forks, timeout } = forksAndTimeout(flags, settings)
  const run: RunOptions = defaultRunOptions({
    extraVars: parseExtraVars(flags.extraVars),
    forks,
    become: Boolean(flags.become),
    verbosity: flags.verbose,
    connectTimeoutMs: timeout * 1000,
  })
  const target = resolveTarget(arg, flags.hosts, flags.verify)
  const say = (text: string): void => {
    if (!flags.json) process.stdout.write(text + '\n')
  }
  try {
    if (flags.fresh) {
      if (sources.length !== 1) throw new OptionsError('--fresh needs exactly one lab inventory')
      const up = await labUp({ source: resolve(sources[0] as string), log: (l) => process.stderr.write(l + '\n'), fresh: flags.hosts })
      say(`fresh lab hosts: ${up.hosts.filter((h) => h.action === 'replaced' || h.action === 'created').map((h) => h.name).join(', ') || 'none matched'}`)
    }
    // After --fresh: a lab it brought up lends its vault password file too.
    await installVaultSecrets(vaultFlagsFor(flags, settings, sources))
    if (!flags.json) printNotices(await prepareInventory(sources))
    const reporterFor = async (step: StepName): Promise<Reporter | undefined> => {
      if (flags.json) return undefined
      say(`\n${banner('TEST', STEP_TITLES[step])}`)
      return openReporter({ verbosity: run.verbosity })
    }
    const report = await runTest(target, { modules, sources, hosts: flags.hosts, run, reporterFor })
    // The summary quotes failure messages, which may carry what the reporters masked.
    if (flags.json) process.stdout.write(JSON.stringify(scrubDeep(report), null, 2) + '\n')
    else process.stdout.write(scrub(formatReport(report, process.stdout.isTTY ? ansi : noColor)))
    return report.exitCode
  } finally {
    rmSync(target.workDir, { recursive: true, force: true })
  }
}
