/**
 * `tsplay ad-hoc PATTERN -m MODULE -a ARGS` (alias `exec`): one task on the hosts of a pattern,
 * as Ansible's `ansible` command runs it. The task becomes a one-play playbook built as
 * Ansible's AdHocCLI._play_ds builds it (no fact gathering), then runs as `tsplay run` runs
 * playbooks: same inventory, config, vault, connection, become and exit codes.
 */
import { OptionsError, UsageError } from '../errors.js'
import { loadPlays } from '../exec/run.js'
import type { ModuleRegistry } from '../registry.js'
import { runPlays, type RunFlags } from './run-command.js'

export interface AdHocFlags extends Omit<RunFlags, 'tags' | 'skipTags'> {
  moduleName: string
  args?: string
  background?: string
  poll?: string
  oneLine?: boolean
}

/** The file name messages give the ad-hoc play, as Ansible's; its folder (the current one) is the playbook dir. */
const AD_HOC_PLAYBOOK = '__adhoc_playbook__'

/** Ansible's MODULE_REQUIRE_ARGS: modules that have nothing to do without arguments. */
const NEEDS_ARGS = new Set(['command', 'shell', 'raw', 'script'])

/** Ansible's default poll interval with -B (DEFAULT_POLL_INTERVAL). */
const DEFAULT_POLL = 15

/** -a as Ansible reads it: a JSON object when it is one, else k=v words (or command's free form), parsed by the loader as a task's. */
export function moduleArgs(raw: string | undefined): unknown {
  if (raw === undefined || raw === '') return null
  const text = raw.trim()
  if (text.startsWith('{') && text.endsWith('}')) {
    try {
      const parsed: unknown = JSON.parse(text)
      if (parsed !== null && typeof parsed === 'object' && !Array.isArray(parsed)) return parsed
    } catch {
      // Not JSON: k=v words that happen to be braced, as Ansible falls back.
    }
  }
  return raw
}

function seconds(value: string | undefined, flag: string): number | undefined {
  if (value === undefined) return undefined
  const n = Number(value)
  if (!Number.isInteger(n) || n < 0) throw new UsageError(`${flag} must be a whole number of seconds, got '${value}'`)
  return n
}

/** The one-task play, as AdHocCLI._play_ds makes it. */
export function adHocPlay(pattern: string, flags: Pick<AdHocFlags, 'moduleName' | 'args' | 'background' | 'poll' | 'listHosts'>): Record<string, unknown> {
  const module = flags.moduleName
  const short = module.split('.').at(-1) ?? module
  // As Ansible: --list-hosts answers before the arguments are looked at.
  if (NEEDS_ARGS.has(short) && !flags.args && !flags.listHosts) {
    throw new OptionsError(`No argument passed to ${module} module${pattern.endsWith('.yml') ? ' (did you mean to run tsplay run?)' : ''}`)
  }
  if (['import_playbook', 'ansible.builtin.import_playbook'].includes(module)) throw new OptionsError(`'${module}' is not a valid action for ad-hoc commands`)
  const task: Record<string, unknown> = { [module]: moduleArgs(flags.args) }
  const background = seconds(flags.background, '-B/--background')
  const poll = seconds(flags.poll, '-P/--poll')
  if (background) Object.assign(task, { async: background, poll: poll ?? DEFAULT_POLL })
  else if (poll !== undefined) throw new UsageError('-P/--poll needs -B/--background')
  return { name: 'Ansible Ad-Hoc', hosts: pattern, gather_facts: false, tasks: [task] }
}

export async function adHocCommand(pattern: string, flags: AdHocFlags, modules: ModuleRegistry): Promise<number> {
  const play = adHocPlay(pattern, flags)
  return runPlays(
    { ...flags, tags: [], skipTags: [] },
    {
      load: (options) => [loadPlays(AD_HOC_PLAYBOOK, [play], modules, options)],
      view: { adHoc: { oneLine: Boolean(flags.oneLine) } },
      listHosts: (playbook, inventory, limit) => {
        const hosts = inventory.select(pattern).filter((h) => !limit || limit.hosts.has(h))
        return [`  hosts (${hosts.length}):`, ...hosts.map((h) => `    ${h}`)].join('\n') + '\n'
      },
    },
  )
}
