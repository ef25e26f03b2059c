/**
 * The password lookup's file on the controller, in Ansible's format: the plaintext password,
 * then ` salt=SALT` (and ` ident=ID`) when an encrypted form was asked for, and a newline.
 */
import { randomBytes } from 'node:crypto'
import { closeSync, fsyncSync, linkSync, mkdirSync, openSync, readFileSync, renameSync, rmSync, writeSync } from 'node:fs'
import { basename, dirname, join } from 'node:path'
import { fail } from '../values.js'

export interface StoredPassword {
  password: string
  salt?: string
  ident?: string
}

/** _parse_content: the last ` salt=` splits the password from the salt, the last ` ident=` the salt from the ident. */
export function parsePasswordFile(content: string): StoredPassword {
  const at = content.lastIndexOf(' salt=')
  if (at < 0) return { password: content }
  const password = content.slice(0, at)
  const rest = content.slice(at + ' salt='.length)
  if (rest === '') return { password }
  const identAt = rest.lastIndexOf(' ident=')
  if (identAt < 0) return { password, salt: rest }
  return { password, salt: rest.slice(0, identAt), ident: rest.slice(identAt + ' ident='.length) }
}

/** _format_content: the salt (and ident) are kept only with a salt. */
export function formatPasswordFile(stored: StoredPassword): string {
  if (!stored.salt) return stored.password
  return stored.ident ? `${stored.password} salt=${stored.salt} ident=${stored.ident}` : `${stored.password} salt=${stored.salt}`
}

/** The file's text with trailing whitespace stripped, or undefined when there is no file. */
export function readPasswordFile(path: string): string | undefined {
  try {
    return readFileSync(path, 'utf8').replace(/\s+$/, '')
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') return undefined
    return fail(`the password file ${path} cannot be read: ${(err as NodeJS.ErrnoException).code ?? String(err)}`)
  }
}

/**
 * Writes the file whole or not at all: a 0600 temporary file beside it (its folder made 0700,
 * as Ansible makes it), synced, then linked into place when the file is new (so a
 * file another run created meanwhile is kept, and returned) or renamed over the old one.
 * Returns the text the file holds afterwards.
 */
export function writePasswordFile(path: string, content: string, replace: boolean): string {
  const why = (err: unknown): string => (err as NodeJS.ErrnoException).code ?? String(err)
  try {
    // As Python's os.makedirs(dir, 0o700): only the last folder gets the mode.
    mkdirSync(dirname(dirname(path)), { recursive: true })
    mkdirSync(dirname(path), { mode: 0o700 })
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code !== 'EEXIST') return fail(`cannot make the folder of the password file ${path}: ${why(err)}`)
  }
  const temp = join(dirname(path), `.${basename(path)}.tsplay-${randomBytes(6).toString('hex')}`)
  try {
    const fd = openSync(temp, 'wx', 0o600)
    try {
      writeSync(fd, `${content}\n`)
      fsyncSync(fd)
    } finally {
      closeSync(fd)
    }
    if (replace) renameSync(temp, path)
    else {
      try {
        linkSync(temp, path)
      } catch (err) {
        if ((err as NodeJS.ErrnoException).code !== 'EEXIST') throw err
        return readPasswordFile(path) ?? content
      }
    }
    return content
  } catch (err) {
    return fail(`cannot write the password file ${path}: ${why(err)}`)
  } finally {
    rmSync(temp, { force: true })
  }
}
