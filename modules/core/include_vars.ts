/**
 * include_vars: reads variables from a YAML/JSON file, or every such file of a folder, on the
 * controller (Ansible's `include_vars`). The engine stores what it returns in `ansible_facts` at
 * include_vars precedence (just below set_fact), for the rest of the run; the values stay the
 * templates the user wrote (rendered when read) and `!unsafe` ones are never rendered.
 */
import { existsSync, readdirSync, statSync } from 'node:fs'
import { extname, join } from 'node:path'
import { ModuleError, errorMessage } from '../../engine/errors.js'
import { defineModule, type ArgValues, type PlanContext } from '../../engine/module.js'
import { loadYamlFileSync } from '../../engine/yaml.js'

const DIR_ARGS = ['dir', 'depth', 'files_matching', 'ignore_files', 'extensions', 'ignore_unknown_extensions'] as const

const DIR_DEFAULTS = { depth: 0, extensions: ['yaml', 'yml', 'json'], ignore_unknown_extensions: false }

const args = {
  file: { type: 'path', description: 'The vars file; relative names are searched in the role\'s vars/, beside the task file, then the playbook\'s vars/ and folder.' },
  dir: { type: 'path', description: 'A folder whose vars files are read in sorted order (in a role: relative to its vars/).' },
  depth: { type: 'int', default: 0, description: 'With dir: how many folders of the sorted walk to read (0: all).' },
  files_matching: { type: 'str', description: 'With dir: only file names this regular expression finds.' },
  ignore_files: { type: 'list', elements: 'str', description: 'With dir: file names (regular expressions, matched at the end) to skip.' },
  extensions: { type: 'list', elements: 'str', default: DIR_DEFAULTS.extensions, description: 'With dir: the file extensions read.' },
  ignore_unknown_extensions: { type: 'bool', default: false, description: 'With dir: skip files of other extensions instead of failing.' },
  name: { type: 'str', description: 'Put the variables under this one name, as a mapping.' },
  hash_behaviour: { type: 'str', choices: ['replace', 'merge'], description: 'merge: mappings are merged into the existing variable of the same name.' },
} as const

type Vars = Record<string, unknown>

const NO_FILE = 'Could not find file on the Ansible Controller.\nIf you are using a module and expect the file to exist on the remote, see the remote_src option'

export default defineModule({
  name: 'include_vars',
  description: 'Loads variables from a YAML/JSON file or a folder of them, on the controller.',
  args,
  freeForm: 'file',
  controllerOnly: true,
  checkArgs(a) {
    // The folder arguments with defaults (depth, extensions) are always set here; those without one tell.
    if (a['file'] !== undefined && DIR_ARGS.some((k) => a[k] !== undefined && !(k in DIR_DEFAULTS))) return 'You are mixing file only and dir only arguments, these are incompatible'
    return undefined
  },
  async plan(ctx, a) {
    const included: string[] = []
    let vars: Vars = {}
    const read = (path: string): void => {
      vars = { ...vars, ...readVarsFile(path) }
      included.push(path)
    }
    try {
      readAll(ctx, a, read)
    } catch (err) {
      // As Ansible's failed result: the files read before the failure, no variables, and `message`.
      const message = errorMessage(err)
      throw new ModuleError(message, { ansible_facts: {}, ansible_included_var_files: included, message })
    }
    if (a.hash_behaviour === 'merge') vars = Object.fromEntries(Object.entries(vars).map(([k, v]) => [k, mergeHashes(ctx.vars.get(k), v)]))
    return { changed: false, result: { ansible_facts: a.name !== undefined ? { [a.name]: vars } : vars, ansible_included_var_files: included } }
  },
})

/** Reads the file, or the folder's files in order, handing each path to `read`. */
function readAll(ctx: PlanContext, a: ArgValues<typeof args>, read: (path: string) => void): void {
  if (a.dir !== undefined) {
    const root = ctx.findControllerFile('vars', a.dir)
    if (!statSync(root).isDirectory()) throw new ModuleError(`${a.dir} is not a directory`)
    for (const path of dirFiles(root, a)) read(path)
  } else if (a.file !== undefined) {
    const file = a.file.replace(/\n+$/, '')
    // No name at all (a first_found that found nothing, with errors='ignore'): Ansible's AnsibleFileNotFound without a file.
    if (file.trim() === '') throw new ModuleError(NO_FILE)
    read(ctx.findControllerFile('vars', file))
  } else {
    throw new ModuleError('include_vars needs a file (file: or free-form) or dir:')
  }
}

/** A vars file's mapping (YAML or JSON, possibly vaulted); its errors name the file, line and column. */
function readVarsFile(path: string): Vars {
  let data: unknown
  try {
    data = loadYamlFileSync(path)
  } catch (err) {
    throw new ModuleError(errorMessage(err))
  }
  if (data === null || data === undefined) return {}
  if (typeof data !== 'object' || Array.isArray(data)) throw new ModuleError(`${path} must be stored as a dictionary/hash`)
  return data as Vars
}

interface DirArgs {
  depth: number
  files_matching?: string | undefined
  ignore_files?: string[] | undefined
  extensions: string[]
  ignore_unknown_extensions: boolean
}

/**
 * The files of `root` Ansible reads, in its order: folders sorted by path, `depth` counting the
 * folders of that sorted walk (so depth 1 is the root alone), files sorted by name in each.
 */
function dirFiles(root: string, a: DirArgs): string[] {
  const folders = walkFolders(root).sort()
  const taken = a.depth > 0 ? folders.slice(0, a.depth) : folders
  const matcher = a.files_matching !== undefined ? new RegExp(a.files_matching) : undefined
  const ignored = (a.ignore_files ?? []).map((pattern) => {
    try {
      return new RegExp(`${pattern}$`)
    } catch {
      throw new ModuleError(`Invalid regular expression: ${pattern}`)
    }
  })
  const files: string[] = []
  for (const folder of taken) {
    const names = readdirSync(folder, { withFileTypes: true }).filter((d) => !d.isDirectory()).map((d) => d.name).sort()
    for (const name of names) {
      if (matcher && !matcher.test(name)) continue
      if (ignored.some((re) => re.test(name))) continue
      const known = a.extensions.includes(extname(name).slice(1))
      if (!known && a.ignore_unknown_extensions) continue
      if (!known) throw new ModuleError(`${join(folder, name)} does not have a valid extension: ${a.extensions.join(', ')}`)
      files.push(join(folder, name))
    }
  }
  return files
}

function walkFolders(root: string): string[] {
  const out = [root]
  for (const entry of readdirSync(root, { withFileTypes: true })) {
    const path = join(root, entry.name)
    if (entry.isDirectory() || (entry.isSymbolicLink() && existsSync(path) && statSync(path).isDirectory())) out.push(...walkFolders(path))
  }
  return out
}

/** hash_behaviour=merge: mappings merge key by key, recursively; anything else replaces. */
function mergeHashes(old: unknown, value: unknown): unknown {
  const isMap = (v: unknown): v is Vars => !!v && typeof v === 'object' && !Array.isArray(v)
  if (!isMap(old) || !isMap(value)) return value
  const out: Vars = { ...old }
  for (const [k, v] of Object.entries(value)) out[k] = mergeHashes(out[k], v)
  return out
}
