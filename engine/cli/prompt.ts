/** Reads a secret from the terminal without echoing it, or from a password file. */
import { execFile } from 'node:child_process'
import { constants } from 'node:fs'
import { access, readFile } from 'node:fs/promises'
import { createInterface } from 'node:readline'
import { promisify } from 'node:util'
import { OptionsError } from '../errors.js'

export function promptHidden(question: string): Promise<string> {
  if (!process.stdin.isTTY) throw new OptionsError(`${question.trim()} needs a terminal to ask on`)
  return new Promise((resolve) => {
    const rl = createInterface({ input: process.stdin, output: process.stderr, terminal: true })
    const output = rl as unknown as { _writeToOutput?: (s: string) => void }
    process.stderr.write(question)
    output._writeToOutput = () => {}
    rl.question('', (answer) => {
      rl.close()
      process.stderr.write('\n')
      resolve(answer)
    })
  })
}

/**
 * A password file as ansible-playbook reads one (--become-password-file): an executable prints
 * the password, any other file holds it; surrounding whitespace and newlines are not part of it.
 */
export async function passwordFromFile(path: string, flag: string): Promise<string> {
  let text: string
  try {
    const executable = await access(path, constants.X_OK).then(() => true, () => false)
    text = executable ? (await promisify(execFile)(path, [], { maxBuffer: 1 << 20 })).stdout : await readFile(path, 'utf8')
  } catch (err) {
    throw new OptionsError(`${flag} ${path}: ${(err as NodeJS.ErrnoException).code ?? (err as Error).message}`, { cause: err })
  }
  const password = text.trim()
  if (password === '') throw new OptionsError(`${flag} ${path}: the file gives an empty password`)
  return password
}
