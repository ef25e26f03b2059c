/** lookup('inventory_hostnames'): hosts of a pattern over `groups`, in the order ansible-playbook 2.14 gives them. */
import { describe, expect, it } from 'vitest'
import { MISSING, renderString, type Scope } from '../../engine/expr/index.js'
import { loopItems } from '../../engine/exec/loop.js'

const groups: Record<string, string[]> = {
  all: ['nogroup01', 'nogroup02', 'test01', 'test05', 'test03', 'test04', 'test200'],
  ungrouped: ['nogroup01', 'nogroup02'],
  group01: ['test01', 'test05', 'test03', 'test04'],
  group02: ['test03', 'test04', 'test200'],
}
const scope: Scope = { lookup: (name) => (name === 'groups' ? groups : MISSING) }
const at = (expr: string): unknown => renderString(`{{ ${expr} }}`, scope)

describe("lookup('inventory_hostnames')", () => {
  it('selects with host patterns: groups, exclusions, intersections, globs, subscripts', () => {
    expect(at("q('inventory_hostnames', 'group01')")).toEqual(['test01', 'test05', 'test03', 'test04'])
    expect(at("q('inventory_hostnames', 'group01:!test03')")).toEqual(['test01', 'test05', 'test04'])
    expect(at("q('inventory_hostnames', 'group01:&group02')")).toEqual(['test03', 'test04'])
    expect(at("q('inventory_hostnames', 't?s?03')")).toEqual(['test03'])
    expect(at("q('inventory_hostnames', 'all')")).toHaveLength(7)
    expect(at("q('inventory_hostnames', 'doesnotexist')")).toEqual([])
    expect(at("q('inventory_hostnames', '~(bad')")).toEqual([])
  })
  it('keeps the order the pattern found the hosts in, each term split on its own', () => {
    expect(at("lookup('inventory_hostnames', 'group02:group01')")).toBe('test03,test04,test200,test01,test05')
    expect(at("q('inventory_hostnames', 'localhost', 'group01[1:2]')")).toEqual(['localhost', 'test05', 'test03'])
    expect(loopItems('with_inventory_hostnames', ['group02', '!test200'], scope)).toEqual(['test03', 'test04'])
  })
})
