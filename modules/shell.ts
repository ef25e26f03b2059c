/** shell: runs command text through the target's shell, as written (Ansible's `shell`). */
import { defineModule } from '../engine/module.js'
import { ModuleError } from '../engine/errors.js'
import { sh } from '../engine/quote.js'
import { applyCommand, COMMON_ARGS, extractInlineArgs, planCommand, type CommandSpec } from './_shared/run-command.js'

const args = {
  cmd: { type: 'str', required: true, description: 'The shell text to run; pipes, redirects, variables and globs work.' },
  executable: { type: 'path', description: 'The shell to run the text with (default /bin/sh).' },
  ...COMMON_ARGS,
} as const

type Values = {
  cmd: string
  executable?: string | undefined
  chdir?: string | undefined
  creates?: string | undefined
  removes?: string | undefined
  stdin?: string | undefined
  stdin_add_newline: boolean
  strip_empty_ends: boolean
}

function spec(a: Values): CommandSpec {
  const { text, args: given } = extractInlineArgs(a.cmd)
  if (text.trim() === '') throw new ModuleError('no command given')
  const executable = a.executable ?? given['executable']
  // The text is handed whole, quoted, to its own shell (as Ansible runs `/bin/sh -c TEXT`):
  // pasted bare, a `;` in it would escape the connection's `cd DIR && ...` prefix.
  const command = sh`${executable ?? '/bin/sh'} -c ${text}`
  return {
    command,
    display: text,
    chdir: a.chdir ?? given['chdir'],
    creates: a.creates ?? given['creates'],
    removes: a.removes ?? given['removes'],
    stdin: a.stdin ?? given['stdin'],
    stdin_add_newline: a.stdin_add_newline,
    strip_empty_ends: a.strip_empty_ends,
  }
}

export default defineModule({
  name: 'shell',
  description: 'Runs shell text on the target through /bin/sh (or executable), as written.',
  args,
  freeForm: 'cmd',
  plan: (ctx, a) => planCommand(ctx, spec(a)),
  apply: (ctx, a) => applyCommand(ctx, spec(a)),
})
