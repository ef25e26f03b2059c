/** The differential cases: test/fixtures/compat/<area>/<case>.yml, and what their first line says about them. */
import { readdirSync, readFileSync, statSync } from 'node:fs'
import { join } from 'node:path'
import { ROOT } from '../helpers/cli.js'

export const CASES_DIR = join(ROOT, 'test', 'fixtures', 'compat')

export interface CompatCase {
  /** `area/case`, as the test names it. */
  id: string
  path: string
  /** Set when the case's first line is `# compat: known-difference <reason>`: the tools are expected to differ. */
  knownDifference?: string
}

const KNOWN_DIFFERENCE = /^#\s*compat:\s*known-difference\b\s*(.*)$/

export function readCase(path: string, id: string): CompatCase {
  const firstLine = readFileSync(path, 'utf8').split('\n', 1)[0] ?? ''
  const known = KNOWN_DIFFERENCE.exec(firstLine.trim())
  return known ? { id, path, knownDifference: known[1] || 'no reason given' } : { id, path }
}

/** Every case of every area, sorted; files beside the cases (vars files, templates) are not cases unless they end in .yml at the area's top. */
export function findCases(root = CASES_DIR): CompatCase[] {
  const areas = readdirSync(root).filter((name) => statSync(join(root, name)).isDirectory()).sort()
  return areas.flatMap((area) =>
    readdirSync(join(root, area))
      .filter((name) => name.endsWith('.yml') && statSync(join(root, area, name)).isFile())
      .sort()
      .map((name) => readCase(join(root, area, name), `${area}/${name.slice(0, -'.yml'.length)}`)),
  )
}
