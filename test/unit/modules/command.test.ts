import { describe, expect, it } from 'vitest'
import { shlexSplit } from '../../../engine/shlex.js'
import { extractInlineArgs } from '../../../modules/command/execute.js'

describe('command text splits into words like Python’s shlex.split', () => {
  it.each([
    ['ls -l /tmp', ['ls', '-l', '/tmp']],
    ['  echo   a\tb  ', ['echo', 'a', 'b']],
    [`echo 'a b' "c d"`, ['echo', 'a b', 'c d']],
    [`echo "it's" 'say "hi"'`, ['echo', "it's", 'say "hi"']],
    [`echo a\\ b`, ['echo', 'a b']],
    [`echo "a\\"b" "c\\\\d" "e\\nf"`, ['echo', 'a"b', 'c\\d', 'e\\nf']],
    [`echo 'a\\b'`, ['echo', 'a\\b']],
    [`echo x'y'"z"`, ['echo', 'xyz']],
    [`echo ''`, ['echo', '']],
    [`echo $HOME; rm -rf /`, ['echo', '$HOME;', 'rm', '-rf', '/']],
    ['', []],
  ])('%j', (text, words) => {
    expect(shlexSplit(text)).toEqual(words)
  })

  it('splits on ASCII whitespace only: a no-break space stays in its word, as in Python', () => {
    expect(shlexSplit('echo a\u00a0b')).toEqual(['echo', 'a\u00a0b'])
  })

  it('fails on an unclosed quote, as shlex does', () => {
    expect(() => shlexSplit(`echo 'oops`)).toThrow('No closing quotation')
    expect(() => shlexSplit(`echo "oops`)).toThrow('No closing quotation')
    expect(() => shlexSplit(`echo oops\\`)).toThrow('No escaped character')
  })
})

describe('free-form creates=/chdir= words are taken out, as Ansible does', () => {
  it('removes known key=value words and keeps the rest as written', () => {
    expect(extractInlineArgs(`tar xf a.tgz creates=/opt/a chdir="/opt x"`)).toEqual({
      text: 'tar xf a.tgz',
      args: { creates: '/opt/a', chdir: '/opt x' },
    })
  })
  it('leaves other key=value words and quoted ones alone', () => {
    expect(extractInlineArgs(`env FOO=1 'creates=x' make`)).toEqual({ text: `env FOO=1 'creates=x' make`, args: {} })
  })
  it('keeps shell text byte for byte around what it removes', () => {
    expect(extractInlineArgs(`echo "a  b" | tr a b > /tmp/x removes=/tmp/y`).text).toBe(`echo "a  b" | tr a b > /tmp/x`)
  })
})
