/**
 * One download from a mirror, shared by every client that asks for the same URL while it runs
 * (the single flight that keeps ten hosts' `apt-get update` from fetching one InRelease ten times).
 * Each client gets the bytes as they arrive; the file is stored only when it arrived whole.
 */
import { get, type IncomingMessage, type OutgoingHttpHeaders, type ServerResponse } from 'node:http'
import { Agent } from 'node:http'
import type { Store } from './store.js'

const agent = new Agent({ keepAlive: true, maxSockets: 16 })
const MAX_REDIRECTS = 5
/** No byte from the mirror for this long fails the download (each client's apt then retries). */
const IDLE_TIMEOUT_MS = 30_000

/** Why a download failed, in words a person reading apt's output can act on. */
export class UpstreamError extends Error {
  constructor(
    readonly url: string,
    readonly status: number,
    why: string,
  ) {
    super(`${url}: ${why}`)
  }
}

interface Waiter {
  res: ServerResponse
  head: boolean
}

export class Download {
  private status = 0
  private headers: OutgoingHttpHeaders = {}
  private readonly chunks: Buffer[] = []
  private readonly waiters = new Set<Waiter>()
  private ended = false
  private failure: UpstreamError | undefined
  /** Settles when the download ends: the bytes, or why there are none. */
  readonly done: Promise<Buffer>

  constructor(
    readonly url: string,
    private readonly store: Store,
    /** Where the file goes in the store; undefined: pass it through, never store it. */
    private readonly relative: string | undefined,
    /** Called with the whole file before it is stored: false keeps it out of the store (the clients still get it). */
    private readonly mayStore: (body: Buffer) => boolean,
  ) {
    this.done = new Promise<Buffer>((resolve, reject) => this.fetch(url, 0, resolve, reject))
    // A failure is answered to each waiter; nobody else needs to see it.
    this.done.catch(() => undefined)
  }

  /** Serves this download to one more client: what has arrived so far, then the rest as it comes. */
  attach(res: ServerResponse, head: boolean): void {
    if (this.failure) {
      if (this.status) res.destroy()
      else respondError(res, this.failure.status, `tsplay apt cache: ${this.failure.message}`)
      return
    }
    const waiter = { res, head }
    if (this.status) this.start(waiter)
    if (this.ended) {
      res.end()
      return
    }
    this.waiters.add(waiter)
    res.on('close', () => this.waiters.delete(waiter))
  }

  private start({ res, head }: Waiter): void {
    res.writeHead(this.status, this.headers)
    if (head) res.end()
    else for (const chunk of this.chunks) res.write(chunk)
  }

  private fetch(url: string, redirects: number, resolve: (b: Buffer) => void, reject: (e: Error) => void): void {
    const req = get(url, { agent, headers: { 'user-agent': 'tsplay-apt-cache', 'accept-encoding': 'identity' } }, (up) => {
      const location = up.headers.location
      if (up.statusCode && up.statusCode >= 300 && up.statusCode < 400 && location) {
        up.resume()
        if (redirects >= MAX_REDIRECTS) return this.fail(new UpstreamError(url, 502, `more than ${MAX_REDIRECTS} redirects`), reject)
        return this.fetch(new URL(location, url).href, redirects + 1, resolve, reject)
      }
      if (up.statusCode !== 200) {
        up.resume()
        return this.fail(new UpstreamError(url, up.statusCode === 404 ? 404 : 502, `the mirror answered ${up.statusCode} ${up.statusMessage ?? ''}`.trim()), reject)
      }
      this.receive(up, resolve, reject)
    })
    req.setTimeout(IDLE_TIMEOUT_MS, () => req.destroy(new Error(`no answer for ${IDLE_TIMEOUT_MS / 1000} s`)))
    req.on('error', (err) => this.fail(new UpstreamError(url, 502, err.message), reject))
  }

  private receive(up: IncomingMessage, resolve: (b: Buffer) => void, reject: (e: Error) => void): void {
    const expected = up.headers['content-length'] === undefined ? undefined : Number(up.headers['content-length'])
    this.status = 200
    this.headers = {
      'content-type': up.headers['content-type'] ?? 'application/octet-stream',
      ...(expected !== undefined ? { 'content-length': expected } : {}),
      ...(up.headers['last-modified'] ? { 'last-modified': up.headers['last-modified'] } : {}),
    }
    for (const w of this.waiters) this.start(w)
    const temp = this.relative ? this.store.begin() : undefined
    let size = 0
    up.on('data', (chunk: Buffer) => {
      size += chunk.length
      this.chunks.push(chunk)
      temp?.stream.write(chunk)
      for (const w of this.waiters) if (!w.head) w.res.write(chunk)
    })
    up.on('error', (err) => {
      temp?.stream.destroy()
      if (temp) this.store.discard(temp.path)
      this.fail(new UpstreamError(this.url, 502, `the transfer broke after ${size} bytes: ${err.message}`), reject)
    })
    up.on('end', () => {
      if (expected !== undefined && size !== expected) {
        temp?.stream.destroy()
        if (temp) this.store.discard(temp.path)
        return this.fail(new UpstreamError(this.url, 502, `the mirror sent ${size} of ${expected} bytes`), reject)
      }
      const body = Buffer.concat(this.chunks)
      const finish = (): void => {
        this.ended = true
        for (const w of this.waiters) w.res.end()
        this.waiters.clear()
        resolve(body)
      }
      if (!temp || !this.relative) return finish()
      const relative = this.relative
      temp.stream.end(() => {
        try {
          if (this.mayStore(body)) this.store.commit(temp.path, relative)
          else this.store.discard(temp.path)
        } catch {
          // Storing is best effort (a folder where a file should go): the clients got their bytes.
          this.store.discard(temp.path)
        }
        finish()
      })
    })
  }

  /** Clients still waiting for headers get the reason; those mid-transfer get a broken connection, as from the mirror. */
  private fail(err: UpstreamError, reject: (e: Error) => void): void {
    this.ended = true
    this.failure = err
    for (const { res } of this.waiters) {
      if (res.headersSent) res.destroy()
      else respondError(res, err.status, `tsplay apt cache: ${err.message}`)
    }
    this.waiters.clear()
    reject(err)
  }
}

/** An error answer whose reason phrase says what failed: apt prints the reason phrase. */
export function respondError(res: ServerResponse, status: number, message: string): void {
  const reason = message.replace(/[^\x20-\x7e]/g, ' ').slice(0, 300)
  res.writeHead(status, reason, { 'content-type': 'text/plain', 'content-length': Buffer.byteLength(message + '\n') })
  res.end(message + '\n')
}
