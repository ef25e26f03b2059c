/**
 * Which ansible.cfg Ansible reads: the first readable one of `$ANSIBLE_CONFIG` (a folder means its
 * ansible.cfg), `./ansible.cfg`, `~/.ansible.cfg`, `/etc/ansible/ansible.cfg`. A world-writable
 * current folder's ansible.cfg is never read (anyone could plant one), with Ansible's warning.
 */
import { accessSync, constants, statSync } from 'node:fs'
import { extname, join, resolve } from 'node:path'
import { OptionsError } from '../errors.js'

export interface ConfigPlaces {
  env: NodeJS.ProcessEnv
  cwd: string
  home: string
}

export interface FoundConfig {
  file?: string
  warnings: string[]
}

export function findConfigFile(places: ConfigPlaces): FoundConfig {
  const candidates: string[] = []
  const fromEnv = places.env['ANSIBLE_CONFIG'] ? resolve(places.cwd, expandHome(places.env['ANSIBLE_CONFIG'], places.home)) : undefined
  if (fromEnv !== undefined) candidates.push(isFolder(fromEnv) ? join(fromEnv, 'ansible.cfg') : fromEnv)
  const cwdFile = join(places.cwd, 'ansible.cfg')
  const cwdIsPublic = worldWritable(places.cwd)
  if (!cwdIsPublic) candidates.push(cwdFile)
  candidates.push(join(places.home, '.ansible.cfg'), '/etc/ansible/ansible.cfg')
  const file = candidates.find(readable)
  const warnings: string[] = []
  if (cwdIsPublic && readable(cwdFile) && (fromEnv === undefined || file !== fromEnv)) {
    warnings.push(`Ansible is being run in a world writable directory (${places.cwd}), ignoring it as an ansible.cfg source. For more information see https://docs.ansible.com/ansible/devel/reference_appendices/config.html#cfg-in-world-writable-dir`)
  }
  if (file !== undefined && !['.cfg', '.ini'].includes(extname(file))) {
    throw new OptionsError(`Unsupported configuration file extension for ${file}: '${extname(file)}' (tsplay reads INI config files, *.cfg or *.ini)`)
  }
  return file === undefined ? { warnings } : { file, warnings }
}

export function expandHome(path: string, home: string): string {
  return path === '~' || path.startsWith('~/') ? home + path.slice(1) : path
}

function isFolder(path: string): boolean {
  try {
    return statSync(path).isDirectory()
  } catch {
    return false
  }
}

function worldWritable(dir: string): boolean {
  try {
    return (statSync(dir).mode & 0o002) !== 0
  } catch {
    return false
  }
}

function readable(path: string): boolean {
  try {
    accessSync(path, constants.R_OK)
    return statSync(path).isFile()
  } catch {
    return false
  }
}
