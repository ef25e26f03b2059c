/** The fake host of the module tests is strict: a command nobody wrote a rule for fails the test. */
import { describe, expect, it } from 'vitest'
import { FakeHost, runTask } from '../helpers/fake-host.js'

describe('the fake host', () => {
  it('throws, naming the command, when no rule answers it, also from inside a module', async () => {
    const host = new FakeHost([[/^true$/, {}]])
    await expect(runTask(host, 'command', { cmd: 'uptime' })).rejects.toThrow('the fake host has no rule for the command: uptime')
    expect((await runTask(host, 'command', { cmd: 'true' })).status).toBe('changed')
  })
})
