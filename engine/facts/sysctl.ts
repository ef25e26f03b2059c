/** A kernel parameter's live value (`sysctl -n`); null when the kernel has no such key. */
import { defineFact } from '../module.js'
import { sh } from '../quote.js'

export const sysctlFact = defineFact<string | null, string>({
  name: 'sysctl',
  command: (name) => sh`LC_ALL=C sysctl -n ${name}`,
  parse: (result) => (result.code === 0 ? result.stdout.replace(/\n$/, '') : null),
})
