/**
 * Jinja2 templates with statements: playbook strings holding `{% %}` and template files.
 * Parsed trees are cached by text and settings; rendering uses the one expression evaluator.
 */
import type { Scope } from '../types.js'
import type { Stmt } from './ast.js'
import { globalsFrame } from './frame.js'
import { parseStatements } from './parse.js'
import { Renderer, type TemplateLoader } from './render.js'
import { ANSIBLE_SETTINGS, type JinjaSettings } from './settings.js'

export { RenderFailure, type TemplateLoader } from './render.js'
export { ANSIBLE_SETTINGS, fileOverrides, PLAYBOOK_STRING_SETTINGS, type JinjaSettings } from './settings.js'

const CACHE_SIZE = 2000
const parsed = new Map<string, Stmt[]>()

/** The statement tree of a template; throws ExprFailure with a source offset on a syntax error. */
export function parseJinja(source: string, settings: JinjaSettings = ANSIBLE_SETTINGS): Stmt[] {
  const key = settings === ANSIBLE_SETTINGS ? source : `${JSON.stringify(settings)}\0${source}`
  let body = parsed.get(key)
  if (!body) {
    body = parseStatements(source, settings)
    if (parsed.size >= CACHE_SIZE) parsed.clear()
    parsed.set(key, body)
  }
  return body
}

export interface RenderOptions {
  settings?: JinjaSettings
  loader?: TemplateLoader
  /** The template file, for includes beside it and for messages. */
  path?: string
}

function newlinesAtEnd(text: string): number {
  return text.length - text.replace(/\n+$/, '').length
}

/**
 * Renders a template's text with the scope's variables. Throws ExprFailure (RenderFailure when
 * rendering). As Ansible's templar does, the result ends with at least as many newlines as the
 * source (Jinja drops one; an included template still loses its last one).
 */
export function renderJinja(source: string, scope: Scope, options: RenderOptions = {}): string {
  const settings = options.settings ?? ANSIBLE_SETTINGS
  const body = parseJinja(source, settings)
  const out = new Renderer(options.loader, options.path).renderTemplate(body, globalsFrame(scope))
  const missing = newlinesAtEnd(source) - newlinesAtEnd(out)
  return missing > 0 ? out + settings.newlineSequence.repeat(missing) : out
}
