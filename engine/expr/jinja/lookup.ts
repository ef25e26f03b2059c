/**
 * `lookup('template', 'x.j2')` / `query('template', ...)`: renders a template file found as
 * Ansible's lookup finds it (role templates/, role, playbook templates/, playbook dir), with the
 * task's variables, the template_* ones and the lookup's template_vars. The renderer sits above
 * the evaluator, so it plugs itself into functions.ts here instead of being imported there.
 */
import { statSync } from 'node:fs'
import { isAbsolute, join } from 'node:path'
import { setTemplateLookup } from '../lookups/index.js'
import { describe } from '../python.js'
import { needString } from '../types.js'
import { fail, isDict, type Dict } from '../values.js'
import { renderJinjaFile, type JinjaFileOptions } from './file.js'
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

setTemplateLookup((term, options, ctx) => {
  const name = needString(term, 'the template file name')
  const path = findTemplate(name, ctx.scope) ?? fail(`the template file ${name} could not be found for the lookup`)
  return renderJinjaFile(path, ctx.scope, lookupOptions(options))
})
