/** Reads a secret from the terminal without echoing it, or from a password file; asks vars_prompt's questions. */
import { execFile } from 'node:child_process'
import { constants } from 'node:fs'
import { access, readFile } from 'node:fs/promises'
import { createInterface } from 'node:readline'
import { promisify } from 'node:util'
import { OptionsError } from '../errors.js'
import type { Prompter } from '../exec/vars-prompt.js'

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

/** Asks on the terminal with the answer echoed; the question goes to stderr, as every prompt does. */
function promptVisible(question: string): Promise<string> {
  return new Promise((resolve) => {
    const rl = createInterface({ input: process.stdin, output: process.stderr, terminal: true })
    rl.question(question, (answer) => {
      rl.close()
      resolve(answer)
    })
  })
}

/**
 * The terminal as vars_prompt's prompter, or undefined when stdin is no terminal (Ansible then
 * asks nothing). Questions go to stderr, so --json's stdout stays one JSON document.
 */
export function terminalPrompter(): Prompter | undefined {
  if (!process.stdin.isTTY) return undefined
  return {
    ask: (question, hidden) => (hidden ? promptHidden(question) : promptVisible(question)),
    say: (line) => void process.stderr.write(`${line}\n`),
  }
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
