/**
 * The one place a command builds its reporter. Every reporter it returns sits behind the
 * scrubbing reporter: a command that picked its own (as `tsplay test` once did) printed become
 * passwords and secret arguments in clear, so no command gets to choose without it.
 */
import type { Reporter } from '../events.js'
import { ansi } from './format.js'
import { JsonReporter } from './json.js'
import { PlainReporter } from './plain.js'
import { ScrubbingReporter } from './scrub.js'

export interface ReporterChoice {
  /** One JSON document at the end, for machines. */
  json?: boolean
  verbosity: number
}

export async function openReporter(choice: ReporterChoice): Promise<Reporter> {
  const tty = Boolean(process.stdout.isTTY)
  const inner: Reporter = choice.json
    ? new JsonReporter()
    : tty && !process.env['CI']
      ? // listr2 is loaded only when it draws: pipes and CI never pay for it.
        new (await import('./live.js')).LiveReporter(choice.verbosity)
      : new PlainReporter({ verbosity: choice.verbosity, ...(tty ? { palette: ansi } : {}) })
  return new ScrubbingReporter(inner)
}
