/** shell: runs command text through the target's shell, as written (Ansible's `shell`). */
import { defineModule, type ArgValues } from '../../engine/module.js'
import { sh } from '../../engine/quote.js'
import { applyCommand, backgroundCommand, COMMON_ARGS, commandFailure, commandSpec, extractInlineArgs, planCommand, type CommandSpec } from './execute.js'

const args = {
  cmd: { type: 'str', description: 'The shell text to run; pipes, redirects, variables and globs work.' },
  executable: { type: 'path', description: 'The shell to run the text with (default /bin/sh).' },
  ...COMMON_ARGS,
} as const

type Values = ArgValues<typeof args>

function spec(a: Values): CommandSpec {
  const { text, args: given } = extractInlineArgs(a.cmd ?? '')
  // As command's: Ansible fails the task (rc 256), so a templated empty command fails where it runs.
  if (text.trim() === '') throw commandFailure('no command given')
  const executable = a.executable ?? given['executable']
  // The text is handed whole, quoted, to its own shell (as Ansible runs `/bin/sh -c TEXT`):
  // pasted bare, a `;` in it would escape the connection's `cd DIR && ...` prefix.
  const command = sh`${executable ?? '/bin/sh'} -c ${text}`
  return commandSpec(command, text, a, given)
}

export default defineModule({
  name: 'shell',
  description: 'Runs shell text on the target through /bin/sh (or executable), as written.',
  args,
  freeForm: 'cmd',
  plan: (ctx, a) => planCommand(ctx, spec(a)),
  apply: (ctx, a) => applyCommand(ctx, spec(a)),
  background: (a) => backgroundCommand(spec(a)),
})
