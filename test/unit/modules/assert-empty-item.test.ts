/** An empty `that` item (a bare `-` in YAML) is true, as Ansible's conditional of None or ''. */
import { describe, expect, it } from 'vitest'
import { runTestModule } from '../../helpers/module-harness.js'

describe('assert', () => {
  it('passes over an empty item and still checks the others', async () => {
    expect((await runTestModule('assert', { that: ['1 == 1', null, ''] })).status).toBe('ok')
    expect((await runTestModule('assert', { that: [null, '1 == 2'] })).msg).toBe('Assertion failed')
  })
})
