/**
 * Runs one case through ansible-playbook and through tsplay, each on its own empty `{{ out }}`,
 * and collects what the harness compares: exit code, the JSON document, the files written.
 */
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { dirname, join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { runProcess, tsplay } from '../helpers/cli.js'
import { readOutTree, type OutEntry } from './out-tree.js'

export type Tool = 'ansible' | 'tsplay'

/** The JSON document both tools write: tsplay's --json, and the compat_json callback's copy of its shape. */
export interface RunDocument {
  plays: { play: { name: string; hosts: string[] }; tasks: { task: { name: string; action?: string; handler: boolean }; hosts: Record<string, Record<string, unknown>> }[] }[]
  stats: Record<string, Record<string, number>>
}

export interface ToolRun {
  tool: Tool
  rc: number | null
  /** null when the tool wrote no document (a playbook refused at load, a crash): stderr says why. */
  document: RunDocument | null
  stdout: string
  stderr: string
  /** The run's work dir (inventory, out/, temp files), removed by removeRun. */
  root: string
  /** The `{{ out }}` directory of this run, so its path can be normalised out of values. */
  out: string
  files: Record<string, OutEntry>
}

const CALLBACK_PLUGINS = join(dirname(fileURLToPath(import.meta.url)), 'ansible', 'callback_plugins')
export const ANSIBLE_PLAYBOOK = '/usr/bin/ansible-playbook'
/** The one host every case runs on (docs/compat.md, "Writing a case"). */
const INVENTORY = 'testhost ansible_connection=local ansible_python_interpreter=/usr/bin/python3\n'

function parseDocument(text: string): RunDocument | null {
  try {
    const parsed = JSON.parse(text) as RunDocument
    return parsed && Array.isArray(parsed.plays) ? parsed : null
  } catch {
    return null
  }
}

/** A fresh work dir for one tool's run: the inventory, an empty out/, and Ansible's temp dirs. */
function workDir(tool: Tool): { root: string; inventory: string; out: string } {
  const root = mkdtempSync(join(tmpdir(), `tsplay-compat-${tool}-`))
  const inventory = join(root, 'inventory')
  writeFileSync(inventory, INVENTORY)
  const out = join(root, 'out')
  mkdirSync(out)
  return { root, inventory, out }
}

/** Both tools run from the case's own directory, so an ansible.cfg beside a case applies to both. */
export async function runAnsible(casePath: string): Promise<ToolRun> {
  const { root, inventory, out } = workDir('ansible')
  const jsonPath = join(root, 'run.json')
  const result = await runProcess(ANSIBLE_PLAYBOOK, ['-i', inventory, casePath, '-e', `out=${out}`], {
    cwd: dirname(casePath),
    env: {
      ...process.env,
      ANSIBLE_STDOUT_CALLBACK: 'compat_json',
      ANSIBLE_CALLBACK_PLUGINS: CALLBACK_PLUGINS,
      TSPLAY_COMPAT_JSON: jsonPath,
      ANSIBLE_NOCOLOR: '1',
      ANSIBLE_RETRY_FILES_ENABLED: '0',
      ANSIBLE_DEPRECATION_WARNINGS: '0',
      // Ansible's own temp files stay out of the user's ~/.ansible and out of `{{ out }}`.
      ANSIBLE_LOCAL_TEMP: join(root, 'ansible-local'),
      ANSIBLE_REMOTE_TEMP: join(root, 'ansible-remote'),
    },
  })
  const document = existsSync(jsonPath) ? parseDocument(readFileSync(jsonPath, 'utf8')) : null
  return { tool: 'ansible', rc: result.code, document, root, stdout: result.stdout, stderr: result.stderr, out, files: readOutTree(out) }
}

export async function runTsplay(casePath: string): Promise<ToolRun> {
  const { root, inventory, out } = workDir('tsplay')
  const result = await tsplay(['run', '-i', inventory, casePath, '-e', `out=${out}`, '--json'], { cwd: dirname(casePath) })
  return { tool: 'tsplay', rc: result.code, document: parseDocument(result.stdout), root, stdout: result.stdout, stderr: result.stderr, out, files: readOutTree(out) }
}

export function removeRun(run: ToolRun): void {
  rmSync(run.root, { recursive: true, force: true })
}
