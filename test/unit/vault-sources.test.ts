import { chmodSync, mkdtempSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { describe, expect, test } from 'vitest'
import { parseVaultId, readVaultSecrets, vaultIdSpecs } from '../../engine/vault/sources.js'

const dir = mkdtempSync(join(tmpdir(), 'tsplay-vault-src-'))
const file = (name: string, content: string, mode = 0o600): string => {
  const path = join(dir, name)
  writeFileSync(path, content)
  chmodSync(path, mode)
  return path
}
const noPrompt = { prompt: async (): Promise<string> => Promise.reject(new Error('no prompt expected')), env: {} }
const text = (b: Buffer): string => b.toString('utf8')

describe('--vault-id', () => {
  test('LABEL@SOURCE, or SOURCE alone with the default label', () => {
    expect(parseVaultId('dev@~/.pw')).toEqual({ label: 'dev', source: '~/.pw' })
    expect(parseVaultId('prod@prompt')).toEqual({ label: 'prod', source: 'prompt' })
    expect(parseVaultId('/etc/pw')).toEqual({ label: 'default', source: '/etc/pw' })
    expect(() => parseVaultId('dev@')).toThrow(/nothing after '@'/)
  })

  test('ids first, then password files, then --ask-vault-pass, then the environment; each once', () => {
    const specs = vaultIdSpecs({ vaultId: ['dev@a'], vaultPasswordFile: ['b', 'b'], askVaultPass: true }, { TSPLAY_VAULT_PASSWORD_FILE: 'c' })
    expect(specs).toEqual([
      { label: 'dev', source: 'a' },
      { label: 'default', source: 'b' },
      { label: 'default', source: 'prompt' },
      { label: 'default', source: 'c' },
    ])
    expect(vaultIdSpecs({}, { ANSIBLE_VAULT_PASSWORD_FILE: 'd' })).toEqual([{ label: 'default', source: 'd' }])
  })

  test("a lab's password file comes after every source the user gave, and not twice", () => {
    const lab = { label: 'lab', source: '/inv/.lab/vault-password' }
    expect(vaultIdSpecs({ vaultId: ['dev@a'], vaultPasswordFile: ['b'], fallbackVaultIds: [lab] }, { TSPLAY_VAULT_PASSWORD_FILE: 'c' })).toEqual([
      { label: 'dev', source: 'a' },
      { label: 'default', source: 'b' },
      { label: 'default', source: 'c' },
      lab,
    ])
    // Given by the user too, it keeps the user's place.
    expect(vaultIdSpecs({ vaultId: ['lab@/inv/.lab/vault-password'], vaultPasswordFile: ['b'], fallbackVaultIds: [lab] }, {})).toEqual([lab, { label: 'default', source: 'b' }])
  })
})

describe('password sources', () => {
  test('a file: its text without the trailing newline and spaces', async () => {
    const [s] = await readVaultSecrets({ vaultPasswordFile: [file('pw', '  s3cret pass \n')] }, noPrompt)
    expect(text(s!.password)).toBe('s3cret pass')
    expect(s!.label).toBe('default')
  })

  test('an executable: what it prints', async () => {
    const script = file('pw.sh', '#!/bin/sh\necho "from-script"\n', 0o700)
    const [s] = await readVaultSecrets({ vaultId: [`ops@${script}`] }, noPrompt)
    expect(text(s!.password)).toBe('from-script')
    expect(s!.label).toBe('ops')
  })

  test('a *-client script is told which vault id is wanted', async () => {
    const script = file('vault-client', '#!/bin/sh\necho "pw-for-$2"\n', 0o700)
    const [s] = await readVaultSecrets({ vaultId: [`prod@${script}`] }, noPrompt)
    expect(text(s!.password)).toBe('pw-for-prod')
  })

  test('a failing script, a missing file and an empty password are clear errors', async () => {
    const failing = file('bad.sh', '#!/bin/sh\necho "no key here" >&2; exit 3\n', 0o700)
    await expect(readVaultSecrets({ vaultPasswordFile: [failing] }, noPrompt)).rejects.toThrow(/vault password script .*bad\.sh failed: no key here/)
    await expect(readVaultSecrets({ vaultPasswordFile: [join(dir, 'missing')] }, noPrompt)).rejects.toThrow(/vault password file .*missing was not found/)
    await expect(readVaultSecrets({ vaultPasswordFile: [file('empty', '\n')] }, noPrompt)).rejects.toThrow(/gave an empty password/)
  })

  test('the environment names a password file', async () => {
    const [s] = await readVaultSecrets({}, { ...noPrompt, env: { TSPLAY_VAULT_PASSWORD_FILE: file('env-pw', 'from-env\n') } })
    expect(text(s!.password)).toBe('from-env')
  })

  test('a prompt asks once to decrypt, twice to encrypt, and refuses a mismatch', async () => {
    const asked: string[] = []
    const answers = ['typed', 'dev-pw', 'dev-pw', 'one', 'two']
    const prompt = async (q: string): Promise<string> => {
      asked.push(q)
      return answers.shift() ?? ''
    }
    const [s] = await readVaultSecrets({ askVaultPass: true }, { prompt, env: {} })
    expect(text(s!.password)).toBe('typed')
    await readVaultSecrets({ vaultId: ['dev@prompt'] }, { prompt, env: {}, confirm: true })
    expect(asked).toEqual(['Vault password: ', 'New vault password (dev): ', 'Confirm new vault password (dev): '])
    await expect(readVaultSecrets({ askVaultPass: true }, { prompt, env: {}, confirm: true })).rejects.toThrow(/do not match/)
  })

  test('nothing given: no secrets, unless the command asks by itself (ansible-vault does)', async () => {
    expect(await readVaultSecrets({}, noPrompt)).toEqual([])
    const [s] = await readVaultSecrets({}, { prompt: async () => 'asked', env: {}, autoPrompt: true })
    expect(text(s!.password)).toBe('asked')
  })
})
