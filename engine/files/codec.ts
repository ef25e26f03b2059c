/**
 * Text to bytes and back in the encodings a playbook names by Python's codec names (template's
 * `output_encoding`, the file lookups' `encoding`), strictly as Python's 'strict' errors: a
 * character the encoding lacks, or bytes that are not valid in it, fail instead of being replaced.
 * UTF-8, UTF-16 and Latin-1 are Node's own; the other single-byte code pages (windows-1252,
 * iso-8859-15, koi8-r, ...) come from the WHATWG decoder, read backwards for encoding.
 */
import { TextDecoder } from 'node:util'

export class CodecError extends Error {}

type Codec = { kind: 'utf8' } | { kind: 'latin1' } | { kind: 'utf16'; endian: 'le' | 'be'; bom: boolean } | { kind: 'ascii' } | { kind: 'table'; label: string }

/** Python's spelling (case, `_` or `-`) to the codec; WHATWG reads "latin1" as windows-1252, Python does not. */
function codec(encoding: string): Codec {
  const name = encoding.trim().toLowerCase().replace(/_/g, '-')
  if (['utf-8', 'utf8', 'u8', 'utf', 'cp65001'].includes(name)) return { kind: 'utf8' }
  if (['latin-1', 'latin1', 'latin', 'l1', 'iso-8859-1', 'iso8859-1', '8859', 'cp819'].includes(name)) return { kind: 'latin1' }
  if (['ascii', 'us-ascii', '646'].includes(name)) return { kind: 'ascii' }
  if (['utf-16', 'utf16', 'u16'].includes(name)) return { kind: 'utf16', endian: 'le', bom: true }
  if (['utf-16-le', 'utf-16le'].includes(name)) return { kind: 'utf16', endian: 'le', bom: false }
  if (['utf-16-be', 'utf-16be'].includes(name)) return { kind: 'utf16', endian: 'be', bom: false }
  const label = /^cp125\d$/.test(name) ? `windows-${name.slice(2)}` : name
  try {
    const decoder = new TextDecoder(label)
    // Only single-byte tables can be read backwards; the CJK multi-byte codecs are not offered.
    if (decoder.decode(Buffer.from([0x41, 0x42])).length === 2) return { kind: 'table', label }
  } catch {
    // Falls through to the unknown-encoding error.
  }
  throw new CodecError(`unknown encoding: ${encoding}`)
}

/** cp1252's 0x80-0x9F as Python has them; U+FFFD marks the five bytes it leaves undefined. */
const CP1252_80_9F = '€\uFFFD‚ƒ„…†‡ˆ‰Š‹Œ\uFFFDŽ\uFFFD\uFFFD‘’“”•–—˜™š›œ\uFFFDžŸ'

const tables = new Map<string, { toChar: string[]; toByte: Map<string, number> }>()

/** The 256 characters of a single-byte code page; bytes it leaves undefined decode to U+FFFD and are left out. */
function table(label: string): { toChar: string[]; toByte: Map<string, number> } {
  let known = tables.get(label)
  if (!known) {
    const decoder = new TextDecoder(label)
    const toChar = Array.from({ length: 256 }, (_, byte) => decoder.decode(new Uint8Array([byte])))
    // Node 20's windows-1252 decoder drops 0x80-0x9F (it reads the page as Latin-1): Python's cp1252 row, written out.
    if (label === 'windows-1252') [...CP1252_80_9F].forEach((char, i) => (toChar[0x80 + i] = char))
    const toByte = new Map<string, number>()
    toChar.forEach((char, byte) => {
      if (char !== '\uFFFD' && !toByte.has(char)) toByte.set(char, byte)
    })
    known = { toChar, toByte }
    tables.set(label, known)
  }
  return known
}

function cannotEncode(encoding: string, char: string, position: number): never {
  const code = char.codePointAt(0) ?? 0
  const escaped = code > 0xffff ? `\\U${code.toString(16).padStart(8, '0')}` : code > 0xff ? `\\u${code.toString(16).padStart(4, '0')}` : `\\x${code.toString(16).padStart(2, '0')}`
  throw new CodecError(`'${encoding}' codec can't encode character '${escaped}' in position ${position}`)
}

/** Encodes characters each of which one table maps to one byte. */
function singleBytes(text: string, encoding: string, byteOf: (char: string) => number | undefined): Buffer {
  const out: number[] = []
  let position = 0
  for (const char of text) {
    const byte = byteOf(char)
    if (byte === undefined) cannotEncode(encoding, char, position)
    out.push(byte)
    position++
  }
  return Buffer.from(out)
}

export function encodeText(text: string, encoding: string): Buffer {
  const chosen = codec(encoding)
  switch (chosen.kind) {
    case 'utf8':
      return Buffer.from(text, 'utf8')
    case 'latin1':
      return singleBytes(text, encoding, (c) => (c.charCodeAt(0) <= 0xff ? c.charCodeAt(0) : undefined))
    case 'ascii':
      return singleBytes(text, encoding, (c) => (c.charCodeAt(0) <= 0x7f ? c.charCodeAt(0) : undefined))
    case 'utf16': {
      const body = Buffer.from((chosen.bom ? '\uFEFF' : '') + text, 'utf16le')
      return chosen.endian === 'be' ? body.swap16() : body
    }
    case 'table': {
      const { toByte } = table(chosen.label)
      return singleBytes(text, encoding, (c) => toByte.get(c))
    }
  }
}

export function decodeBytes(data: Buffer, encoding: string): string {
  const chosen = codec(encoding)
  const fail = (): never => {
    throw new CodecError(`'${encoding}' codec can't decode the bytes`)
  }
  switch (chosen.kind) {
    case 'latin1':
      return data.toString('latin1')
    case 'ascii':
      return data.every((b) => b <= 0x7f) ? data.toString('latin1') : fail()
    case 'table': {
      const { toChar } = table(chosen.label)
      return Array.from(data, (b) => (toChar[b] === '\uFFFD' ? fail() : toChar[b])).join('')
    }
    default: {
      const label = chosen.kind === 'utf8' ? 'utf-8' : chosen.endian === 'be' ? 'utf-16be' : 'utf-16le'
      try {
        // Python's utf-16 reads its byte-order mark and drops it; the -le/-be codecs keep it as a character.
        return new TextDecoder(label, { fatal: true, ignoreBOM: !(chosen.kind === 'utf16' && chosen.bom) }).decode(data)
      } catch {
        return fail()
      }
    }
  }
}
