/** fail: fails the task with a message (Ansible's `fail`); runs on the controller. */
import { defineModule } from '../../engine/module.js'

const args = {
  msg: { type: 'str', default: 'Failed as requested from task', description: 'The failure message.' },
} as const

export default defineModule({
  name: 'fail',
  description: 'Fails the task with a message (use with when:).',
  args,
  controllerOnly: true,
  plan: async (_ctx, a) => ({ changed: false, failed: a.msg }),
})
