/**
 * The linear strategy: every host finishes task N before any host starts task N+1.
 *
 * Each host walks its own task tree (so blocks, rescue and includes stay ordinary code) and,
 * before each task, arrives at the task's position: a path of ids in document order,
 * compared lexicographically. A host waits until every other host still running is at the
 * same position or beyond. Positions only grow, so the host furthest behind never waits
 * and the run always advances.
 */
export type Position = readonly number[]

export function comparePositions(a: Position, b: Position): number {
  const n = Math.min(a.length, b.length)
  for (let i = 0; i < n; i++) {
    const d = (a[i] as number) - (b[i] as number)
    if (d !== 0) return d
  }
  return a.length - b.length
}

export interface Barrier {
  arrive(host: string, position: Position): Promise<void>
  /** The host has nothing left to run in this play (finished, failed or unreachable). */
  leave(host: string): void
}

/** The free strategy: hosts never wait for each other. */
export const freeBarrier: Barrier = {
  arrive: async () => {},
  leave: () => {},
}

export class LinearBarrier implements Barrier {
  private readonly at = new Map<string, Position | 'gone'>()
  private waiting: { host: string; position: Position; resolve: () => void }[] = []

  constructor(private readonly hosts: readonly string[]) {
    for (const host of hosts) this.at.set(host, [])
  }

  arrive(host: string, position: Position): Promise<void> {
    this.at.set(host, position)
    return new Promise((resolve) => {
      this.waiting.push({ host, position, resolve })
      // Not released here: the last host to arrive would be resolved before its own await is
      // registered, so it would resume after the others, and run_once would go to whichever host
      // was not the slowest. A microtask later every waiter is registered and resumes in the order
      // release() resolves them.
      queueMicrotask(() => this.release())
    })
  }

  leave(host: string): void {
    this.at.set(host, 'gone')
    this.release()
  }

  private release(): void {
    const ready = this.waiting.filter((w) => this.mayProceed(w.host, w.position))
    if (!ready.length) return
    this.waiting = this.waiting.filter((w) => !ready.includes(w))
    // Release in inventory order, so run_once picks the first host as Ansible does.
    ready.sort((a, b) => this.hosts.indexOf(a.host) - this.hosts.indexOf(b.host))
    for (const w of ready) w.resolve()
  }

  private mayProceed(host: string, position: Position): boolean {
    for (const [other, at] of this.at) {
      if (other === host || at === 'gone') continue
      if (comparePositions(at, position) < 0) return false
    }
    return true
  }
}
