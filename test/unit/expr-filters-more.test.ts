/**
 * truthy/falsy tests, truncate, wordcount, splitext, expanduser, realpath. Expected values were
 * printed by ansible-playbook (ansible-core 2.14, Jinja 3.1) for the same expressions.
 */
import { mkdtempSync, symlinkSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { describe, expect, test } from 'vitest'
import { renderString } from '../../engine/expr/index.js'
import { evaluatorOver, scopeOver } from '../helpers/expr.js'

const { ev } = evaluatorOver({})

describe('truthy and falsy', () => {
  test.each([
    ["'no' is truthy", true], ["'no' is truthy(convert_bool=True)", false], ["' Y ' is truthy(convert_bool=True)", true],
    ['2 is truthy(convert_bool=True)', true], ['0 is falsy', true], ["'x' is falsy(convert_bool=True)", false],
    ['[] is truthy', false], ["'t' is truthy(convert_bool=True)", true], ["'off' is falsy(convert_bool=True)", true],
  ])('%s', (expr, expected) => {
    expect(ev(expr)).toBe(expected)
  })
})

describe('truncate and wordcount', () => {
  test.each([
    ["'hello world foo' | truncate(9)", 'hello...'],
    ["'hello world foo' | truncate(9, True)", 'hello ...'],
    ["'hello world foo' | truncate(9, False, '..', 0)", 'hello..'],
    ["'hello world foobar' | truncate(12)", 'hello...'],
    ["'helloworldfoobar' | truncate(9)", 'hellow...'],
    ["'hello world foo' | truncate(10)", 'hello world foo'],
    ["('foo bar baz qux ' * 70) | truncate | length", 254],
    ["'a b  c\\nd' | wordcount", 4],
  ])('%s', (expr, expected) => {
    expect(ev(expr)).toEqual(expected)
  })
  test('a length shorter than the end fails as Jinja does', () => {
    expect(() => ev("'hello world' | truncate(2)")).toThrow('expected length >= 3, got 2')
  })
})

describe('paths', () => {
  test('splitext prints as a tuple', () => {
    expect(renderString("- {{ ['/a/b.tar.gz' | splitext, 'noext' | splitext, '.bashrc' | splitext, 'a.' | splitext, 'a/.b.c' | splitext] }}", scopeOver({})))
      .toBe("- [('/a/b.tar', '.gz'), ('noext', ''), ('.bashrc', ''), ('a', '.'), ('a/.b', '.c')]")
  })
  test('expanduser reads HOME; another user stays as written', () => {
    expect(ev("'~/x' | expanduser")).toBe(`${process.env['HOME'] ?? ''}/x`)
    expect(ev("'~nobody_here/x' | expanduser")).toBe('~nobody_here/x')
  })
  test('realpath follows links and keeps the missing rest', () => {
    const dir = mkdtempSync(join(tmpdir(), 'realpath-'))
    symlinkSync(dir, join(dir, 'link'))
    const real = ev(`'${dir}/link/missing/../x' | realpath`) as string
    expect(real.endsWith('/x')).toBe(true)
    expect(real.includes('link')).toBe(false)
  })
})
