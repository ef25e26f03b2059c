/**
 * The `tsplay` command line. Thin: parses flags and calls the engine. This is the composition
 * root: the one place under engine/ that imports modules/; every part that needs the modules
 * (the loader's checks, the runner, `tsplay doc`) is handed this registry.
 */
import { Command, CommanderError, Option } from 'commander'
import { allModules } from '../../modules/index.js'
import { EXIT, TsplayError, errorMessage } from '../errors.js'
import { docList, docModule } from './doc.js'
import { versionText } from './version.js'
import { collect, increase, inventoryOption } from './options.js'
import { playbookJsonSchema } from './schema.js'
import { runCommand, type RunFlags } from './run-command.js'
import { adHocCommand, type AdHocFlags } from './ad-hoc-command.js'
import { inventoryCommand } from './inventory-command.js'
import { registerLabCommands } from './lab-command.js'
import { registerTestCommand } from './test-command.js'
import { addVaultCommand, addVaultOptions, installVaultSecrets } from './vault-command.js'
import { ModuleRegistry } from '../registry.js'
import { scrub } from '../secrets.js'
import { inventorySources, loadConfig, vaultFlagsFor } from './config.js'
import { configDump } from '../config/ansible-cfg.js'
import type { VaultFlags } from '../vault/sources.js'

export function buildProgram(modules: ModuleRegistry): Command {
  const program = new Command('tsplay')
    .description('Agentless, Ansible-style task engine: YAML playbooks over SSH, in parallel, with exact check mode.')
    .option('-V, --version', 'show the version, the Node.js running it and the ansible.cfg in use')
    .exitOverride()
    .showHelpAfterError()

  // Not commander's .version(): the text names the config file, which depends on where tsplay runs.
  program.on('option:version', () => {
    const text = versionText()
    process.stdout.write(text)
    throw new CommanderError(0, 'commander.version', text)
  })

  addHostOptions(
    program
      .command('run')
      .description('run one or more playbooks against an inventory (as ansible-playbook)')
      .argument('<playbook...>', 'playbook files, run in order'),
  )
    .option('-t, --tags <tags>', 'only run tasks and plays tagged with these (comma list, repeatable)', collect, [])
    .option('--skip-tags <tags>', 'skip tasks and plays tagged with these (comma list, repeatable)', collect, [])
    .option('--flush-cache', 'empty the fact cache of every host in the inventory before the run')
    .option('--force-handlers', 'run notified handlers even on a host that failed (as the play keyword force_handlers)')
    .option('--list-tasks', 'list the tasks each play would run, and stop')
    .option('--syntax-check', 'load and check the playbooks, roles and includes, and stop')
    .option('--json', 'print one JSON document with every result and the recap on stdout')
    .action(async (playbooks: string[], flags: RunFlags) => {
      process.exitCode = await runCommand(playbooks, flags, modules)
    })

  addHostOptions(
    program
      .command('ad-hoc')
      .alias('exec')
      .description('run one module on the hosts of a pattern, without a playbook (as ansible HOSTS -m MODULE -a ARGS)')
      .argument('<pattern>', "the hosts: a host pattern such as 'web', 'all' or 'db:&eu'"),
  )
    .option('-m, --module-name <module>', 'the module to run (default: command)', 'command')
    .option('-a, --args <args>', "the module's arguments: key=value words, free-form text for command and shell, or a JSON object")
    .option('-B, --background <seconds>', 'run the module asynchronously, failing it after this many seconds')
    .option('-P, --poll <seconds>', 'with -B: how often to poll the job (0: start it and move on)')
    .option('-o, --one-line', 'one line per host')
    .action(async (pattern: string, flags: AdHocFlags) => {
      process.exitCode = await adHocCommand(pattern, flags, modules)
    })

  program
    .command('inventory')
    .description('show an inventory as tsplay reads it (as ansible-inventory)')
    .addOption(inventoryOption('inventory file, directory, or comma list (repeatable)'))
    .option('--list', 'all groups, hosts and variables as JSON')
    .option('--graph [group]', 'the group tree')
    .option('--host <name>', "one host's variables as JSON")
    .action(async (flags: { inventory: string[]; list?: boolean; graph?: string | boolean; host?: string } & VaultFlags) => {
      const { settings } = loadConfig()
      await installVaultSecrets(vaultFlagsFor(flags, settings, inventorySources(flags, settings)))
      // Vaulted variables are shown masked, as everywhere else.
      process.stdout.write(scrub(await inventoryCommand(flags, settings)))
    })

  program
    .command('doc')
    .description('list the modules, or show one module and its arguments')
    .argument('[module]', 'a module name')
    .option('--json-schema', 'print a JSON Schema of playbooks (for editor completion)')
    .action((name: string | undefined, flags: { jsonSchema?: boolean }) => {
      if (flags.jsonSchema) process.stdout.write(JSON.stringify(playbookJsonSchema(modules), null, 2) + '\n')
      else process.stdout.write(name ? docModule(modules, name) : docList(modules))
    })

  program
    .command('config')
    .description('show the settings ansible.cfg and ANSIBLE_* give tsplay (as ansible-config)')
    .command('dump')
    .description('every setting the config file or the environment sets, as ansible-config dump --only-changed prints it')
    .option('--only-changed', "the settings that differ from the defaults (tsplay's dump lists only those)")
    .action(() => {
      process.stdout.write(configDump().join('\n') + '\n')
    })

  addVaultCommand(program)
  registerLabCommands(program)
  registerTestCommand(program, modules)
  // Every command that reads YAML may meet vaulted data: each takes the vault password options.
  for (const command of program.commands.filter((c) => ['run', 'ad-hoc', 'inventory', 'test'].includes(c.name()))) addVaultOptions(command)
  return program
}

/** The options of every command that runs tasks on hosts (run, ad-hoc): inventory, connection, become, output. */
function addHostOptions(command: Command): Command {
  return command
    .addOption(inventoryOption('inventory file, directory, or comma list such as web1,web2, (repeatable)'))
    .option('-C, --check', "don't change anything; predict the changes")
    .option('-D, --diff', 'show the differences in files and settings that change')
    .option('-l, --limit <pattern>', 'further limit the selected hosts to a pattern (or @file)')
    .option('-e, --extra-vars <vars>', 'extra variables: key=value, JSON, or @file (repeatable)', collect, [])
    .option('-f, --forks <n>', 'how many hosts work at once (default: forks in ansible.cfg, else 50)')
    .addOption(new Option('-c, --connection <type>', 'connection for the hosts whose inventory names none: ssh or local'))
    .option('-u, --user <name>', 'connect as this user (inventory ansible_user and play remote_user win)')
    .option('--private-key <file>', 'SSH private key file (alias --key-file)')
    .addOption(new Option('--key-file <file>').hideHelp())
    .option('-b, --become', 'run operations with become (sudo, or --become-method)')
    .option('--become-method <method>', 'how to become: sudo (default) or su')
    .option('--become-user <name>', 'become this user (default root)')
    .option('-K, --ask-become-pass', 'ask for the become (sudo or su) password')
    .option('--become-password-file <file>', 'read the become password from this file, or an executable that prints it (alias --become-pass-file)')
    .addOption(new Option('--become-pass-file <file>').hideHelp())
    .option('-T, --timeout <seconds>', 'SSH connection timeout in seconds (default: timeout in ansible.cfg, else 10)')
    .option('--no-host-key-checking', 'do not check host keys against known_hosts (unsafe; also TSPLAY_HOST_KEY_CHECKING=false)')
    .option('--known-hosts <file>', 'an extra known_hosts file to check host keys against (repeatable)', collect, [])
    .option('--list-hosts', 'list the hosts each play would run on, and stop')
    .option('-v, --verbose', 'more detail (-v: every result, -vvvv: every command sent to a host)', increase, 0)
}

export async function main(argv: string[]): Promise<void> {
  // A closed pipe (`tsplay run ... | head`) must not kill a run half-way: keep working, stop printing.
  for (const stream of [process.stdout, process.stderr]) {
    stream.on('error', (err: NodeJS.ErrnoException) => {
      if (err.code !== 'EPIPE') throw err
    })
  }
  const program = buildProgram(new ModuleRegistry(allModules))
  try {
    await program.parseAsync(argv)
  } catch (err) {
    process.exitCode = exitCodeForError(err)
    if (err instanceof CommanderError) return
    // An error may quote a value (a failed template, a bad argument): secrets are masked here too.
    process.stderr.write(`ERROR! ${scrub(errorMessage(err))}\n`)
    if (!(err instanceof TsplayError) && process.env['TSPLAY_DEBUG']) console.error(scrub(err instanceof Error ? (err.stack ?? err.message) : String(err)))
  }
}

/** Each error class carries Ansible's code for its kind (engine/errors.ts); commander's are usage errors. */
export function exitCodeForError(err: unknown): number {
  if (err instanceof CommanderError) return err.exitCode === 0 ? EXIT.ok : EXIT.usage
  if (err instanceof TsplayError) return err.exitCode
  return EXIT.error
}
