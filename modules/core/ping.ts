/**
 * ping: proves the host answers a command through its shell, and returns `ping: <data>`
 * (Ansible's `ping`). `data: crash` makes the module fail as Ansible's raises on purpose, to
 * test how a playbook handles a module failure.
 */
import { defineModule } from '../../engine/module.js'
import { sh } from '../../engine/quote.js'

const args = {
  data: { type: 'str', default: 'pong', description: "What the result's `ping` holds; 'crash' makes the module fail." },
} as const

/** What Ansible reports when its module raised: the module's stderr, and MODULE FAILURE. */
const CRASH = {
  module_stdout: '',
  module_stderr: 'Exception: boom\n',
  exception: 'Exception: boom\n',
  rc: 1,
}

export default defineModule({
  name: 'ping',
  description: "Checks that the host runs a command, and returns `ping: pong` (or the given data).",
  args,
  async plan(ctx, a) {
    await ctx.read(sh`:`)
    if (a.data === 'crash') return { changed: false, failed: 'MODULE FAILURE\nSee stdout/stderr for the exact error', result: CRASH }
    return { changed: false, result: { ping: a.data } }
  },
})
