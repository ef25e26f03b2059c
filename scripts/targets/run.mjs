// Runs one target under one tool as ansible-test runs it (test/lib/ansible_test/_internal/
// commands/integration/__init__.py, v2.14.17): a role target through a generated play `hosts:
// testhost, roles: [target]` from test/integration/, a script target by its runme.sh from its own
// folder, both with ansible-test's environment. Under tsplay, `ansible-playbook` on PATH is a shim
// that calls `tsplay run`. Either way every task result lands in a log (callback_plugins/ for
// Ansible, tap.mjs for tsplay) and runme.sh's checks in another (bash-env.sh).
import { spawnSync } from 'node:child_process'
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs'
import { homedir } from 'node:os'
import { dirname, join } from 'node:path'
import { fileURLToPath } from 'node:url'

const HERE = dirname(fileURLToPath(import.meta.url))
const TIMEOUT_MS = 20 * 60_000

/** ansible-test's inventory for a local POSIX run (inventory.py, create_posix_inventory). */
export const INVENTORY = '[testgroup]\ntesthost ansible_connection=local ansible_pipelining=yes ansible_python_interpreter=/usr/bin/python3\n'

/** ansible-test's environment (ansible_util.py ansible_environment, integration_environment). */
function environment(tool, integration, logs) {
  const path = tool === 'tsplay' ? `${join(HERE, 'shims')}:${process.env.PATH}` : process.env.PATH
  return {
    ...process.env,
    PATH: path,
    HOME: homeOf(integration),
    ...(existsSync(PYENV_ROOT) ? { PYENV_ROOT } : {}),
    ...(existsSync(localesOf(integration)) ? { LOCPATH: localesOf(integration) } : {}),
    ANSIBLE_FORCE_COLOR: 'false',
    ANSIBLE_FORCE_HANDLERS: 'true',
    ANSIBLE_HOST_PATTERN_MISMATCH: 'error',
    ANSIBLE_INVENTORY: '/dev/null',
    ANSIBLE_DEPRECATION_WARNINGS: 'false',
    ANSIBLE_HOST_KEY_CHECKING: 'false',
    ANSIBLE_RETRY_FILES_ENABLED: 'false',
    ANSIBLE_CONFIG: join(integration, 'ansible.cfg'),
    ANSIBLE_LIBRARY: '/dev/null',
    ANSIBLE_DEVEL_WARNING: 'false',
    ANSIBLE_PYTHON_INTERPRETER: '/set/ansible_python_interpreter/in/inventory',
    PAGER: '/bin/cat',
    INVENTORY_PATH: join(integration, 'inventory'),
    // ansible-test enables its junit callback here; this one writes the results log instead.
    ANSIBLE_CALLBACKS_ENABLED: 'targets_log',
    ANSIBLE_CALLBACK_PLUGINS: join(HERE, 'callback_plugins'),
    TARGETS_LOG: logs.results,
    TARGETS_CHECKS: logs.checks,
    TARGETS_STDERR: logs.stderr,
  }
}

/**
 * The tree a tool runs in: test/integration/ with the inventory and an empty ansible.cfg (the
 * targets go in beside), and the HOME the run gets: as ansible-test's bootstrap.sh leaves the test
 * host's, with a ~/.ssh/authorized_keys (copy's tests duplicate it for an unprivileged user).
 */
export function layTree(integration) {
  mkdirSync(integration, { recursive: true })
  writeFileSync(join(integration, 'inventory'), INVENTORY)
  writeFileSync(join(integration, 'ansible.cfg'), '')
  mkdirSync(join(homeOf(integration), '.ssh'), { recursive: true, mode: 0o700 })
  addLocale(integration)
  writeFileSync(join(homeOf(integration), '.ssh', 'authorized_keys'), 'ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIHRzcGxheS10YXJnZXRzLWhhcm5lc3MtZHVtbXkta2V5 targets-harness\n', { mode: 0o600 })
}

const homeOf = (integration) => join(integration, '..', '..', 'home')
const localesOf = (integration) => join(integration, '..', '..', 'locale')

/**
 * tags' runme.sh sets LC_ALL=en_US.UTF-8, which ansible-test's hosts have; where this machine
 * lacks it, one is compiled into the harness's own folder (LOCPATH), the machine's left as it is.
 */
function addLocale(integration) {
  const installed = spawnSync('locale', ['-a'], { encoding: 'utf8' }).stdout ?? ''
  if (/^en_US\.utf-?8$/im.test(installed)) return
  mkdirSync(localesOf(integration), { recursive: true })
  spawnSync('localedef', ['-i', 'en_US', '-f', 'UTF-8', join(localesOf(integration), 'en_US.UTF-8')], { stdio: 'ignore' })
}
/** pyenv's shims (python on PATH here) find their root from HOME unless told: keep the real one. */
const PYENV_ROOT = process.env.PYENV_ROOT ?? join(homedir(), '.pyenv')

const readLines = (file) => (existsSync(file) ? readFileSync(file, 'utf8').split('\n').filter(Boolean) : [])

/**
 * Runs `target` under `tool` in the tree at `integration` (made by layTree). Returns the task
 * results (JSON lines), runme.sh's check log lines, its exit code, and the output's tail.
 */
export function runTarget(tool, target, integration) {
  const targets = join(integration, 'targets')
  const dir = join(integration, `.${tool}-${target}`)
  mkdirSync(join(dir, 'output'), { recursive: true })
  const logs = { results: join(dir, 'results.jsonl'), checks: join(dir, 'checks.tsv'), stderr: join(dir, 'stderr.log') }
  const env = { ...environment(tool, integration, logs), OUTPUT_DIR: join(dir, 'output') }
  const script = join(targets, target, 'runme.sh')
  let result
  if (existsSync(script)) {
    const cwd = join(targets, target)
    result = spawnSync('./runme.sh', [], { cwd, env: { ...env, ANSIBLE_PLAYBOOK_DIR: cwd, BASH_ENV: join(HERE, 'bash-env.sh') }, encoding: 'utf8', timeout: TIMEOUT_MS, maxBuffer: 256 << 20 })
  } else {
    const play = [{ hosts: 'testhost', gather_facts: true, vars_files: [], vars: { output_dir: join(dir, 'output') }, roles: [target] }]
    const playbook = `${target}-${tool}.yml`
    writeFileSync(join(integration, playbook), JSON.stringify(play, null, 4))
    result = spawnSync('ansible-playbook', [playbook, '-i', 'inventory'], { cwd: integration, env: { ...env, ANSIBLE_PLAYBOOK_DIR: integration, ANSIBLE_ROLES_PATH: targets }, encoding: 'utf8', timeout: TIMEOUT_MS, maxBuffer: 256 << 20 })
  }
  const output = `${result.stdout ?? ''}\n${result.stderr ?? ''}`
  return {
    results: readLines(logs.results).map((line) => JSON.parse(line)),
    checks: readLines(logs.checks).map((line) => line.split('\t')),
    exitCode: result.status ?? (result.signal ? `killed by ${result.signal}` : 'no exit code'),
    tsplayErrors: readLines(logs.stderr).filter((line) => /error|unknown option|refus/i.test(line)),
    tail: output.trim().split('\n').slice(-15).join('\n'),
  }
}
