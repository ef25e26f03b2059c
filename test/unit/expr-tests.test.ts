/** `x is TEST`: Jinja's and Ansible's tests, including registered-result tests and version comparison. */
import { mkdtempSync, mkdirSync, symlinkSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { describe, expect, test } from 'vitest'
import { evaluatorOver } from '../helpers/expr.js'

const dir = mkdtempSync(join(tmpdir(), 'tsplay-expr-tests-'))
writeFileSync(join(dir, 'file.txt'), 'x')
mkdirSync(join(dir, 'sub'))
symlinkSync(join(dir, 'file.txt'), join(dir, 'link'))

const vars: Record<string, unknown> = {
  d: { k: 'v' }, l: [1, 2, 3], s: 'abc', dir,
  refapp_unit: { changed: true, failed: false, rc: 0 },
  failed_result: { changed: false, failed: true, rc: 2 },
  skipped_result: { changed: false, skipped: true },
  unreachable_result: { unreachable: true },
  rc_only: { changed: false, rc: 1 },
  loop_result: { results: [{ changed: false }, { changed: true }] },
}
const { ev } = evaluatorOver(vars)
const cases = (rows: [string, boolean][]): void => {
  test.each(rows)('%s', (expr, expected) => {
    expect(ev(expr)).toBe(expected)
  })
}

describe('types', () => {
  cases([
    ['none is none', true], ['0 is none', false], ['d.k is not none', true],
    ['true is true', true], ['1 is true', false], ['false is false', true], ['0 is false', false], ['true is boolean', true], ["'yes' is boolean", false],
    ["'a' is string", true], ['1 is string', false], ['1 is number', true], ['1.5 is number', true], ["'1' is number", false],
    ['1 is integer', true], ['1.5 is integer', false], ['1.5 is float', true], ['1 is float', false],
    ['d is mapping', true], ['l is mapping', false], ['l is sequence', true], ['s is sequence', true], ['1 is sequence', false],
    ['l is iterable', true], ['d is iterable', true], ['1 is iterable', false], ['l is not string', true],
  ])
})

describe('comparisons', () => {
  cases([
    ['true is sameas true', true], ['1 is sameas true', false], ['none is sameas none', true],
    ['1 is eq 1', true], ['1 is equalto 1', true], ['l is eq [1, 2, 3]', true], ['1 is ne 1', false], ['1 is lt 2', true], ['2 is le 2', true],
    ['3 is gt 2', true], ['2 is ge 3', false], ["'b' is gt 'a'", true], ['2 is in l', true], ["'b' is in s", true], ['l is contains 2', true],
    ['[1, 2] is subset(l)', true], ['l is superset([1, 2])', true], ['[1, 4] is subset(l)', false],
    ['[1, 1] is all', true], ['[0, 1] is all', false], ['[0, 1] is any', true], ["'abc' is lower", true], ["'ABC' is upper", true],
  ])
})

describe('numbers', () => {
  cases([
    ['9 is divisibleby 3', true], ['9 is divisibleby(4)', false], ['2 is even', true], ['3 is even', false], ['3 is odd', true], ['-3 is odd', true],
    ['l | length is odd', true], ['4 is not odd', true],
  ])
})

describe('regular expressions', () => {
  cases([
    ["'abc' is match('a')", true], ["'abc' is match('b')", false], ["'abc' is search('b')", true], ["'abc' is regex('^a')", true],
    ["'ABC' is match('a', ignorecase=true)", true], ["'x\\ny' is search('^y', multiline=true)", true], ["'x\\ny' is search('^y')", false],
    ["'abc' is regex('abc', match_type='fullmatch')", true], ["'abcd' is regex('abc', match_type='fullmatch')", false],
    ["'10.0.0.1' is match('\\d+\\.\\d+')", true],
  ])
})

describe('versions', () => {
  cases([
    ["'1.2.10' is version('1.2.9', '>')", true], ["'1.2.10' is version('1.2.9', 'lt')", false], ["'2.0' is version('2.0', '==')", true],
    ["'2.0' is version('2.0')", true], ["'2.0' is version('2.1', '!=')", true], ["'2.0' is version('2.1', '<>')", true],
    ["'7' is version('10', '<')", true], ["'12.04' is version('9.10', 'ge')", true], ["'22.04' is version_compare('20.04', '>=')", true],
    ["'1.0~rc1' is version('1.0', '<')", true], ["'2.31-0ubuntu9' is version('2.31', '>=')", true], ["'1:1.0' is version('2.0', '>')", true],
    ["'1.0a' is version('1.0', '>')", true], ["'1.0a' is version('1.0.1', '<')", true], ['12 is version(9, ">")', true],
  ])

  test('an unknown operator is an error listing the valid ones', () => {
    expect(() => ev("'1' is version('2', '=>')")).toThrow(/unknown version operator '=>' \(use one of <, lt, <=, le/)
  })
})

describe('files on the controller', () => {
  cases([
    ["(dir ~ '/file.txt') is file", true], ["(dir ~ '/sub') is file", false], ["(dir ~ '/sub') is directory", true],
    ["(dir ~ '/link') is link", true], ["(dir ~ '/file.txt') is link", false], ["(dir ~ '/nope') is exists", false], ["(dir ~ '/link') is exists", true],
  ])
})

describe('registered task results', () => {
  cases([
    ['refapp_unit is changed', true], ['refapp_unit is change', true], ['refapp_unit is not changed', false], ['refapp_unit is failed', false],
    ['refapp_unit is succeeded', true], ['refapp_unit is success', true], ['refapp_unit is successful', true], ['refapp_unit is skipped', false],
    ['failed_result is failed', true], ['failed_result is failure', true], ['failed_result is succeeded', false], ['failed_result is changed', false],
    ['skipped_result is skipped', true], ['skipped_result is skip', true], ['unreachable_result is unreachable', true], ['unreachable_result is reachable', false],
    ['refapp_unit is reachable', true], ['rc_only is failed', false], ['loop_result is changed', true],
  ])

  test('a result test on something that is not a result is an error', () => {
    expect(() => ev('s is changed')).toThrow(/the 'changed' test expects a registered task result \(a dict\), not a string/)
  })

  test('a result test on an unregistered name is an undefined error', () => {
    expect(() => ev('refapp_unitt is changed')).toThrow(/'refapp_unitt' is undefined/)
  })
})
