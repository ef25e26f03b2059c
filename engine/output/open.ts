/**
 * The one place a command builds its reporter. Every reporter it returns sits behind the
 * scrubbing reporter: a command that picked its own (as `tsplay test` once did) printed become
 * passwords and secret arguments in clear, so no command gets to choose without it.
 */
import type { Reporter } from '../events.js'
import { AdHocReporter } from './ad-hoc.js'
import { ansi } from './format.js'
import { JsonReporter } from './json.js'
import { LiveReporter } from './live.js'
import { PlainReporter } from './plain.js'
import { ScrubbingReporter } from './scrub.js'

export interface ReporterChoice {
  /** One JSON document at the end, for machines. */
  json?: boolean
  verbosity: number
  /** `tsplay ad-hoc`: one block (or, oneLine, one line) per host, as `ansible` prints. */
  adHoc?: { oneLine: boolean }
}

export async function openReporter(choice: ReporterChoice): Promise<Reporter> {
  const env = process.env
  // NO_COLOR (no-color.org) and TERM=dumb ask for text without escapes: no colour, no redrawn line.
  const escapes = Boolean(process.stdout.isTTY) && env['TERM'] !== 'dumb' && !env['NO_COLOR']
  const inner: Reporter = choice.json
    ? new JsonReporter()
    : choice.adHoc
      ? new AdHocReporter({ oneLine: choice.adHoc.oneLine, ...(escapes ? { palette: ansi } : {}) })
      : escapes && !env['CI']
      ? new LiveReporter(choice.verbosity)
      : new PlainReporter({ verbosity: choice.verbosity, ...(escapes ? { palette: ansi } : {}) })
  return new ScrubbingReporter(inner)
}
