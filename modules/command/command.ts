/** command: runs a program with arguments, without a shell (Ansible's `command`). */
import { defineModule, type ArgValues } from '../../engine/module.js'
import { ModuleError } from '../../engine/errors.js'
import { sh, type ShellCommand } from '../../engine/quote.js'
import { expandedWord } from './expand.js'
import { applyCommand, backgroundCommand, COMMON_ARGS, commandFailure, commandSpec, extractInlineArgs, planCommand, type CommandSpec } from './execute.js'
import { shlexSplit, ShlexError } from '../../engine/shlex.js'

const args = {
  cmd: { type: 'str', description: 'The command line, split into words as a POSIX shell would but never run through one.' },
  argv: { type: 'list', elements: 'str', description: 'The command as a list of words (instead of cmd).' },
  expand_argument_vars: { type: 'bool', default: true, description: 'Expand $VARIABLES and a leading ~ in each word on the target, as Ansible does.' },
  executable: { type: 'str', description: 'Not used, with a warning, as in Ansible since 2.4 (the shell module takes it).' },
  ...COMMON_ARGS,
} as const

type Values = ArgValues<typeof args>

function spec(a: Values): CommandSpec {
  const inline = a.cmd !== undefined ? extractInlineArgs(a.cmd) : { text: '', args: {} }
  const given = inline.text.trim() !== ''
  if (!given && !a.argv?.length) throw commandFailure('no command given')
  if (given && a.argv?.length) throw commandFailure('only command or argv can be given, not both')
  let words: string[]
  try {
    words = a.argv ?? shlexSplit(inline.text)
  } catch (err) {
    if (err instanceof ShlexError) throw new ModuleError(`cannot split the command into words: ${err.message}`)
    throw err
  }
  if (words.length === 0 || words[0] === '') throw commandFailure('no command given')
  const command = words
    .map((w): ShellCommand => (a.expand_argument_vars ? expandedWord(w) : sh`${w}`))
    .reduce((line, word) => sh`${line} ${word}`)
  const spec = commandSpec(command, words, a, inline.args)
  const executable = a.executable ?? inline.args['executable']
  if (!executable) return spec
  return { ...spec, warnings: [`As of Ansible 2.4, the parameter 'executable' is no longer supported with the 'command' module. Not using '${executable}'.`] }
}

export default defineModule({
  name: 'command',
  description: 'Runs a command on the target without a shell (no pipes, redirects or globs).',
  args,
  freeForm: 'cmd',
  // No cmd, or both cmd and argv, fail when the task runs (rc 256), as in Ansible, not at load.
  plan: (ctx, a) => planCommand(ctx, spec(a)),
  apply: (ctx, a) => applyCommand(ctx, spec(a)),
  background: (a) => backgroundCommand(spec(a)),
})
