/** known_hosts rules as OpenSSH applies them: which lines name a host, and when a key is refused. */
import { describe, expect, it } from 'vitest'
import {
  checkHostKey,
  entryMatches,
  fingerprint,
  hostNames,
  keyTypeOf,
  parseKnownHosts,
  preferredHostKeyAlgorithms,
} from '../../engine/connection/known-hosts.js'

// Real keys made with ssh-keygen; fingerprints as `ssh-keygen -lf` printed them.
const ED = 'ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIIfCmFD8xuAPpaMDuFxs8NCgwTgPPZ9XYjUkLYn0s6a0'
const ED_FP = 'SHA256:sC19C5cXxlr21ZkPLf1769xRG4O43L4sCEugk6e1GR0'
const EC =
  'ecdsa-sha2-nistp256 AAAAE2VjZHNhLXNoYTItbmlzdHAyNTYAAAAIbmlzdHAyNTYAAABBBHvDL5YgrSFFAJ9Tpm7Ez+OCRXMWksP5ihG/mj42eekqZg0bTZt+p53Spnb+FtQp/8Bfza7vE24oogSKP4qPjVc='
const EC_FP = 'SHA256:8RpmERczDglwUnKW4KQh5LhwcAy9154iLwxkF0MBgwY'
// `ssh-keygen -H` of "[10.0.0.1]:2222 <ED>"
const HASHED_10_0_0_1_2222 = '|1|KQcrFpG6/1f4vyiQiP8VrKmXRS8=|DOiEuvkdeCSelhiiWgWynM16Nr8='

const blob = (line: string): Buffer => Buffer.from(line.split(' ')[1] ?? '', 'base64')
const parse = (text: string) => parseKnownHosts(text, '/kh')

describe('parsing known_hosts', () => {
  it('reads plain, bracketed, hashed and marked lines and skips comments and junk', () => {
    const entries = parse(
      [
        '# a comment',
        '',
        `web1,10.0.0.1 ${ED} root@admin`,
        `[10.0.0.1]:2222 ${EC}`,
        `${HASHED_10_0_0_1_2222} ${ED}`,
        `@revoked * ${EC}`,
        `@cert-authority *.example.com ${ED}`,
        `@bogus-marker web2 ${ED}`,
        'web3 ssh-ed25519 not!base64',
        `web4 ssh-rsa ${ED.split(' ')[1]}`, // type word disagrees with the blob
        'web5',
      ].join('\n'),
    )
    expect(entries.map((e) => [e.hosts, e.keyType, e.marker, e.line])).toEqual([
      ['web1,10.0.0.1', 'ssh-ed25519', undefined, 3],
      ['[10.0.0.1]:2222', 'ecdsa-sha2-nistp256', undefined, 4],
      [HASHED_10_0_0_1_2222, 'ssh-ed25519', undefined, 5],
      ['*', 'ecdsa-sha2-nistp256', 'revoked', 6],
      ['*.example.com', 'ssh-ed25519', 'cert-authority', 7],
    ])
  })

  it('computes fingerprints exactly as ssh-keygen prints them', () => {
    expect(fingerprint(blob(ED))).toBe(ED_FP)
    expect(fingerprint(blob(EC))).toBe(EC_FP)
    expect(keyTypeOf(blob(EC))).toBe('ecdsa-sha2-nistp256')
    expect(keyTypeOf(Buffer.from('xx'))).toBe('')
  })
})

describe('matching a host', () => {
  const one = (hosts: string) => parse(`${hosts} ${ED}`)[0]!

  it('looks up the address and the inventory name, bracketed with the port unless it is 22', () => {
    expect(hostNames('web1', '10.0.0.1', 22)).toEqual(['10.0.0.1', 'web1'])
    expect(hostNames('Web1', '10.0.0.1', 2222)).toEqual(['[10.0.0.1]:2222', '[web1]:2222'])
    expect(hostNames('10.0.0.1', '10.0.0.1', 22)).toEqual(['10.0.0.1'])
  })

  it('matches comma lists, case-insensitively, and ports only in brackets', () => {
    expect(entryMatches(one('WEB1,10.0.0.9'), hostNames('web1', '10.0.0.1', 22))).toBe(true)
    expect(entryMatches(one('10.0.0.1'), hostNames('web1', '10.0.0.1', 2222))).toBe(false)
    expect(entryMatches(one('[10.0.0.1]:2222'), hostNames('web1', '10.0.0.1', 2222))).toBe(true)
    expect(entryMatches(one('[10.0.0.1]:2223'), hostNames('web1', '10.0.0.1', 2222))).toBe(false)
  })

  it('matches hashed entries for the exact name only', () => {
    expect(entryMatches(one(HASHED_10_0_0_1_2222), hostNames('x', '10.0.0.1', 2222))).toBe(true)
    expect(entryMatches(one(HASHED_10_0_0_1_2222), hostNames('x', '10.0.0.1', 22))).toBe(false)
  })

  it('honours wildcards and lets a negated pattern veto the line', () => {
    expect(entryMatches(one('*.example.com'), ['db1.example.com'])).toBe(true)
    expect(entryMatches(one('db?.example.com'), ['db12.example.com'])).toBe(false)
    expect(entryMatches(one('*.example.com,!db1.example.com'), ['db1.example.com'])).toBe(false)
    expect(entryMatches(one('*.example.com,!db1.example.com'), ['db2.example.com'])).toBe(true)
    // Dots are literal, not regex wildcards.
    expect(entryMatches(one('10.0.0.1'), ['10a0b0c1'])).toBe(false)
  })
})

describe('deciding on an offered key', () => {
  const names = hostNames('web1', '10.0.0.1', 22)

  it('accepts a listed key and calls an unlisted host unknown', () => {
    const entries = parse(`10.0.0.1 ${ED}`)
    expect(checkHostKey(entries, names, blob(ED)).status).toBe('ok')
    expect(checkHostKey(entries, hostNames('web2', '10.0.0.2', 22), blob(ED)).status).toBe('unknown')
  })

  it('reports a different key for a known host as changed, listing the expected entries', () => {
    const entries = parse(`web1 ${EC}\nweb1 ${ED.replace('AAAAII', 'AAAAIJ')}`)
    const verdict = checkHostKey(entries, names, blob(ED))
    expect(verdict.status).toBe('changed')
    if (verdict.status !== 'changed') return
    // Same-type entries are the ones shown when there are any.
    expect(verdict.expected.map((e) => e.keyType)).toEqual(['ssh-ed25519'])
  })

  it('counts a host that now offers only another key type as changed', () => {
    const verdict = checkHostKey(parse(`web1 ${EC}`), names, blob(ED))
    expect(verdict).toMatchObject({ status: 'changed', expected: [{ keyType: 'ecdsa-sha2-nistp256' }] })
  })

  it('refuses a revoked key even when it is also listed, and ignores CA lines for plain keys', () => {
    expect(checkHostKey(parse(`@revoked * ${ED}\n10.0.0.1 ${ED}`), names, blob(ED)).status).toBe('revoked')
    expect(checkHostKey(parse(`@cert-authority * ${ED}`), names, blob(ED)).status).toBe('unknown')
  })

  it('asks the server for key types we can verify first', () => {
    expect(preferredHostKeyAlgorithms(parse(`web1 ${EC}`), names)?.slice(0, 2)).toEqual(['ecdsa-sha2-nistp256', 'ssh-ed25519'])
    const rsa = preferredHostKeyAlgorithms(parse(`web1 ssh-rsa ${Buffer.concat([lenPrefixed('ssh-rsa'), Buffer.alloc(8)]).toString('base64')}`), names)
    expect(rsa?.slice(0, 3)).toEqual(['rsa-sha2-512', 'rsa-sha2-256', 'ssh-rsa'])
    expect(preferredHostKeyAlgorithms([], names)).toBeUndefined()
  })
})

function lenPrefixed(text: string): Buffer {
  const length = Buffer.alloc(4)
  length.writeUInt32BE(text.length)
  return Buffer.concat([length, Buffer.from(text)])
}
