/**
 * The files the loader is reading, outermost first, so that a loop of static imports is a
 * load error naming its files instead of a stack overflow. Static steps (import_playbook,
 * import_tasks, import_role, `roles:` and role dependencies) are expanded at load time, so a
 * loop of them can never end. A dynamic include only has its file read ahead for checking;
 * when that file is already being read, the include is left to load at run time, where its
 * `when:` can end the recursion (as in Ansible).
 */
import { relative } from 'node:path'
import { PlaybookError, type SourcePos } from '../errors.js'

interface Step {
  key: string
  label: string
  dynamic: boolean
}

export class LoadChain {
  private readonly steps: Step[] = []

  constructor(private readonly baseDir: string) {}

  /** A readable name for a file in the chain (relative to the playbook's folder when inside it). */
  fileLabel(path: string): string {
    const rel = relative(this.baseDir, path)
    return rel.startsWith('..') ? path : rel
  }

  /** Whether a dynamic include of `key` would re-read a file already being read. */
  reading(key: string): boolean {
    return this.steps.some((s) => s.key === key)
  }

  /** Whether the file being read is reached through a dynamic include (include_tasks, include_role). */
  insideDynamic(): boolean {
    return this.steps.some((s) => s.dynamic)
  }

  /** `within` for a task file, keyed and named by its path. */
  withinTaskFile<T>(path: string, dynamic: boolean, at: SourcePos, load: () => T): T {
    return this.within(taskFileKey(path), this.fileLabel(path), dynamic, at, load)
  }

  /** Whether a dynamic include of this task file would re-read one already being read. */
  readingTaskFile(path: string): boolean {
    return this.reading(taskFileKey(path))
  }

  /** Runs `load` with `key` on the chain; a static step that closes a loop of static steps is an error. */
  within<T>(key: string, label: string, dynamic: boolean, at: SourcePos | undefined, load: () => T): T {
    const earlier = this.steps.findIndex((s) => s.key === key)
    if (earlier >= 0 && !dynamic) {
      const loop = this.steps.slice(earlier)
      if (loop.every((s) => !s.dynamic)) {
        const names = [...loop.map((s) => s.label), label].join(' -> ')
        throw new PlaybookError(
          `import loop: ${names}. import_playbook, import_tasks, import_role and role dependencies are expanded when the playbook loads, so this never ends; to recurse, use include_tasks or include_role with a when: that stops it`,
          at,
        )
      }
    }
    this.steps.push({ key, label, dynamic })
    try {
      return load()
    } finally {
      this.steps.pop()
    }
  }
}

const taskFileKey = (path: string): string => `tasks:${path}`
