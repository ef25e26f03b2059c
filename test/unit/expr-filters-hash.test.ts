/**
 * Digests and password hashes. Every expected value below was printed by ansible-playbook
 * (ansible-core 2.14 on this machine, crypt() from libxcrypt) for the same expression.
 */
import { describe, expect, test } from 'vitest'
import { evaluatorOver } from '../helpers/expr.js'

const { ev } = evaluatorOver({})

describe('digests', () => {
  test.each([
    ["'abc' | md5", '900150983cd24fb0d6963f7d28e17f72'],
    ["'abc' | sha1", 'a9993e364706816aba3e25717850c26c9cd0d89d'],
    ["'abc' | hash('sha512')", 'ddaf35a193617abacc417349ae20413112e6fa4e89a97ea20a9eeee64b55d39a2192992a274fc1a836ba3c23a3feebbd454d4423643ce80e2a9ac94fa54ca49f'],
    ["'abc' | hash('sha224')", '23097d223405d8228642a477bda255b32aadbce4bda0b3f7e36c9da7'],
  ])('%s', (expr, expected) => {
    expect(ev(expr)).toBe(expected)
  })
})

describe('password_hash writes what crypt() writes', () => {
  test.each([
    ["'secret' | password_hash('sha512', 'mysalt')", '$6$mysalt$UX6P1VKOf6dr0s2pg4pLNvIUB6hLXvP6M5f/Yj9hJgMPdAJ4oArvk5YUD9/XWtk1JOpVwt/JTsczMJr8sFVML1'],
    ["'secret' | password_hash('sha256', 'mysalt')", '$5$mysalt$I2SNajjJ3Gc5gIR/tkrLOGngF8wqv59buJCqxh.o9s8'],
    ["'secret' | password_hash('sha512', 'mysalt', rounds=10000)", '$6$rounds=10000$mysalt$9XTP7570fxVN/uTspSrH6kRPdR4KKGzGz7.TmJjDYGrKSwZuavW/3YaLur8JX6WP75Czcxa.megIO0lKreY0R.'],
    ["'secret' | password_hash('sha256', 'mysalt', rounds=5000)", '$5$rounds=5000$mysalt$I2SNajjJ3Gc5gIR/tkrLOGngF8wqv59buJCqxh.o9s8'],
    ["'secret' | password_hash('md5', 'mysalt')", '$1$mysalt$n/EfEiV74OYgBdqhKQzSW/'],
    [
      "'a much longer password of more than sixty four characters 0123456789 abcdefghij' | password_hash('sha512', 'abcdefghijklmnop')",
      '$6$abcdefghijklmnop$HBeNwa0AUJgLco0JLVd/uaBVvbv4VwSLm2AR4w1PZs.5Opyk0t1SPy5rhrMcgR5WAVGmRajwqojn4O0DZwtXZ1',
    ],
  ])('%s', (expr, expected) => {
    expect(ev(expr)).toBe(expected)
  })

  test('without a salt, a random 16-character one', () => {
    const a = ev("'secret' | password_hash") as string
    expect(a).toMatch(/^\$6\$[./0-9A-Za-z]{16}\$[./0-9A-Za-z]{86}$/)
    expect(ev("'secret' | password_hash")).not.toBe(a)
  })

  test.each([
    ["'x' | password_hash('sha512', 'abcdefghijklmnopqrst')", /invalid salt size/],
    ["'x' | password_hash('sha512', 'bad salt!')", /invalid characters in salt/],
    ["'x' | password_hash('whirlpool')", /does not support 'whirlpool'/],
  ])('%s fails', (expr, message) => {
    expect(() => ev(expr)).toThrow(message)
  })
})
