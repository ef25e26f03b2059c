/** lookup('sequence') / with_sequence: items and error words as ansible-playbook 2.14 gives them. */
import { describe, expect, it } from 'vitest'
import { loopItems } from '../../engine/exec/loop.js'
import { pyIntAuto } from '../../engine/expr/lookups/sequence.js'

const seq = (spec: unknown): unknown[] => loopItems('with_sequence', spec)

describe('with_sequence', () => {
  it('takes the shortcut form [start-]end[/stride][:format]', () => {
    expect(seq('4')).toEqual(['1', '2', '3', '4'])
    expect(seq('2-6/2')).toEqual(['2', '4', '6'])
    expect(seq('7-8:host%02d')).toEqual(['host07', 'host08'])
    expect(seq('0x10-0x12:%x')).toEqual(['10', '11', '12'])
  })
  it('takes key=value arguments, count counting from start', () => {
    expect(seq('start=3 end=0 stride=-1')).toEqual(['3', '2', '1', '0'])
    expect(seq('start=0x0f00 count=4 format=%04x')).toEqual(['0f00', '0f01', '0f02', '0f03'])
    expect(seq('start=5 end=11 stride=2 format=0x%02x')).toEqual(['0x05', '0x07', '0x09', '0x0b'])
    expect(seq('start=0 count=5 stride=2')).toEqual(['0', '2', '4', '6', '8'])
    expect(seq('count=0')).toEqual([])
    expect(seq('start=1 end=1')).toEqual(['1'])
  })
  it("fails in Ansible's words", () => {
    expect(() => seq('start=0 junk=3')).toThrow("unrecognized arguments to with_sequence: ['junk']")
    expect(() => seq('start=1 end=3 bar')).toThrow("unrecognized arguments to with_sequence: ['_raw_params']")
    expect(() => seq('start=A end=3')).toThrow("can't parse start=A as integer")
    expect(() => seq('start=010 end=3')).toThrow("can't parse start=010 as integer")
    expect(() => seq('1-B/2')).toThrow("can't parse end=B as integer")
    expect(() => seq('1-4/C')).toThrow("can't parse stride=C as integer")
    expect(() => seq('start=1')).toThrow('must specify count or end in with_sequence')
    expect(() => seq('start=1 end=4 count=2')).toThrow("can't specify both count and end in with_sequence")
    expect(() => seq('start=4 end=1 stride=2')).toThrow('to count backwards make stride negative')
    expect(() => seq('start=1 end=4 stride=-2')).toThrow("to count forward don't make stride negative")
    expect(() => seq('start=1 end=4 format=d')).toThrow('bad formatting string: d')
    expect(() => seq(4)).toThrow("unknown error parsing with_sequence arguments: 4. Error was: expected string or bytes-like object, got 'int'")
  })
  it("reads numbers as Python's int(text, 0)", () => {
    expect([pyIntAuto('12'), pyIntAuto('0x1f'), pyIntAuto('0o17'), pyIntAuto('0b101'), pyIntAuto('-3'), pyIntAuto('1_000'), pyIntAuto('00')]).toEqual([12, 31, 15, 5, -3, 1000, 0])
    expect([pyIntAuto('010'), pyIntAuto('A'), pyIntAuto('1__0'), pyIntAuto('')]).toEqual([undefined, undefined, undefined, undefined])
  })
})
