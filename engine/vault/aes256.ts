/**
 * Ansible Vault's AES256 cipher, byte for byte as ansible-core writes it: PBKDF2-SHA256
 * (10,000 rounds, 80 bytes: a 32-byte cipher key, a 32-byte HMAC key, a 16-byte counter),
 * AES-256-CTR over the PKCS#7-padded plaintext, HMAC-SHA256 over the ciphertext. The payload is
 * hexlify(hex(salt) "\n" hex(hmac) "\n" hex(ciphertext)).
 */
import { createCipheriv, createDecipheriv, createHmac, pbkdf2Sync, randomBytes, timingSafeEqual } from 'node:crypto'

const ITERATIONS = 10_000
const KEY_LENGTH = 32
const IV_LENGTH = 16
const BLOCK = 16

/** Thrown when the HMAC does not match: the password is wrong or the data was changed. */
export class IntegrityError extends Error {
  override name = 'IntegrityError'
}

/** Thrown when the payload is not what Ansible writes (bad hex, missing parts). */
export class MalformedError extends Error {
  override name = 'MalformedError'
}

interface Keys {
  cipherKey: Buffer
  hmacKey: Buffer
  iv: Buffer
}

function deriveKeys(password: Buffer, salt: Buffer): Keys {
  const derived = pbkdf2Sync(password, salt, ITERATIONS, 2 * KEY_LENGTH + IV_LENGTH, 'sha256')
  return {
    cipherKey: derived.subarray(0, KEY_LENGTH),
    hmacKey: derived.subarray(KEY_LENGTH, 2 * KEY_LENGTH),
    iv: derived.subarray(2 * KEY_LENGTH),
  }
}

function pad(data: Buffer): Buffer {
  const n = BLOCK - (data.length % BLOCK)
  return Buffer.concat([data, Buffer.alloc(n, n)])
}

function unpad(data: Buffer): Buffer {
  const n = data.at(-1) ?? 0
  if (n < 1 || n > BLOCK || n > data.length || !data.subarray(data.length - n).every((b) => b === n)) {
    throw new MalformedError('bad padding')
  }
  return data.subarray(0, data.length - n)
}

/** Encrypts to Ansible's hexlified payload (the text below the header, before line wrapping). */
export function encryptPayload(plaintext: Buffer, password: Buffer, salt: Buffer = randomBytes(32)): string {
  const { cipherKey, hmacKey, iv } = deriveKeys(password, salt)
  const cipher = createCipheriv('aes-256-ctr', cipherKey, iv)
  const ciphertext = Buffer.concat([cipher.update(pad(plaintext)), cipher.final()])
  const hmac = createHmac('sha256', hmacKey).update(ciphertext).digest('hex')
  const inner = [salt.toString('hex'), hmac, ciphertext.toString('hex')].join('\n')
  return Buffer.from(inner, 'ascii').toString('hex')
}

/** Decrypts Ansible's hexlified payload; throws IntegrityError or MalformedError. */
export function decryptPayload(payload: string, password: Buffer): Buffer {
  const [salt, hmac, ciphertext] = splitPayload(payload)
  const { cipherKey, hmacKey, iv } = deriveKeys(password, salt)
  const expected = createHmac('sha256', hmacKey).update(ciphertext).digest()
  if (expected.length !== hmac.length || !timingSafeEqual(expected, hmac)) throw new IntegrityError('HMAC mismatch')
  const decipher = createDecipheriv('aes-256-ctr', cipherKey, iv)
  return unpad(Buffer.concat([decipher.update(ciphertext), decipher.final()]))
}

function splitPayload(payload: string): [Buffer, Buffer, Buffer] {
  const parts = unhex(payload).toString('ascii').split('\n')
  if (parts.length !== 3) throw new MalformedError(`expected salt, HMAC and ciphertext, found ${parts.length} part(s)`)
  const [salt, hmac, ciphertext] = parts.map(unhex) as [Buffer, Buffer, Buffer]
  if (salt.length === 0 || ciphertext.length === 0 || ciphertext.length % BLOCK !== 0) throw new MalformedError('truncated data')
  return [salt, hmac, ciphertext]
}

function unhex(text: string): Buffer {
  if (text.length % 2 !== 0 || !/^[0-9a-fA-F]*$/.test(text)) throw new MalformedError('not hexadecimal')
  return Buffer.from(text, 'hex')
}
