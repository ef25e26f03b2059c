/**
 * The `throttle` keyword: at most N hosts run a task at once (Ansible's strategies count the
 * workers running the same task, linear and free alike). Each host brings its own limit, as each
 * renders the keyword with its own variables; a host waits while as many hosts as its limit run
 * the task, and those waiting go in arrival order.
 */
import type { TaskThrottle } from './env.js'

interface Waiting {
  limit: number
  admit: () => void
}

export class Throttle implements TaskThrottle {
  private readonly running = new Map<string, number>()
  private readonly waiting = new Map<string, Waiting[]>()

  async enter(task: string, limit: number): Promise<() => void> {
    if ((this.running.get(task) ?? 0) < limit && !this.waiting.get(task)?.length) this.take(task)
    else await new Promise<void>((admit) => this.queue(task).push({ limit, admit }))
    let left = false
    return () => {
      if (left) return
      left = true
      this.running.set(task, (this.running.get(task) ?? 1) - 1)
      this.admitNext(task)
    }
  }

  private take(task: string): void {
    this.running.set(task, (this.running.get(task) ?? 0) + 1)
  }

  private queue(task: string): Waiting[] {
    let list = this.waiting.get(task)
    if (!list) this.waiting.set(task, (list = []))
    return list
  }

  /** Lets in, in order, every waiting host whose limit the hosts running the task leave room for. */
  private admitNext(task: string): void {
    const list = this.waiting.get(task) ?? []
    for (let i = 0; i < list.length; ) {
      const next = list[i] as Waiting
      if ((this.running.get(task) ?? 0) >= next.limit) {
        i++
        continue
      }
      list.splice(i, 1)
      this.take(task)
      next.admit()
    }
  }
}
