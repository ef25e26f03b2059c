/** Template files on the controller: `*.ejs` as EJS, every other file as Jinja2 (engine/expr/jinja/file.ts). */
import { renderJinjaFile } from '../expr/jinja/file.js'
import type { VarScope } from '../vars.js'
import { renderEjs } from './ejs.js'
import type { TemplateFileOptions } from './jinja-options.js'

export { pythonDatetime, templateVars } from '../expr/jinja/file.js'

export function renderTemplateFile(path: string, scope: VarScope, options: TemplateFileOptions = {}): string {
  return path.endsWith('.ejs') ? renderEjs(path, scope) : renderJinjaFile(path, scope, options)
}
