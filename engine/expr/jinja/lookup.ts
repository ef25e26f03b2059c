/**
 * `lookup('template', 'x.j2')` / `query('template', ...)`: renders a template file found as
 * Ansible's lookup finds it (role templates/, role, playbook templates/, playbook dir), with the
 * task's variables, the template_* ones and the lookup's template_vars. The renderer sits above
 * the evaluator, so it plugs itself into functions.ts here instead of being imported there.
 */
import { readFileSync, statSync } from 'node:fs'
import { isAbsolute, join } from 'node:path'
import { setTemplateLookup } from '../lookups/index.js'
import { pyLiteral } from '../../inventory/literal.js'
import { describe, truthy } from '../python.js'
import { needString } from '../types.js'
import { fail, isDict, type Dict } from '../values.js'
import { renderJinjaFile, type JinjaFileOptions } from './file.js'
import { ANSIBLE_SETTINGS } from './settings.js'
import type { Scope } from '../types.js'

function isFile(path: string): boolean {
  try {
    return statSync(path).isFile()
  } catch {
    return false
  }
}

function findTemplate(name: string, scope: Scope): string | undefined {
  if (isAbsolute(name)) return isFile(name) ? name : undefined
  const dirs: string[] = []
  for (const v of ['role_path', 'playbook_dir']) {
    const dir = scope.lookup(v)
    if (typeof dir === 'string') dirs.push(join(dir, 'templates'), dir)
  }
  return dirs.map((d) => join(d, name)).find(isFile)
}

const DELIMITERS: Record<string, keyof JinjaFileOptions> = {
  variable_start_string: 'variableStart',
  variable_end_string: 'variableEnd',
  comment_start_string: 'commentStart',
  comment_end_string: 'commentEnd',
}

function lookupOptions(options: Dict): JinjaFileOptions {
  const out: Record<string, unknown> = {}
  for (const [option, key] of Object.entries(DELIMITERS)) {
    if (options[option] !== undefined) out[key] = needString(options[option], option)
  }
  const extra = options['template_vars']
  if (extra !== undefined && !isDict(extra)) fail(`lookup('template'): template_vars must be a dict, not ${describe(extra)}`)
  if (extra !== undefined) out['extraVars'] = extra
  return out as JinjaFileOptions
}

/**
 * convert_data (on by default): output that looks like a list, a dict or a boolean becomes one,
 * as Ansible's ansible_eval_concat literal_evals it; output that is no literal stays text.
 */
function converted(text: string): unknown {
  // Jinja drops one trailing newline before Ansible looks; the file's newline comes back only on text.
  const core = text.endsWith('\n') ? text.slice(0, -1) : text
  if (!/^[{[]/.test(core) && core !== 'True' && core !== 'False') return text
  const literal = pyLiteral(core, { jsonNames: true })
  return literal.ok ? literal.value : text
}

/** Ansible's is_possibly_template: a file without a start marker is returned as it is, never converted. */
function isTemplate(source: string, options: JinjaFileOptions): boolean {
  const starts = [options.variableStart ?? ANSIBLE_SETTINGS.variableStart, ANSIBLE_SETTINGS.blockStart, options.commentStart ?? ANSIBLE_SETTINGS.commentStart]
  return starts.some((start) => source.includes(start))
}

setTemplateLookup((term, options, ctx) => {
  const name = needString(term, 'the template file name')
  const path = findTemplate(name, ctx.scope) ?? fail(`the template file ${name} could not be found for the lookup`)
  const settings = lookupOptions(options)
  const text = renderJinjaFile(path, ctx.scope, settings)
  return truthy(options['convert_data'] ?? true) && isTemplate(readFileSync(path, 'utf8'), settings) ? converted(text) : text
})
