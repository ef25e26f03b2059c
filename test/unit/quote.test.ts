import { execFileSync } from 'node:child_process'
import { describe, expect, it } from 'vitest'
import { ShellCommand, joinCommands, quote, sh } from '../../engine/quote.js'

/** What /bin/sh hands to a program for the command line: one argument per line, NUL-separated. */
function argvOf(command: ShellCommand): string[] {
  const out = execFileSync('/bin/sh', ['-c', `${command.text}`], { encoding: 'utf8' })
  return out.split('\0').slice(0, -1)
}

const HOSTILE = [
  "it's",
  '"double"',
  '$(touch /tmp/tsplay-pwned)',
  '`touch /tmp/tsplay-pwned`',
  'a; rm -rf /',
  'a && b || c',
  '*',
  '/etc/*.conf',
  '~root',
  'line1\nline2',
  '-rf',
  '--help',
  'ünïcødé ✓ 日本',
  '',
  ' leading and trailing ',
  '$HOME',
  '\\backslash\\',
  "'",
  "''",
  'a\tb',
  '!event',
  '{a,b}',
  '>redirect',
  '#comment',
]

describe('quote', () => {
  it.each(HOSTILE)('passes %j through /bin/sh as exactly one argument, unchanged', (value) => {
    expect(argvOf(sh`printf '%s\\0' ${value}`)).toEqual([value])
  })

  it('keeps every element of an array as its own argument', () => {
    expect(argvOf(sh`printf '%s\\0' ${HOSTILE}`)).toEqual(HOSTILE)
  })

  it('leaves safe words readable and quotes everything else', () => {
    expect(quote('/etc/nginx/nginx.conf')).toBe('/etc/nginx/nginx.conf')
    expect(quote('a b')).toBe("'a b'")
    expect(quote("it's")).toBe(`'it'\\''s'`)
    expect(quote('-n')).toBe("'-n'")
    expect(quote('')).toBe("''")
    expect(quote(42)).toBe('42')
  })

  it('inserts a nested command as the command it already is', () => {
    const inner = sh`echo ${'a b'}`
    expect(sh`sudo -- sh -c ${inner.text}`.text).toBe(`sudo -- sh -c 'echo '\\''a b'\\'''`)
    expect(sh`${inner} && true`.text).toBe("echo 'a b' && true")
    expect(joinCommands([sh`true`, sh`echo ${'x y'}`], ';').text).toBe("true ; echo 'x y'")
  })

  it('does not run anything hidden in a value', () => {
    argvOf(sh`printf '%s\\0' ${'$(touch /tmp/tsplay-quote-test)'} ${'`touch /tmp/tsplay-quote-test`'}`)
    expect(() => execFileSync('test', ['-e', '/tmp/tsplay-quote-test'])).toThrow()
  })
})
