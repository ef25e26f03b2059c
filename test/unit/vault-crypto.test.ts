import { readFileSync } from 'node:fs'
import { join } from 'node:path'
import { describe, expect, test } from 'vitest'
import { decryptPayload, encryptPayload, IntegrityError } from '../../engine/vault/aes256.js'
import { formatEnvelope, isVaulted, parseEnvelope } from '../../engine/vault/envelope.js'
import { VaultError } from '../../engine/vault/errors.js'
import { decryptVault, encryptVault, type VaultSecret } from '../../engine/vault/keyring.js'
import { ROOT } from '../helpers/cli.js'

const FIXTURES = join(ROOT, 'test', 'fixtures', 'vault')
const fixture = (name: string): string => readFileSync(join(FIXTURES, name), 'utf8')
const vector = JSON.parse(fixture('known-vector.json')) as { password: string; saltHex: string; plaintext: string; payload: string }
const secret = (password: string, label = 'default'): VaultSecret => ({ label, password: Buffer.from(password), source: 'test' })
const right = secret('correct horse battery staple')
const wrong = secret('Tr0ub4dor&3')

describe('AES256 as ansible-core computes it', () => {
  test('encrypting with a fixed salt gives ansible-core’s bytes exactly', () => {
    const payload = encryptPayload(Buffer.from(vector.plaintext), Buffer.from(vector.password), Buffer.from(vector.saltHex, 'hex'))
    expect(payload).toBe(vector.payload)
  })

  test('ansible-core’s payload decrypts to its plaintext', () => {
    expect(decryptPayload(vector.payload, Buffer.from(vector.password)).toString()).toBe(vector.plaintext)
  })

  test('a changed HMAC is refused', () => {
    const inner = Buffer.from(vector.payload, 'hex').toString('ascii').split('\n')
    const hmac = inner[1] as string
    inner[1] = (hmac[0] === '0' ? '1' : '0') + hmac.slice(1)
    const tampered = Buffer.from(inner.join('\n'), 'ascii').toString('hex')
    expect(() => decryptPayload(tampered, Buffer.from(vector.password))).toThrow(IntegrityError)
  })

  test('a changed ciphertext is refused', () => {
    const inner = Buffer.from(vector.payload, 'hex').toString('ascii').split('\n')
    const data = inner[2] as string
    inner[2] = data.slice(0, -1) + (data.endsWith('0') ? '1' : '0')
    expect(() => decryptPayload(Buffer.from(inner.join('\n'), 'ascii').toString('hex'), Buffer.from(vector.password))).toThrow(IntegrityError)
  })
})

describe('files made by ansible-vault', () => {
  test('a 1.1 file opens with its password', () => {
    const { plaintext, secret: used } = decryptVault(fixture('vars-1.1.yml'), { file: 'vars-1.1.yml' }, [right])
    expect(plaintext.toString()).toBe(fixture('plain.yml'))
    expect(used).toBe(right)
  })

  test('a 1.2 file names its vault id, and that id’s password is tried first', () => {
    const text = fixture('vars-1.2.yml')
    expect(parseEnvelope(text).label).toBe('prod')
    const prod = secret('correct horse battery staple', 'prod')
    const { plaintext, secret: used } = decryptVault(text, { file: 'vars-1.2.yml' }, [wrong, prod])
    expect(plaintext.toString()).toBe(fixture('plain.yml'))
    expect(used).toBe(prod)
  })

  test('a password given without the matching vault id still opens a 1.2 file, as in Ansible', () => {
    expect(decryptVault(fixture('vars-1.2.yml'), { file: 'x' }, [wrong, right]).plaintext.toString()).toBe(fixture('plain.yml'))
  })

  test('a wrong password is a clear error naming the file', () => {
    expect(() => decryptVault(fixture('vars-1.1.yml'), { file: 'group_vars/db.yml' }, [wrong])).toThrow(
      /cannot decrypt group_vars\/db\.yml: the vault password is wrong, or the data was changed .*tried default from test/,
    )
  })

  test('no password at all says how to give one', () => {
    expect(() => decryptVault(fixture('vars-1.1.yml'), { file: 'db.yml' }, [])).toThrow(/db\.yml: .*no vault password was given; give one with --vault-password-file/)
  })

  test('a damaged file is an error naming it, whatever the password', () => {
    const damaged = fixture('vars-1.1.yml').replace(/\n3/, '\nzz')
    const err = (() => {
      try {
        decryptVault(damaged, { file: 'db.yml' }, [right])
      } catch (e) {
        return e
      }
      return undefined
    })()
    expect(err).toBeInstanceOf(VaultError)
    expect((err as Error).message).toMatch(/cannot decrypt db\.yml: not valid vault data/)
  })
})

describe('what tsplay writes', () => {
  test('without a vault id: a 1.1 header and lines of 80', () => {
    const text = encryptVault('hello\n', right)
    const lines = text.trimEnd().split('\n')
    expect(lines[0]).toBe('$ANSIBLE_VAULT;1.1;AES256')
    expect(lines.slice(1, -1).every((l) => l.length === 80)).toBe(true)
    expect(text.endsWith('\n')).toBe(true)
    expect(isVaulted(text)).toBe(true)
    expect(decryptVault(text, { file: 'x' }, [right]).plaintext.toString()).toBe('hello\n')
  })

  test('with a vault id: a 1.2 header carrying it', () => {
    const text = encryptVault('hello', secret('pw', 'dev'))
    expect(text.split('\n')[0]).toBe('$ANSIBLE_VAULT;1.2;AES256;dev')
    expect(decryptVault(text, { file: 'x' }, [secret('pw', 'dev')]).plaintext.toString()).toBe('hello')
  })

  test('each encryption has its own salt', () => {
    expect(encryptVault('same', right)).not.toBe(encryptVault('same', right))
  })

  test('headers tsplay cannot read are refused by name', () => {
    expect(() => parseEnvelope(formatEnvelope('6162').replace('AES256', 'AES'))).toThrow(/unsupported cipher AES/)
    expect(() => parseEnvelope('$ANSIBLE_VAULT;2.0;AES256\n6162\n')).toThrow(/version 2\.0/)
    expect(() => parseEnvelope('$ANSIBLE_VAULT;1.1;AES256\n')).toThrow(/no data/)
  })
})
