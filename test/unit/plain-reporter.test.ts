/** What the plain reporter prints as ansible-playbook does, where scripts grep for it. */
import { describe, expect, it } from 'vitest'
import { PlainReporter } from '../../engine/output/plain.js'

describe('plain output', () => {
  const start = { kind: 'playbook:start', file: '/abs/dir/main.yml', named: 'dir/main.yml', plays: 2, check: false } as const
  const printed = (verbosity: number): string[] => {
    const lines: string[] = []
    new PlainReporter({ verbosity, write: (t) => lines.push(t) }).handle(start)
    return lines
  }

  it('-vv opens with the PLAYBOOK banner and the playbook executor\'s "N plays in" line (which runme scripts count)', () => {
    expect(printed(2).join('\n').split('\n')).toEqual(['', `PLAYBOOK: main.yml ${'*'.repeat(61)}`, '2 plays in dir/main.yml'])
  })

  it('prints neither below -vv', () => {
    expect(printed(1)).toEqual([])
  })
})
