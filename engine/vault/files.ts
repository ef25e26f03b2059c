/**
 * The controller-side file work of `tsplay vault`: atomic writes, the editor on a private
 * temporary copy, the pager. Plaintext only touches the disk inside a 0700 folder of our own
 * (for the editor), which is wiped and removed however the editor ends.
 */
import { spawn } from 'node:child_process'
import { randomBytes } from 'node:crypto'
import { chmod, mkdtemp, open, readFile, rename, rm, stat, writeFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { basename, dirname, extname, join } from 'node:path'
import { VaultError } from './errors.js'

export async function readVaultFile(path: string): Promise<Buffer> {
  try {
    return await readFile(path)
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code
    throw new VaultError(code === 'ENOENT' ? `${path} does not exist` : `cannot read ${path}: ${code ?? String(err)}`, undefined, { cause: err })
  }
}

/**
 * Replaces `path` atomically: a temporary file beside it, then a rename, so a reader (or a
 * crash) sees the old file or the new one, never half of one. An existing file keeps its mode;
 * a new one is 0600, as ansible-vault makes it.
 */
export async function writeFileAtomic(path: string, data: Buffer | string): Promise<void> {
  let mode = 0o600
  try {
    mode = (await stat(path)).mode & 0o7777
  } catch {
    // a new file
  }
  const temp = join(dirname(path), `.${basename(path)}.tsplay-${randomBytes(6).toString('hex')}`)
  try {
    const handle = await open(temp, 'wx', 0o600)
    try {
      await handle.writeFile(data)
      await handle.sync()
    } finally {
      await handle.close()
    }
    await chmod(temp, mode)
    await rename(temp, path)
  } catch (err) {
    await rm(temp, { force: true })
    throw new VaultError(`cannot write ${path}: ${(err as NodeJS.ErrnoException).code ?? String(err)}`, undefined, { cause: err })
  }
}

/** Opens `plaintext` in $EDITOR (default vi) and returns what the user saved. */
export async function editText(plaintext: Buffer, nameHint: string, env: NodeJS.ProcessEnv = process.env): Promise<Buffer> {
  const dir = await mkdtemp(join(tmpdir(), 'tsplay-vault-'))
  // The file keeps the original's extension, so the editor highlights YAML as YAML.
  const file = join(dir, `edit${extname(nameHint)}`)
  try {
    await chmod(dir, 0o700)
    await writeFile(file, plaintext, { mode: 0o600 })
    await runInteractive(env['EDITOR'] || env['VISUAL'] || 'vi', file)
    return await readFile(file)
  } finally {
    await wipe(file)
    await rm(dir, { recursive: true, force: true })
  }
}

/** Overwrites the plaintext copy before removing it (as ansible-vault shreds its temporary file). */
async function wipe(file: string): Promise<void> {
  try {
    const { size } = await stat(file)
    await writeFile(file, Buffer.alloc(size))
  } catch {
    // already gone
  }
}

/** Shows text in $PAGER (default less) on a terminal; prints it otherwise, as ansible-vault view does. */
export async function page(text: Buffer, env: NodeJS.ProcessEnv = process.env): Promise<void> {
  if (!process.stdout.isTTY) {
    process.stdout.write(text)
    return
  }
  await runInteractive(env['PAGER'] || 'less', undefined, text)
}

/**
 * Runs a user's editor or pager command (it may carry flags: `code --wait`, `less -R`). The
 * command is the user's own shell text; the file name reaches it as "$1", never pasted in.
 */
function runInteractive(command: string, file: string | undefined, input?: Buffer): Promise<void> {
  return new Promise((resolvePromise, reject) => {
    const args = ['-c', file !== undefined ? `${command} "$1"` : command, 'sh', ...(file !== undefined ? [file] : [])]
    const child = spawn('/bin/sh', args, { stdio: [input ? 'pipe' : 'inherit', 'inherit', 'inherit'] })
    child.on('error', (err) => reject(new VaultError(`cannot run '${command}': ${err.message}`, undefined, { cause: err })))
    child.on('close', (code) => (code === 0 ? resolvePromise() : reject(new VaultError(`'${command}' exited with status ${code ?? 'unknown'}`))))
    if (input && child.stdin) {
      // A pager quit before the end stops reading: that is no error.
      child.stdin.on('error', () => undefined)
      child.stdin.end(input)
    }
  })
}
