/**
 * The lab's apt cache: an HTTP proxy for Debian's mirrors that lab hosts (and the image build)
 * fetch packages through, so ten hosts installing one package download it once.
 *
 * Why our own and not apt-cacher-ng: with several hosts asking for one InRelease at once,
 * apt-cacher-ng 3.7 stalled them for minutes ("Failure to move file ... out of the way"), and with
 * release files set to pass through it answered `400 Bad Request` on some tries (docs/decisions.md).
 * Here every URL has at most one download in flight, which every client asking for it shares.
 */
import { createReadStream } from 'node:fs'
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http'
import { classify, clientAllowed, releaseSuiteDir, storagePath, VOLATILE_TTL_MS } from './policy.js'
import { Download, respondError, UpstreamError } from './download.js'
import { Store } from './store.js'

export const STATUS_PATH = '/_tsplay/apt-cache'

export interface CacheOptions {
  dir: string
  /** Mirror hosts (host or host:port) the cache forwards to; any other is refused. */
  upstreams: string[]
  log: (line: string) => void
  /** Names the code the cache runs: `lab up` replaces a running cache whose code differs (daemon.ts). */
  recipe?: string
  /** How long release files and indexes by name are served before being fetched again. */
  volatileTtlMs?: number
}

export interface CacheStatus {
  service: 'tsplay-apt-cache'
  recipe: string
  pid: number
  dir: string
  upstreams: string[]
  counts: { hits: number; downloads: number; shared: number; failures: number }
  /** Downloads still running (a client may have all the bytes before the file is stored). */
  downloading: number
}

export function createAptCache(options: CacheOptions): Server {
  const store = new Store(options.dir)
  store.clearPartial()
  const inFlight = new Map<string, Download>()
  const counts = { hits: 0, downloads: 0, shared: 0, failures: 0 }
  const upstreams = new Set(options.upstreams.map((u) => u.toLowerCase()))
  const ttl = options.volatileTtlMs ?? VOLATILE_TTL_MS

  /** Per suite folder, how often its release file changed: an index fetched before a change is not kept after it. */
  const releaseChanges = new Map<string, number>()
  // By-hash files name their content, so a release change never makes them wrong.
  const suiteOf = (relative: string): string | undefined => (relative.includes('/by-hash/') ? undefined : /^(.*\/dists\/[^/]+)\//.exec(relative)?.[1])

  /** Decides, as a download starts, whether what it brings may be stored when it ends. */
  const storePolicy = (relative: string): ((body: Buffer) => boolean) => {
    const release = releaseSuiteDir('/' + relative)?.slice(1)
    const suite = release ?? suiteOf(relative)
    const changesAtStart = suite === undefined ? 0 : (releaseChanges.get(suite) ?? 0)
    return (body) => {
      if (release === undefined) return suite === undefined || (releaseChanges.get(suite) ?? 0) === changesAtStart
      const old = store.read(relative)
      if (old && !old.equals(body)) {
        releaseChanges.set(release, (releaseChanges.get(release) ?? 0) + 1)
        const removed = store.invalidateSuite(release, relative)
        options.log(`release file changed: ${relative}; dropped ${removed} cached files of that suite`)
      }
      return true
    }
  }

  const handle = (req: IncomingMessage, res: ServerResponse): void => {
    if (!clientAllowed(req.socket.remoteAddress)) return respondError(res, 403, `tsplay apt cache: ${req.socket.remoteAddress ?? 'this address'} may not use this cache`)
    const target = req.url ?? ''
    if (target === STATUS_PATH) {
      const status: CacheStatus = { service: 'tsplay-apt-cache', recipe: options.recipe ?? '', pid: process.pid, dir: options.dir, upstreams: [...upstreams], counts, downloading: inFlight.size }
      res.writeHead(200, { 'content-type': 'application/json' })
      return void res.end(JSON.stringify(status) + '\n')
    }
    if (req.method !== 'GET' && req.method !== 'HEAD') return respondError(res, 405, `tsplay apt cache: ${req.method ?? ''} is not served; only GET and HEAD`)
    let url: URL
    try {
      url = new URL(target)
    } catch {
      return respondError(res, 400, `tsplay apt cache: '${target.slice(0, 100)}' is not an absolute http:// URL; point apt at this cache as a proxy (Acquire::http::Proxy)`)
    }
    if (url.protocol !== 'http:') return respondError(res, 400, `tsplay apt cache: only http:// URLs are proxied, not ${url.protocol}`)
    if (!upstreams.has(url.host.toLowerCase())) return respondError(res, 403, `tsplay apt cache: ${url.host} is not a mirror this cache serves (${[...upstreams].join(', ')})`)

    const head = req.method === 'HEAD'
    const client = (req.socket.remoteAddress ?? '?').replace(/^::ffff:/, '')
    const note = (how: string): void => options.log(`${client} ${how} ${url.href}`)
    const kind = classify(url.pathname)
    const relative = kind === 'pass' ? undefined : storagePath(url.host.toLowerCase(), url.pathname)
    const cached = relative ? store.lookup(relative) : undefined
    if (cached && (kind === 'immutable' || Date.now() - cached.mtimeMs < ttl)) {
      counts.hits++
      note('hit')
      return serveFile(res, cached.file, cached.size, cached.mtimeMs, head)
    }
    const key = `${url.host.toLowerCase()}${url.pathname}`
    let download = inFlight.get(key)
    if (download) {
      counts.shared++
      note('shared')
    } else {
      counts.downloads++
      note('download')
      download = new Download(url.href, store, relative, relative ? storePolicy(relative) : () => false)
      inFlight.set(key, download)
      download.done.then(
        () => inFlight.delete(key),
        (err: unknown) => {
          inFlight.delete(key)
          counts.failures++
          options.log(`failed: ${err instanceof UpstreamError ? err.message : String(err)}`)
        },
      )
    }
    // A stale copy of a release file beats an error when the mirror cannot be reached.
    if (cached) {
      const stale = cached
      return void download.done.then(
        (body) => serveBody(res, body, head),
        () => {
          note('stale')
          serveFile(res, stale.file, stale.size, stale.mtimeMs, head)
        },
      )
    }
    download.attach(res, head)
  }

  return createServer((req, res) => {
    try {
      handle(req, res)
    } catch (err) {
      options.log(`internal error for ${req.url ?? ''}: ${(err as Error).stack ?? String(err)}`)
      if (!res.headersSent) respondError(res, 500, `tsplay apt cache: internal error: ${(err as Error).message}`)
      else res.destroy()
    }
  })
}

function serveFile(res: ServerResponse, file: string, size: number, mtimeMs: number, head: boolean): void {
  res.writeHead(200, { 'content-type': 'application/octet-stream', 'content-length': size, 'last-modified': new Date(mtimeMs).toUTCString() })
  if (head) return void res.end()
  const stream = createReadStream(file)
  stream.on('error', () => res.destroy())
  stream.pipe(res)
}

function serveBody(res: ServerResponse, body: Buffer, head: boolean): void {
  res.writeHead(200, { 'content-type': 'application/octet-stream', 'content-length': body.length })
  res.end(head ? undefined : body)
}
