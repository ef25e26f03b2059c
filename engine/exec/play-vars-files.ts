/** A play's vars_files, loaded per host (their names may hold templates). */
import { existsSync } from 'node:fs'
import { keywordError, MissingFileError, PlaybookError } from '../errors.js'
import { loadYamlFileSync } from '../yaml.js'
import type { VarLayer, VarScope } from '../vars.js'
import { varsFilePath } from '../playbook/plays.js'
import type { Play } from '../playbook/types.js'

/**
 * `parsed` holds the files this play has read, by path: every host of the play reads the same
 * file, and a vars file of 100k keys costs seconds to parse. Values are never changed in place.
 */
export function loadVarsFiles(play: Play, scope: VarScope, parsed: Map<string, unknown> = new Map()): VarLayer[] {
  return play.varsFiles.map((entry) => {
    // A list entry is a set of alternatives: the first that exists is used.
    const options = (Array.isArray(entry) ? entry : [entry]).map((e) => renderName(e, scope, play))
    const paths = options.map((p) => varsFilePath(play.dir, p))
    const path = paths.find((p) => existsSync(p))
    if (!path) throw new MissingFileError(`vars_files: none of ${paths.join(', ')} exists`, play.pos)
    const data = parsed.has(path) ? parsed.get(path) : loadYamlFileSync(path)
    parsed.set(path, data)
    if (data !== null && (typeof data !== 'object' || Array.isArray(data))) throw new PlaybookError(`vars file ${path} must be a mapping of variables`, play.pos)
    return { source: `vars_files ${path}`, vars: (data ?? {}) as Record<string, unknown> }
  })
}

/** Ansible skips a vars file whose name it cannot render; tsplay refuses it, with Ansible's code for a bad play keyword. */
function renderName(name: unknown, scope: VarScope, play: Play): string {
  try {
    return String(scope.render(name))
  } catch (err) {
    throw keywordError('vars_files', err, play.pos)
  }
}
