/** Finds a task's `src:` on the controller, in the places Ansible looks. */
import { existsSync } from 'node:fs'
import { isAbsolute, join } from 'node:path'
import { ModuleError } from '../errors.js'
import type { TaskNode } from '../playbook/types.js'
import type { Frame } from './frame.js'

export function findControllerFile(playbookDir: string, node: TaskNode, frame: Frame, kind: 'files' | 'templates' | 'vars', src: string): string {
  if (isAbsolute(src)) {
    if (existsSync(src)) return src
    throw new ModuleError(`could not find ${src} on the controller`)
  }
  const roles = []
  for (let r = node.role ?? frame.role; r; r = r.parent) roles.push(r.def.path)
  const candidates = [
    ...roles.flatMap((p) => [join(p, kind, src), join(p, src)]),
    join(node.dir, kind, src),
    join(node.dir, src),
    join(playbookDir, kind, src),
    join(playbookDir, src),
  ]
  const found = candidates.find((p) => existsSync(p))
  if (!found) throw new ModuleError(`could not find '${src}' on the controller; looked in: ${[...new Set(candidates)].join(', ')}`)
  return found
}
