/**
 * Limits how many SSH handshakes are under way at once to one address:port. Many inventory
 * hosts often sit behind one sshd (a bastion, a NAT gateway, containers on one machine), and
 * OpenSSH's default MaxStartups 10:30:100 starts dropping unauthenticated connections beyond
 * 10. A handshake holds its slot until the session is authenticated or has failed.
 */
import { Slots } from './slots.js'

/** Under sshd's default MaxStartups (10), leaving room for another client or two. */
export const HANDSHAKES_PER_TARGET = 8

export class HandshakeLimiter {
  private readonly targets = new Map<string, { slots: Slots; users: number }>()

  constructor(private readonly perTarget: number = HANDSHAKES_PER_TARGET) {}

  /** Waits for a handshake slot for `target` (address:port); the release function frees it. */
  async acquire(target: string): Promise<() => void> {
    let entry = this.targets.get(target)
    if (!entry) {
      entry = { slots: new Slots(this.perTarget), users: 0 }
      this.targets.set(target, entry)
    }
    entry.users++
    const held = entry
    const release = await held.slots.acquire()
    return () => {
      release()
      // Forget idle targets, so a long run over thousands of hosts keeps no table of them.
      if (--held.users === 0 && this.targets.get(target) === held) this.targets.delete(target)
    }
  }

  /** Targets with a handshake under way or waiting (for tests). */
  get size(): number {
    return this.targets.size
  }
}
