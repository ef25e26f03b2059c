/**
 * The `timeout` keyword: a module run that takes longer fails with Ansible 2.14's message, and the
 * commands it had running are killed (the abort reaches every command the task started through
 * its connection: engine/connection/session.ts kills it, and no command starts after it).
 */
import type { ModuleOutcome } from '../run-module.js'

/** How long a killed command may take to be gone (the SSH connection waits 2 s for its channel to close). */
const SETTLE_MS = 3_000

export function timeoutMessage(action: string, seconds: number): string {
  return `The ${action} action failed to execute in the expected time frame (${seconds}) and was terminated`
}

export async function withTimeout(seconds: number, action: string, run: (signal: AbortSignal | undefined) => Promise<ModuleOutcome>): Promise<ModuleOutcome> {
  if (!seconds) return run(undefined)
  const controller = new AbortController()
  const running = run(controller.signal)
  let timer: NodeJS.Timeout | undefined
  const expired = new Promise<'expired'>((resolve) => {
    timer = setTimeout(() => resolve('expired'), seconds * 1000)
  })
  const first = await Promise.race([running, expired]).finally(() => clearTimeout(timer))
  if (first !== 'expired') return first
  controller.abort()
  // The module's commands are being killed; its promise ends with them (an error we do not need).
  await Promise.race([running.catch(() => undefined), new Promise((resolve) => setTimeout(resolve, SETTLE_MS).unref())])
  const msg = timeoutMessage(action, seconds)
  return { status: 'failed', msg, diff: [], actions: [], result: { changed: false, failed: true, msg } }
}
