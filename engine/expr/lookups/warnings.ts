/**
 * Where lookups send their warnings (`errors='warn'`, config's `on_missing='warn'`). A lookup
 * runs inside an expression, which has no run to emit events on: the run installs its
 * reporter's warning here when it starts, as the vault passwords are installed for the loader.
 * Without a run (unit tests, `tsplay` subcommands) the warnings go to stderr.
 */
let sink: (message: string) => void = (message) => {
  process.stderr.write(`[WARNING]: ${message}\n`)
}

export function setLookupWarningSink(send: (message: string) => void): void {
  sink = send
}

export function lookupWarning(message: string): void {
  sink(message)
}
