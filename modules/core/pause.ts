/**
 * pause: waits a number of seconds or minutes (Ansible's `pause`); runs on the controller, in
 * check mode too, as Ansible's action does. A prompt without a duration waits for Enter on a
 * terminal; without one, Ansible goes on at once with a warning, and so does tsplay.
 */
import { defineModule, type ArgValues } from '../../engine/module.js'
import { ModuleError } from '../../engine/errors.js'
import { floatRepr, pyRound } from '../../engine/expr/pyfloat.js'
import { timestamp } from '../_shared/python-time.js'

const args = {
  seconds: { type: 'int', description: 'How many seconds to wait (at least 1).' },
  minutes: { type: 'int', description: 'How many minutes to wait.' },
  prompt: { type: 'str', description: 'The text to show; without a duration, waits for Enter.' },
  echo: { type: 'bool', default: true, description: 'Show what is typed at the prompt.' },
} as const

const sleep = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms))

/** The seconds to wait, as Ansible counts them: minutes * 60, and never less than one. */
function waitSeconds(a: ArgValues<typeof args>): number | undefined {
  const seconds = a.minutes !== undefined ? a.minutes * 60 : a.seconds
  return seconds === undefined ? undefined : Math.max(1, seconds)
}

export default defineModule({
  name: 'pause',
  description: 'Waits for some seconds or minutes (or, with a prompt on a terminal, for Enter).',
  args,
  mutuallyExclusive: [['minutes', 'seconds']],
  controllerOnly: true,
  async plan(ctx, a) {
    const seconds = waitSeconds(a)
    const warnings: string[] = []
    if (seconds === undefined) {
      // tsplay has no way yet to read a key from inside a task: refuse rather than not wait.
      if (process.stdin.isTTY) throw new ModuleError('pause without seconds or minutes waits for Enter, which tsplay cannot read yet: give seconds or minutes')
      warnings.push('Not waiting for response to prompt as stdin is not interactive')
    }
    const start = new Date()
    if (a.prompt !== undefined) ctx.log(`[${ctx.task.name}]\n${a.prompt}${a.echo ? '' : ' (output is hidden)'}:`, 1)
    if (seconds !== undefined) await sleep(seconds * 1000)
    const elapsed = (Date.now() - start.getTime()) / 1000
    const unit = a.seconds !== undefined ? 'seconds' : 'minutes'
    const shown = pyRound(unit === 'minutes' ? elapsed / 60 : elapsed, 2)
    return {
      changed: false,
      result: {
        rc: 0,
        stderr: '',
        stdout: `Paused for ${floatRepr(shown)} ${unit}`,
        start: timestamp(start),
        stop: timestamp(new Date()),
        delta: Math.floor(elapsed),
        echo: a.echo,
        user_input: '',
        ...(warnings.length ? { warnings } : {}),
      },
    }
  },
})
