/**
 * Jinja2 template files on the controller, with Ansible's settings (trim_blocks on, the trailing
 * newline kept, the `#jinja2:` first-line override) and the variables Ansible's template module
 * and template lookup add (ansible_managed, template_*). Lives beside the renderer so both the
 * template module and `lookup('template')` (engine/expr/functions.ts) use it without a cycle.
 */
import { readFileSync, statSync } from 'node:fs'
import { hostname, userInfo } from 'node:os'
import { dirname, isAbsolute, join, resolve } from 'node:path'
import { TemplateError } from '../../errors.js'
import type { Scope } from '../types.js'
import { ExprFailure } from '../values.js'
import type { Stmt } from './ast.js'
import { ANSIBLE_SETTINGS, fileOverrides, parseJinja, renderJinja, RenderFailure, type JinjaSettings, type TemplateLoader } from './index.js'

/** What the template module's args (and the lookup's options) may change. */
export interface JinjaFileOptions {
  /** The task's dest, shown to the template as `template_destpath`. */
  dest?: string | undefined
  /** '\n', '\r\n' or '\r': every line break of the result is written so. */
  newlineSequence?: string | undefined
  trimBlocks?: boolean | undefined
  lstripBlocks?: boolean | undefined
  variableStart?: string | undefined
  variableEnd?: string | undefined
  blockStart?: string | undefined
  blockEnd?: string | undefined
  commentStart?: string | undefined
  commentEnd?: string | undefined
  /** Variables over the task's and the template_* ones (the lookup's template_vars). */
  extraVars?: Record<string, unknown> | undefined
}

const NEWLINES = new Set(['\n', '\r\n', '\r'])

/** Python's str(datetime): `2026-12-03 07:38:47.123456` in local time (no microseconds when zero). */
export function pythonDatetime(ms: number): string {
  const d = new Date(ms)
  const p = (n: number, w = 2): string => String(n).padStart(w, '0')
  const micro = Math.round((ms % 1000) * 1000)
  const date = `${d.getFullYear()}-${p(d.getMonth() + 1)}-${p(d.getDate())} ${p(d.getHours())}:${p(d.getMinutes())}:${p(d.getSeconds())}`
  return micro ? `${date}.${p(micro, 6)}` : date
}

function ownerName(uid: number): string {
  try {
    const me = userInfo()
    if (me.uid === uid) return me.username
  } catch {
    // no passwd entry for this process: fall back to the number
  }
  return String(uid)
}

/** ansible_managed and the template_* variables of Ansible's template module. */
export function templateVars(path: string, dest: string | undefined): Record<string, unknown> {
  const info = statSync(path)
  return {
    ansible_managed: 'Ansible managed',
    template_host: hostname(),
    template_path: path,
    template_fullpath: resolve(path),
    template_mtime: pythonDatetime(info.mtimeMs),
    template_uid: ownerName(info.uid),
    template_run_date: pythonDatetime(Date.now()),
    template_destpath: dest ?? null,
  }
}

/** Where include/import look, as Ansible's template module: role templates/, role, playbook templates/, playbook, the template's own folder. */
function searchDirs(scope: Scope, path: string): string[] {
  const dirs: string[] = []
  for (const name of ['role_path', 'playbook_dir']) {
    const dir = scope.lookup(name)
    if (typeof dir === 'string') dirs.push(join(dir, 'templates'), dir)
  }
  dirs.push(join(dirname(path), 'templates'), dirname(path))
  return dirs
}

interface LoadedFile {
  source: string
  settings: JinjaSettings
}

function readTemplate(path: string, base: JinjaSettings): LoadedFile {
  const { text, settings } = located(path, '', () => fileOverrides(readFileSync(path, 'utf8'), base))
  return { source: text, settings }
}

/** Loads the templates a template includes or imports, each parsed with its own `#jinja2:` settings. */
class FileLoader implements TemplateLoader {
  constructor(
    private readonly dirs: string[],
    private readonly settings: JinjaSettings,
  ) {}

  load(name: string): { path: string; body: Stmt[] } | undefined {
    const candidates = isAbsolute(name) ? [name] : this.dirs.map((d) => join(d, name))
    for (const path of candidates) {
      let isFile = false
      try {
        isFile = statSync(path).isFile()
      } catch {
        continue
      }
      if (!isFile) continue
      const { source, settings } = readTemplate(path, this.settings)
      return { path, body: located(path, source, () => parseJinja(source, settings)) }
    }
    return undefined
  }
}

function lineOf(source: string, offset: number): number {
  return source.slice(0, offset).split('\n').length
}

/** A template error names the file and line: `template.j2:3: 'x' is undefined`. */
function located<T>(path: string, source: string, fn: () => T): T {
  try {
    return fn()
  } catch (err) {
    if (err instanceof RenderFailure) {
      const file = err.path ?? path
      const text = file === path ? source : readFileSync(file, 'utf8')
      throw new TemplateError(`${file}:${lineOf(text, err.at)}: ${err.message}`, { cause: err.cause })
    }
    if (err instanceof ExprFailure && err.offset !== undefined) throw new TemplateError(`${path}:${lineOf(source, err.offset)}: syntax error: ${err.message}`)
    if (err instanceof ExprFailure) throw new TemplateError(`${path}: ${err.message}`, { cause: err.cause })
    throw err
  }
}

function settingsFor(options: JinjaFileOptions): JinjaSettings {
  const s = { ...ANSIBLE_SETTINGS }
  for (const key of Object.keys(s) as (keyof JinjaSettings)[]) {
    const value = (options as Record<string, unknown>)[key]
    if (value !== undefined) (s as Record<string, unknown>)[key] = value
  }
  return s
}

/** The variables of the task, under the template's own (which win, as in Ansible). */
function withTemplateVars(scope: Scope, vars: Record<string, unknown>): Scope {
  return { lookup: (name) => (Object.hasOwn(vars, name) ? vars[name] : scope.lookup(name)) }
}

/** Renders a Jinja2 template file; errors are TemplateErrors naming file:line. */
export function renderJinjaFile(path: string, scope: Scope, options: JinjaFileOptions = {}): string {
  const newline = options.newlineSequence ?? '\n'
  if (!NEWLINES.has(newline)) throw new TemplateError(`newline_sequence must be one of '\\n', '\\r\\n' or '\\r', not ${JSON.stringify(newline)}`)
  const base = { ...settingsFor(options), newlineSequence: newline }
  const { source, settings } = readTemplate(path, base)
  const vars = withTemplateVars(scope, { ...templateVars(path, options.dest), ...options.extraVars })
  const loader = new FileLoader(searchDirs(scope, path), base)
  return located(path, source, () => renderJinja(source, vars, { settings, loader, path }))
}
