/**
 * A play's vars_files, loaded per host (their names may hold templates). A name that needs a
 * fact (`"{{ ansible_os_family }}.yml"`) cannot be rendered before the host's facts are
 * gathered: until then it is left out (as Ansible does), and read on the first task after.
 */
import { existsSync } from 'node:fs'
import { keywordError, MissingFileError, PlaybookError, TemplateError } from '../errors.js'
import { loadYamlFileSync } from '../yaml.js'
import type { VarLayer, VarScope } from '../vars.js'
import { varsFilePath } from '../playbook/plays.js'
import type { Play } from '../playbook/types.js'

/**
 * `parsed` holds the files this play has read, by path: every host of the play reads the same
 * file, and a vars file of 100k keys costs seconds to parse. Values are never changed in place.
 */
export function loadVarsFiles(play: Play, scope: VarScope, parsed: Map<string, unknown> = new Map(), beforeFacts = false): { layers: VarLayer[]; deferred: boolean } {
  let deferred = false
  const layers = play.varsFiles.flatMap((entry): VarLayer[] => {
    // A list entry is a set of alternatives: the first that exists is used.
    let options: string[]
    try {
      options = (Array.isArray(entry) ? entry : [entry]).map((e) => renderName(e, scope, play))
    } catch (err) {
      if (!beforeFacts || !(err instanceof PlaybookError && err.cause instanceof TemplateError)) throw err
      deferred = true
      return []
    }
    const paths = options.map((p) => varsFilePath(play.dir, p))
    const path = paths.find((p) => existsSync(p))
    if (!path) throw new MissingFileError(`vars_files: none of ${paths.join(', ')} exists`, play.pos)
    const data = parsed.has(path) ? parsed.get(path) : loadYamlFileSync(path)
    parsed.set(path, data)
    if (data !== null && (typeof data !== 'object' || Array.isArray(data))) throw new PlaybookError(`vars file ${path} must be a mapping of variables`, play.pos)
    return [{ source: `vars_files ${path}`, vars: (data ?? {}) as Record<string, unknown> }]
  })
  return { layers, deferred }
}

/** Ansible skips a vars file whose name it cannot render; tsplay refuses it, with Ansible's code for a bad play keyword. */
function renderName(name: unknown, scope: VarScope, play: Play): string {
  try {
    return String(scope.render(name))
  } catch (err) {
    throw keywordError('vars_files', err, play.pos)
  }
}
