/** Reads a secret from the terminal without echoing it. */
import { createInterface } from 'node:readline'
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
