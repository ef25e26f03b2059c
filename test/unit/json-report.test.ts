/**
 * --json --diff of a loop: each item of `results` carries its own diff, as Ansible's json callback
 * gives it (a loop of mount or template tasks would otherwise show no diff at all in JSON), masked
 * like every other diff.
 */
import { afterEach, describe, expect, test } from 'vitest'
import type { RunEvent, TaskResultEvent } from '../../engine/events.js'
import { JsonReporter } from '../../engine/output/json.js'
import { ScrubbingReporter } from '../../engine/output/scrub.js'
import { MASK, registerSecret, resetSecretsForTests } from '../../engine/secrets.js'

afterEach(() => resetSecretsForTests())

const task = { name: 'storage : mounts', handler: false, pos: { file: 'tasks/main.yml', line: 3, col: 3 } }
function event(host: string, status: TaskResultEvent['status'], result: Record<string, unknown>, diff: TaskResultEvent['diff'] = []): TaskResultEvent {
  return { kind: 'task:result', task, host, status, ignored: false, diff, result, actions: [], durationMs: 1 }
}
const fstab = (line: string): TaskResultEvent['diff'] => [{ header: '/etc/fstab', before: '', after: `${line}\n` }]

function jsonOf(events: RunEvent[]): { plays: { tasks: { hosts: Record<string, { results?: Record<string, unknown>[] }> }[] }[] } {
  let out = ''
  const reporter = new ScrubbingReporter(new JsonReporter((t) => (out += t)))
  for (const e of events) reporter.handle(e)
  void reporter.close()
  return JSON.parse(out) as ReturnType<typeof jsonOf>
}

describe('the JSON report of a loop with --diff', () => {
  test('gives each item of results its own diff, per host, and none to an item that changed nothing', () => {
    registerSecret('pw-Mount-9')
    const item = (host: string, path: string, diff: TaskResultEvent['diff']): RunEvent => ({ kind: 'task:item', result: { ...event(host, diff.length ? 'changed' : 'ok', { path }, diff), item: path } })
    const json = jsonOf([
      { kind: 'play:start', name: 'p', hosts: ['a', 'b'], pos: { file: 'site.yml', line: 1, col: 1 } },
      { kind: 'task:start', task },
      item('a', '/mnt/x', fstab('s:/x /mnt/x nfs4 password=pw-Mount-9 0 0')),
      item('a', '/mnt/y', []),
      item('b', '/mnt/x', []),
      event('a', 'changed', { results: [{ path: '/mnt/x' }, { path: '/mnt/y' }] }),
      event('b', 'ok', { results: [{ path: '/mnt/x' }] }),
      { kind: 'recap', stats: {} },
    ])
    const hosts = json.plays[0]?.tasks[0]?.hosts ?? {}
    // The secret is masked as in every diff (mask-diff.ts: the rest of its line).
    expect(hosts['a']?.results).toEqual([
      { path: '/mnt/x', diff: [{ before_header: '/etc/fstab', after_header: '/etc/fstab', before: '', after: `s:/x /mnt/x nfs4 password=${MASK}\n` }] },
      { path: '/mnt/y' },
    ])
    expect(hosts['b']?.results).toEqual([{ path: '/mnt/x' }])
  })
})
