/**
 * Long synchronous work (parsing a vars file of many megabytes) blocks the event loop, so a
 * JavaScript SIGINT handler cannot run until it ends: Ctrl-C would wait for the whole parse
 * and then only ask the run to finish its tasks. While such work runs, the handlers are set
 * aside, so the signal's default action applies and the process ends at once (the shell
 * reports 130), as it does while playbooks and inventories load, before any handler exists.
 */

const SIGNALS = ['SIGINT', 'SIGTERM'] as const

/** Runs `work` with SIGINT and SIGTERM at their default action; the handlers come back after. */
export function withDefaultSignals<T>(work: () => T): T {
  // Node restores a signal's default action once its last listener is removed.
  const saved = SIGNALS.map((signal) => ({ signal, listeners: process.rawListeners(signal) as ((...args: unknown[]) => void)[] }))
  for (const { signal } of saved) process.removeAllListeners(signal)
  try {
    return work()
  } finally {
    for (const { signal, listeners } of saved) for (const listener of listeners) process.on(signal, listener)
  }
}
