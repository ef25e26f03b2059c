/** Reads a secret from the terminal without echoing it, or from a password file; asks vars_prompt's questions. */
import { execFile } from 'node:child_process'
import { constants } from 'node:fs'
import { access, readFile } from 'node:fs/promises'
import { promisify } from 'node:util'
import { OptionsError } from '../errors.js'
import type { Prompter } from '../exec/vars-prompt.js'

export function promptHidden(question: string): Promise<string> {
  if (!process.stdin.isTTY) throw new OptionsError(`${question.trim()} needs a terminal to ask on`)
  return askTerminal(question, false)
}

/**
 * Reads one line from the terminal in raw mode, the question on stderr, the typed characters
 * echoed only when `echo` (readline would redraw its line and wipe a question written before
 * it). Backspace erases; Ctrl-C interrupts as it would outside the question.
 */
function askTerminal(question: string, echo: boolean): Promise<string> {
  const stdin = process.stdin
  process.stderr.write(question)
  return new Promise((resolve) => {
    let answer = ''
    const finish = (): void => {
      stdin.off('data', onData)
      stdin.setRawMode(false)
      stdin.pause()
      process.stderr.write('\n')
      resolve(answer)
    }
    const onData = (chunk: Buffer): void => {
      for (const char of chunk.toString('utf8')) {
        if (char === '\r' || char === '\n') return finish()
        if (char === '\u0003') {
          finish()
          process.kill(process.pid, 'SIGINT')
          return
        }
        if (char === '\u007f' || char === '\b') {
          if (answer.length > 0 && echo) process.stderr.write('\b \b')
          answer = [...answer].slice(0, -1).join('')
        } else if (char >= ' ') {
          answer += char
          if (echo) process.stderr.write(char)
        }
      }
    }
    stdin.setRawMode(true)
    stdin.resume()
    stdin.on('data', onData)
  })
}

/**
 * The terminal as vars_prompt's prompter, or undefined when stdin is no terminal (Ansible then
 * asks nothing). Questions go to stderr, so --json's stdout stays one JSON document.
 */
export function terminalPrompter(): Prompter | undefined {
  if (!process.stdin.isTTY) return undefined
  return {
    ask: (question, hidden) => askTerminal(question, !hidden),
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
