import { describe, expect, it } from 'vitest'
import { comparePositions, LinearBarrier } from '../../engine/exec/barrier.js'
import { loopItems } from '../../engine/exec/loop.js'
import { batches } from '../../engine/exec/play.js'
import { renderedTags, selectedByTags } from '../../engine/exec/tags.js'
import { VarScope } from '../../engine/vars.js'
import { parseKv, splitWords } from '../../engine/playbook/kv.js'

describe('tags', () => {
  const cases: [string[], string[], string[], boolean][] = [
    [[], [], [], true],
    [['a'], ['a'], [], true],
    [['b'], ['a'], [], false],
    [[], ['a'], [], false],
    [['always'], ['a'], [], true],
    [['always'], ['a'], ['always'], false],
    [['never'], [], [], false],
    [['never', 'debug'], ['debug'], [], true],
    [['x'], ['tagged'], [], true],
    [[], ['untagged'], [], true],
    [['x'], ['untagged'], [], false],
    [['a'], [], ['a'], false],
    [['a', 'b'], [], ['b'], false],
    [['always'], [], ['all'], true],
    [['x'], [], ['tagged'], false],
  ]
  it.each(cases)('task tags %j with --tags %j --skip-tags %j runs: %s', (tags, only, skip, expected) => {
    expect(selectedByTags(tags, only, skip)).toBe(expected)
  })
})

describe('templated tags', () => {
  const scope = () => new VarScope([{ source: 'play vars', vars: { the_tags: ['tag3', 'tag4'], one: 'x' } }])
  it('render with the play vars, a list counting tag by tag; plain tags need no variables', () => {
    expect(renderedTags(['a', '{{ the_tags }}', '{{ one }}'], scope)).toEqual(['a', 'tag3', 'tag4', 'x'])
    expect(renderedTags(['a'], () => { throw new Error('not rendered') })).toEqual(['a'])
  })
})

describe('serial batches', () => {
  const hosts = ['a', 'b', 'c', 'd', 'e']
  it('splits by number, percentage and growing lists as Ansible', () => {
    expect(batches(hosts, [])).toEqual([hosts])
    expect(batches(hosts, [2])).toEqual([['a', 'b'], ['c', 'd'], ['e']])
    expect(batches(hosts, ['40%'])).toEqual([['a', 'b'], ['c', 'd'], ['e']])
    expect(batches(hosts, [1, 3])).toEqual([['a'], ['b', 'c', 'd'], ['e']])
    expect(batches(hosts, ['10%'])).toEqual([['a'], ['b'], ['c'], ['d'], ['e']])
  })
})

describe('loops', () => {
  it('turns loop keywords into items', () => {
    expect(loopItems('with_items', [1, [2, 3], [[4]]])).toEqual([1, 2, 3, [4]])
    expect(loopItems('with_dict', { a: 1 })).toEqual([{ key: 'a', value: 1 }])
    expect(loopItems('with_sequence', 'start=1 end=3 format=db%02d')).toEqual(['db01', 'db02', 'db03'])
    expect(loopItems('with_sequence', '1-3')).toEqual(['1', '2', '3'])
    expect(() => loopItems('loop', 'abc')).toThrow("Invalid data passed to 'loop', it requires a list")
  })
})

describe('k=v arguments', () => {
  it('splits words outside quotes and templates, keeping free-form text as written', () => {
    expect(splitWords(`a="b c" d={{ x | default('y z') }} 'e f'`)).toEqual(['a="b c"', "d={{ x | default('y z') }}", "'e f'"])
    expect(parseKv('echo "a b" creates=/tmp/x chdir="/my dir"')).toEqual({ args: { creates: '/tmp/x', chdir: '/my dir' }, freeForm: 'echo "a b"' })
  })
})

describe('linear barrier', () => {
  it('orders positions like paths', () => {
    expect(comparePositions([1, 2], [1, 3])).toBeLessThan(0)
    expect(comparePositions([1, 2], [1, 2, 0])).toBeLessThan(0)
    expect(comparePositions([2], [1, 9, 9])).toBeGreaterThan(0)
  })

  it('lets no host start a task before every host has finished the one before', async () => {
    const barrier = new LinearBarrier(['a', 'b'])
    const log: string[] = []
    const host = async (name: string, delays: number[]) => {
      for (const [i, ms] of delays.entries()) {
        await barrier.arrive(name, [i])
        log.push(`${name} start ${i}`)
        await new Promise((r) => setTimeout(r, ms))
        log.push(`${name} end ${i}`)
      }
      barrier.leave(name)
    }
    await Promise.all([host('a', [1, 1, 1]), host('b', [30, 1, 1])])
    for (let i = 1; i < 3; i++) {
      const firstStart = Math.min(log.indexOf(`a start ${i}`), log.indexOf(`b start ${i}`))
      expect(firstStart).toBeGreaterThan(log.indexOf(`a end ${i - 1}`))
      expect(firstStart).toBeGreaterThan(log.indexOf(`b end ${i - 1}`))
    }
  })

  it('does not wait for a host that has left', async () => {
    const barrier = new LinearBarrier(['a', 'b'])
    barrier.leave('b')
    await barrier.arrive('a', [5])
  })
})
