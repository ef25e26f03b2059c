/** template: renders an EJS template on the controller and puts it on the target (Ansible's `template`). */
import { stat } from 'node:fs/promises'
import { defineModule, type PlanContext, type ArgValues } from '../../engine/module.js'
import { ModuleError, TemplateError, errorMessage } from '../../engine/errors.js'
import { unrenderableTemplate } from '../../engine/exec/ejs.js'
import { formatMode } from '../../engine/files/mode.js'
import { applyPut, planPut, PUT_ARGS, type PutRequest } from '../_shared/put-file.js'

const args = {
  src: { type: 'path', required: true, description: "The EJS template on the controller (looked up in the role's templates/, then beside the playbook)." },
  ...PUT_ARGS,
} as const

type Values = ArgValues<typeof args>

async function request(ctx: PlanContext, a: Values): Promise<PutRequest> {
  // A src that held a template is known only now; the loader refused every other one.
  const refused = unrenderableTemplate(a.src)
  if (refused) throw new TemplateError(refused)
  const path = ctx.findControllerFile('templates', a.src)
  let info
  try {
    info = await stat(path)
  } catch (err) {
    throw new ModuleError(`Could not find or access '${a.src}' on the controller: ${errorMessage(err)}`)
  }
  let text: string
  try {
    text = await ctx.renderTemplate(path)
  } catch (err) {
    // EJS names the file and line in its message; say which task's template it was.
    throw new ModuleError(`template error while rendering ${a.src}: ${errorMessage(err)}`, { src: path })
  }
  const mode = a.mode === 'preserve' ? formatMode(info.mode) : a.mode
  return {
    dest: a.dest,
    content: Buffer.from(text, 'utf8'),
    mode,
    owner: a.owner,
    group: a.group,
    backup: a.backup,
    force: a.force,
    validate: a.validate,
    srcName: a.src.replace(/^.*\//, '').replace(/\.ejs$/, ''),
    result: { src: path },
  }
}

export default defineModule({
  name: 'template',
  description: 'Renders an EJS template with the task’s variables and writes the result to the target.',
  args,
  checkAtLoad: (a) => (typeof a['src'] === 'string' ? unrenderableTemplate(a['src']) : undefined),
  plan: async (ctx, a) => planPut(ctx, await request(ctx, a)),
  apply: (ctx, _a, data) => applyPut(ctx, data),
})
