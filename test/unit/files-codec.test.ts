import { describe, expect, it } from 'vitest'
import { CodecError, decodeBytes, encodeText } from '../../engine/files/codec.js'

// Each row: codec name as a playbook writes it, text, the bytes Python's str.encode(name) gives (checked with python3).
const PYTHON: [string, string, string][] = [
  ['utf-8', 'café €', '636166c3a920e282ac'],
  ['windows-1252', 'café €', '636166e92080'],
  ['cp1252', '‘quoted’ Ÿ', '9171756f74656492209f'],
  ['latin-1', 'café', '636166e9'],
  ['ISO-8859-15', '€', 'a4'],
  ['utf-16', 'a', 'fffe6100'],
  ['utf_16_be', 'a', '0061'],
  ['ascii', 'abc', '616263'],
  ['koi8-r', 'мир', 'cdc9d2'],
]

describe('encodeText / decodeBytes (Python codec names, strict)', () => {
  it.each(PYTHON)('%s encodes %j as Python does, and decodes it back', (name, text, hex) => {
    expect(encodeText(text, name).toString('hex')).toBe(hex)
    expect(decodeBytes(Buffer.from(hex, 'hex'), name)).toBe(text)
  })

  it('fails on a character the encoding lacks, naming it as Python does', () => {
    expect(() => encodeText('a€', 'latin-1')).toThrow("'latin-1' codec can't encode character '\\u20ac' in position 1")
    expect(() => encodeText('é', 'ascii')).toThrow(CodecError)
  })

  it('fails on bytes the encoding leaves undefined, and on an unknown name', () => {
    expect(() => decodeBytes(Buffer.from([0x81]), 'windows-1252')).toThrow(CodecError)
    expect(() => decodeBytes(Buffer.from([0xff]), 'utf-8')).toThrow(CodecError)
    expect(() => encodeText('a', 'no-such-codec')).toThrow('unknown encoding: no-such-codec')
  })
})
