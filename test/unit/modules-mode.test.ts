import { describe, expect, it } from 'vitest'
import { formatMode, resolveMode } from '../../engine/files/mode.js'

const m = (mode: string, current: number, isDir = false, umask = 0o022): string => formatMode(resolveMode(mode, current, isDir, umask))

describe('symbolic modes resolve as chmod (and Ansible) would', () => {
  it.each([
    // mode, current, isDir, expected
    ['0644', 0o755, false, '0644'],
    ['755', 0o600, false, '0755'],
    ['u=rw,g=r,o=r', 0o777, false, '0644'],
    ['u+x', 0o644, false, '0744'],
    ['go-w', 0o666, false, '0644'],
    ['a+r', 0o600, false, '0644'],
    ['a=rX', 0o700, true, '0555'],
    ['a=rX', 0o600, false, '0444'],
    ['a+X', 0o610, false, '0711'],
    ['g=u', 0o640, false, '0660'],
    ['o=g', 0o751, false, '0755'],
    ['u+s', 0o755, false, '4755'],
    ['g+s', 0o755, true, '2755'],
    ['+t', 0o777, true, '1777'],
    ['o+t', 0o777, true, '1777'],
    ['u=rwx,g-w+x,o=', 0o666, false, '0750'],
    ['u-s', 0o4755, false, '0755'],
    ['u=rw', 0o4755, false, '0655'],
  ] as const)('%s on %o (dir=%s) -> %s', (mode, current, isDir, expected) => {
    expect(m(mode, current, isDir)).toBe(expected)
  })

  it('applies the umask when no "who" is given, as chmod does', () => {
    expect(m('+w', 0o444, false, 0o022)).toBe('0644')
    expect(m('=rw', 0o777, false, 0o077)).toBe('0600')
  })

  it('rejects a malformed mode with Ansible’s words', () => {
    expect(() => resolveMode('u+q', 0, false, 0)).toThrow(/bad symbolic permission for mode: u\+q/)
    expect(() => resolveMode('rw', 0, false, 0)).toThrow(/bad symbolic/)
  })
})
