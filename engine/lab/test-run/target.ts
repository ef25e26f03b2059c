/**
 * What `tsplay test` tests: a role (a folder with tasks/, found by path or in ./roles and the roles
 * path) applied by a generated playbook, or a playbook as it is; and the verify file that goes with it.
 */
import { existsSync, mkdirSync, mkdtempSync, rmSync, statSync, symlinkSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { basename, dirname, join, resolve } from 'node:path'
import { MissingFileError } from '../../errors.js'
import { loadYamlFileSync } from '../../yaml.js'

export interface TestTarget {
  kind: 'role' | 'playbook'
  /** The role's name, or the playbook's path as given. */
  name: string
  path: string
  /** The playbook converge, idempotence and check run. */
  playbook: string
  /** The playbook that verifies, when there is a verify file. */
  verify?: string
  /** Generated files to remove at the end. */
  workDir: string
}

const isDir = (p: string): boolean => existsSync(p) && statSync(p).isDirectory()
const isFile = (p: string): boolean => existsSync(p) && statSync(p).isFile()

/** `arg` as a playbook file, a role folder, or a role name under ./roles or TSPLAY_ROLES_PATH. */
export function resolveTarget(arg: string, hosts: string, verifyOverride?: string): TestTarget {
  const workDir = mkdtempSync(join(tmpdir(), 'tsplay-test-'))
  const yaml = (name: string, text: string): string => {
    const file = join(workDir, name)
    writeFileSync(file, text)
    return file
  }
  const rolePath = findRole(arg)
  if (isFile(arg) && !rolePath) {
    const path = resolve(arg)
    const verifyFile = verifyOverride ? resolve(verifyOverride) : join(dirname(path), 'tests', 'verify.yml')
    const verify = verifyFor(verifyFile, Boolean(verifyOverride), hosts, yaml, workDir)
    return { kind: 'playbook', name: arg, path, playbook: path, ...(verify ? { verify } : {}), workDir }
  }
  if (!rolePath) {
    rmSync(workDir, { recursive: true, force: true })
    throw new MissingFileError(`'${arg}' is neither a playbook file nor a role (a folder with tasks/, as a path or under ./roles or TSPLAY_ROLES_PATH)`)
  }
  const name = basename(rolePath)
  const playbook = yaml('converge.yml', `- name: converge ${name}\n  hosts: ${JSON.stringify(hosts)}\n  gather_facts: true\n  roles:\n    - role: ${JSON.stringify(rolePath)}\n`)
  const verifyFile = verifyOverride ? resolve(verifyOverride) : join(rolePath, 'tests', 'verify.yml')
  const verify = verifyFor(verifyFile, Boolean(verifyOverride), hosts, yaml, workDir, rolePath)
  return { kind: 'role', name, path: rolePath, playbook, ...(verify ? { verify } : {}), workDir }
}

function findRole(arg: string): string | undefined {
  const candidates = [arg, join('roles', arg), ...(process.env['TSPLAY_ROLES_PATH'] ?? process.env['ANSIBLE_ROLES_PATH'] ?? '').split(':').filter(Boolean).map((d) => join(d, arg))]
  const found = candidates.find((c) => isDir(join(c, 'tasks')))
  return found ? resolve(found) : undefined
}

/**
 * A verify file is either a playbook (Molecule's verify.yml) or a list of tasks. A task list runs
 * on the tested hosts; for a role it runs as part of a stand-in role that shares the role's
 * defaults, vars, files and templates, so assertions can use the role's own variables.
 */
function verifyFor(file: string, required: boolean, hosts: string, yaml: (name: string, text: string) => string, workDir: string, rolePath?: string): string | undefined {
  if (!isFile(file)) {
    if (required) throw new MissingFileError(`verify file ${file} does not exist`)
    return undefined
  }
  const data = loadYamlFileSync(file)
  const isPlaybook = Array.isArray(data) && data.length > 0 && data.every((p) => p && typeof p === 'object' && ('hosts' in p || 'import_playbook' in p))
  if (isPlaybook) return file
  if (!rolePath) return yaml('verify.yml', `- name: verify\n  hosts: ${JSON.stringify(hosts)}\n  gather_facts: true\n  tasks:\n    - import_tasks: ${JSON.stringify(file)}\n`)
  const name = basename(rolePath)
  const stand = join(workDir, 'verify-roles', name)
  mkdirSync(join(stand, 'tasks'), { recursive: true })
  for (const sub of ['defaults', 'vars', 'files', 'templates']) if (isDir(join(rolePath, sub))) symlinkSync(join(rolePath, sub), join(stand, sub))
  writeFileSync(join(stand, 'tasks', 'main.yml'), `- import_tasks: ${JSON.stringify(file)}\n`)
  return yaml('verify.yml', `- name: verify ${name}\n  hosts: ${JSON.stringify(hosts)}\n  gather_facts: true\n  roles:\n    - role: ${JSON.stringify(stand)}\n`)
}
