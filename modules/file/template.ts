/**
 * template: renders a template on the controller and puts it on the target (Ansible's
 * `template`). `*.ejs` is EJS; every other src is Jinja2 with Ansible's settings and variables.
 */
import { stat } from 'node:fs/promises'
import { defineModule, type PlanContext, type ArgValues } from '../../engine/module.js'
import { ModuleError, errorMessage } from '../../engine/errors.js'
import { CodecError, encodeText } from '../../engine/files/codec.js'
import { formatMode } from '../../engine/files/mode.js'
import { PUT_ARGS, type PutRequest } from '../_shared/put-file.js'
import { applyCopy, planFileCopy } from './copy.js'

const args = {
  src: { type: 'path', required: true, description: "The template on the controller (looked up in the role's templates/, then beside the playbook): Jinja2, or EJS when it ends in .ejs." },
  ...PUT_ARGS,
  newline_sequence: { type: 'str', default: '\n', choices: ['\n', '\r', '\r\n', '\\n', '\\r', '\\r\\n'], description: 'The line break the template\'s text is written with.' },
  trim_blocks: { type: 'bool', default: true, description: 'Remove the first newline after a block tag.' },
  lstrip_blocks: { type: 'bool', default: false, description: 'Strip the spaces and tabs before a block tag at the start of a line.' },
  variable_start_string: { type: 'str', description: "What opens an expression (default '{{')." },
  variable_end_string: { type: 'str', description: "What closes an expression (default '}}')." },
  block_start_string: { type: 'str', description: "What opens a statement (default '{%')." },
  block_end_string: { type: 'str', description: "What closes a statement (default '%}')." },
  comment_start_string: { type: 'str', description: "What opens a comment (default '{#')." },
  comment_end_string: { type: 'str', description: "What closes a comment (default '#}')." },
  output_encoding: { type: 'str', default: 'utf-8', description: "The encoding the rendered text is written in, by Python's codec name (utf-8, windows-1252, latin-1, utf-16, ...)." },
} as const

type Values = ArgValues<typeof args>

/** Ansible accepts the escaped spellings `\n` as a playbook writes them in single quotes. */
const ESCAPED_NEWLINES: Record<string, string> = { '\\n': '\n', '\\r': '\r', '\\r\\n': '\r\n' }

async function request(ctx: PlanContext, a: Values): Promise<PutRequest> {
  const path = ctx.findControllerFile('templates', a.src)
  let info
  try {
    info = await stat(path)
  } catch (err) {
    throw new ModuleError(`Could not find or access '${a.src}' on the controller: ${errorMessage(err)}`)
  }
  let text: string
  try {
    text = await ctx.renderTemplate(path, {
      dest: a.dest,
      newlineSequence: ESCAPED_NEWLINES[a.newline_sequence] ?? a.newline_sequence,
      trimBlocks: a.trim_blocks,
      lstripBlocks: a.lstrip_blocks,
      variableStart: a.variable_start_string,
      variableEnd: a.variable_end_string,
      blockStart: a.block_start_string,
      blockEnd: a.block_end_string,
      commentStart: a.comment_start_string,
      commentEnd: a.comment_end_string,
    })
  } catch (err) {
    // The message names the template's file and line; say which task's template it was.
    throw new ModuleError(`template error while rendering ${a.src}: ${errorMessage(err)}`, { src: path })
  }
  const mode = a.mode === 'preserve' ? formatMode(info.mode) : a.mode
  return {
    dest: a.dest,
    content: encoded(text, a.output_encoding),
    mode,
    owner: a.owner,
    group: a.group,
    backup: a.backup,
    force: a.force,
    validate: a.validate,
    follow: a.follow,
    srcName: a.src.replace(/^.*\//, '').replace(/\.ejs$/, ''),
    result: { src: path },
  }
}

/** The rendered text in output_encoding; an empty one is the default, as Ansible's action reads it. */
function encoded(text: string, encoding: string): Buffer {
  try {
    return encodeText(text, encoding === '' ? 'utf-8' : encoding)
  } catch (err) {
    if (err instanceof CodecError) throw new ModuleError(`output_encoding: ${err.message}`)
    throw err
  }
}

export default defineModule({
  name: 'template',
  description: 'Renders a Jinja2 (or EJS) template with the task’s variables and writes the result to the target.',
  args,
  plan: async (ctx, a) => planFileCopy(ctx, await request(ctx, a)),
  apply: (ctx, _a, data) => applyCopy(ctx, data),
  // Ansible's action for it takes no async.
  noAsync: true,
})
