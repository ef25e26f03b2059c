/** Result lines read as ansible-playbook 2.14's default callback writes them (each expectation copied from its output). */
import { describe, expect, test } from 'vitest'
import type { TaskResultEvent } from '../../engine/events.js'
import { banner, noColor, recapLines, resultLine } from '../../engine/output/format.js'

function event(module: string, result: Record<string, unknown>, extra: Partial<TaskResultEvent> = {}): TaskResultEvent {
  return { kind: 'task:result', task: { name: 't', handler: false, module }, host: 'testhost', status: 'ok', ignored: false, diff: [], result, actions: [], durationMs: 1, ...extra }
}

describe('a result line', () => {
  test('debug msg in a loop shows the msg alone, under the item as Python prints it', () => {
    const line = resultLine(event('debug', { msg: '1', item: { a: 1 }, ansible_loop_var: 'item', changed: false }, { item: "{'a': 1}" }), 0, noColor)
    expect(line).toBe(`ok: [testhost] => (item={'a': 1}) => {\n    "msg": "1"\n}`)
  })

  test('debug var shows the variable and the loop variable, keys sorted', () => {
    const line = resultLine(event('debug', { item: 1, ansible_loop_var: 'item', changed: false, failed: false }, { item: '1' }), 0, noColor)
    expect(line).toBe('ok: [testhost] => (item=1) => {\n    "ansible_loop_var": "item",\n    "item": 1\n}')
  })

  test('-v writes the result as json.dumps does: one line, sorted keys, Python separators, non-ASCII kept', () => {
    const line = resultLine(event('command', { rc: 0, changed: false, cmd: ['echo', 'é'], stdout: 'é' }), 1, noColor)
    expect(line).toBe('ok: [testhost] => {"changed": false, "cmd": ["echo", "é"], "rc": 0, "stdout": "é"}')
  })

  test('-vvv indents it', () => {
    expect(resultLine(event('command', { rc: 0, changed: false }), 3, noColor)).toBe('ok: [testhost] => {\n    "changed": false,\n    "rc": 0\n}')
  })

  test('a failure summary is one line in the same form', () => {
    const line = resultLine(event('command', { rc: 2, changed: false, cmd: 'false', msg: 'non-zero return code' }, { status: 'failed' }), 0, noColor)
    expect(line).toBe('fatal: [testhost]: FAILED! => {"changed": false, "cmd": "false", "msg": "non-zero return code", "rc": 2}')
  })
})

describe('banners and the recap', () => {
  test('a banner is 80 columns, as ansible-playbook writes it without a terminal', () => {
    expect(banner('TASK', 'install nginx')).toBe(`TASK [install nginx] ${'*'.repeat(59)}`)
    expect(banner('PLAY RECAP')).toHaveLength(80)
  })

  test("the recap's columns are Ansible's: the host padded to 26, each count to 4", () => {
    const stats = { testhost: { ok: 5, changed: 0, unreachable: 0, failed: 0, skipped: 12345, rescued: 0, ignored: 0 } }
    expect(recapLines(stats, noColor)).toEqual(['testhost                   : ok=5    changed=0    unreachable=0    failed=0    skipped=12345 rescued=0    ignored=0   '])
  })
})
