/**
 * The lab's apt cache against a stand-in mirror on loopback: one download per file however many
 * hosts ask at once, nothing stored that arrived cut short, and failures that name the URL.
 */
import { mkdtempSync, utimesSync } from 'node:fs'
import { createServer, get, type IncomingMessage, type Server } from 'node:http'
import type { AddressInfo } from 'node:net'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { setTimeout as sleep } from 'node:timers/promises'
import { afterEach, describe, expect, it } from 'vitest'
import { createAptCache, STATUS_PATH, type CacheOptions, type CacheStatus } from '../../engine/lab/apt-cache/server.js'
import { classify, clientAllowed, storagePath } from '../../engine/lab/apt-cache/policy.js'

const DEB = Buffer.alloc(512 * 1024, 7)
const servers: Server[] = []

interface Mirror {
  host: string
  hits: Map<string, number>
  release: { text: string }
}

/** A mirror that answers slowly (so that requests overlap) and counts what it was asked. */
async function mirror(): Promise<Mirror> {
  const hits = new Map<string, number>()
  const release = { text: 'Suite: one\n' }
  const server = createServer((req, res) => {
    const path = req.url ?? ''
    hits.set(path, (hits.get(path) ?? 0) + 1)
    if (path.endsWith('/hello_1_amd64.deb')) {
      res.writeHead(200, { 'content-length': DEB.length })
      let sent = 0
      const next = (): void => {
        if (sent >= DEB.length) return void res.end()
        res.write(DEB.subarray(sent, sent + 64 * 1024))
        sent += 64 * 1024
        setTimeout(next, 20)
      }
      return next()
    }
    if (path.endsWith('/dists/one/InRelease')) return void res.end(release.text)
    if (path.endsWith('/dists/one/main/binary-amd64/Packages.xz')) return void res.end(`packages for ${release.text}`)
    if (path.endsWith('/dists/one/main/binary-amd64/Packages.gz')) {
      // Slow, so that the release file can change while it downloads.
      const body = Buffer.from(`slow packages for ${release.text}`)
      res.writeHead(200, { 'content-length': body.length })
      res.write(body.subarray(0, 4))
      return void setTimeout(() => res.end(body.subarray(4)), 300)
    }
    if (path.endsWith('/broken_1_amd64.deb')) {
      res.writeHead(200, { 'content-length': 1000 })
      res.write(Buffer.alloc(400))
      return void setTimeout(() => res.destroy(), 50)
    }
    res.writeHead(404, 'Not Found')
    res.end()
  })
  servers.push(server)
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
  return { host: `127.0.0.1:${(server.address() as AddressInfo).port}`, hits, release }
}

interface Cache {
  port: number
  dir: string
  log: string[]
  /**
   * Waits until no download runs: a client has all the bytes (content-length) a moment before the
   * cache has stored the file, so a request right after may still share that download.
   */
  settled(): Promise<void>
}

async function cache(upstream: string, options: Partial<CacheOptions> = {}): Promise<Cache> {
  const log: string[] = []
  const dir = mkdtempSync(join(tmpdir(), 'tsplay-apt-cache-'))
  const server = createAptCache({ dir, upstreams: [upstream], log: (l) => log.push(l), ...options })
  servers.push(server)
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
  const port = (server.address() as AddressInfo).port
  const settled = async (): Promise<void> => {
    for (let tries = 0; tries < 500; tries++) {
      const status = JSON.parse((await fetchVia(port, STATUS_PATH)).body.toString()) as CacheStatus
      if (status.downloading === 0) return
      await sleep(10)
    }
    throw new Error('the cache still downloads after 5 s')
  }
  return { port, dir, log, settled }
}

interface Answer {
  status: number
  reason: string
  body: Buffer
  complete: boolean
}

/** A GET through the cache as apt sends it: the absolute URL as the request target. */
function fetchVia(port: number, url: string): Promise<Answer> {
  return new Promise((resolve, reject) => {
    const req = get({ host: '127.0.0.1', port, path: url, agent: false }, (res: IncomingMessage) => {
      const chunks: Buffer[] = []
      res.on('data', (c: Buffer) => chunks.push(c))
      res.on('end', () => resolve({ status: res.statusCode ?? 0, reason: res.statusMessage ?? '', body: Buffer.concat(chunks), complete: res.complete }))
      res.on('aborted', () => resolve({ status: res.statusCode ?? 0, reason: 'aborted', body: Buffer.concat(chunks), complete: false }))
      res.on('error', () => resolve({ status: res.statusCode ?? 0, reason: 'broken', body: Buffer.concat(chunks), complete: false }))
    })
    req.on('error', reject)
  })
}

afterEach(async () => {
  await Promise.all(servers.splice(0).map((s) => new Promise((resolve) => s.close(resolve))))
})

describe('the lab apt cache', () => {
  it('fetches a package once for twenty hosts asking at the same moment, and serves it from disk after', async () => {
    const m = await mirror()
    const c = await cache(m.host)
    const url = `http://${m.host}/debian/pool/main/h/hello/hello_1_amd64.deb`
    const answers = await Promise.all(Array.from({ length: 20 }, () => fetchVia(c.port, url)))
    for (const a of answers) {
      expect(a.status).toBe(200)
      expect(a.body.equals(DEB)).toBe(true)
    }
    expect(m.hits.get('/debian/pool/main/h/hello/hello_1_amd64.deb')).toBe(1)
    await c.settled()
    const again = await fetchVia(c.port, url)
    expect(again.body.equals(DEB)).toBe(true)
    expect(m.hits.get('/debian/pool/main/h/hello/hello_1_amd64.deb')).toBe(1)
    expect(c.log.filter((l) => l.includes(' download '))).toHaveLength(1)
    // The other 19 joined the download, or (on a loaded machine, arriving late) read the stored file.
    expect(c.log.filter((l) => l.includes(' shared ') || l.includes(' hit '))).toHaveLength(20)
    expect(c.log.at(-1)).toContain(' hit ')
  })

  it('shares one InRelease download between hosts updating at once, and keeps it fresh for a while', async () => {
    const m = await mirror()
    const c = await cache(m.host)
    const url = `http://${m.host}/debian/dists/one/InRelease`
    const answers = await Promise.all(Array.from({ length: 10 }, () => fetchVia(c.port, url)))
    expect(answers.map((a) => a.body.toString())).toEqual(Array(10).fill('Suite: one\n'))
    await c.settled()
    await fetchVia(c.port, url)
    expect(m.hits.get('/debian/dists/one/InRelease')).toBe(1)
  })

  it('drops the indexes cached by name when the release file they belong to changed', async () => {
    const m = await mirror()
    const c = await cache(m.host, { volatileTtlMs: 0 })
    const release = `http://${m.host}/debian/dists/one/InRelease`
    const packages = `http://${m.host}/debian/dists/one/main/binary-amd64/Packages.xz`
    await fetchVia(c.port, release)
    await c.settled()
    expect((await fetchVia(c.port, packages)).body.toString()).toBe('packages for Suite: one\n')
    await c.settled()
    m.release.text = 'Suite: two\n'
    expect((await fetchVia(c.port, release)).body.toString()).toBe('Suite: two\n')
    await c.settled()
    expect((await fetchVia(c.port, packages)).body.toString()).toBe('packages for Suite: two\n')
    expect(c.log.some((l) => /release file changed: .*InRelease; dropped 1 cached files/.test(l)), c.log.join('\n')).toBe(true)
  })

  it('does not keep an index whose download began before its release file changed', async () => {
    const m = await mirror()
    const c = await cache(m.host, { volatileTtlMs: 60_000 })
    const release = `http://${m.host}/debian/dists/one/InRelease`
    const packages = `http://${m.host}/debian/dists/one/main/binary-amd64/Packages.gz`
    await fetchVia(c.port, release)
    await c.settled()
    const slow = fetchVia(c.port, packages)
    await sleep(100)
    m.release.text = 'Suite: two\n'
    // The stored release file grows older than the TTL, as after five minutes.
    const stored = join(c.dir, storagePath(m.host, '/debian/dists/one/InRelease') ?? '')
    utimesSync(stored, new Date(Date.now() - 120_000), new Date(Date.now() - 120_000))
    expect((await fetchVia(c.port, release)).body.toString()).toBe('Suite: two\n')
    expect((await slow).body.toString()).toBe('slow packages for Suite: one\n')
    await c.settled()
    expect((await fetchVia(c.port, packages)).body.toString()).toBe('slow packages for Suite: two\n')
    expect(m.hits.get('/debian/dists/one/main/binary-amd64/Packages.gz')).toBe(2)
  })

  it('never stores a file that arrived cut short: the client sees a broken transfer, the next one a new try', async () => {
    const m = await mirror()
    const c = await cache(m.host)
    const url = `http://${m.host}/debian/pool/main/b/broken/broken_1_amd64.deb`
    const first = await fetchVia(c.port, url)
    expect(first.complete).toBe(false)
    await sleep(50)
    await fetchVia(c.port, url)
    expect(m.hits.get('/debian/pool/main/b/broken/broken_1_amd64.deb')).toBe(2)
    expect(c.log.some((l) => /failed: http:\/\/.*broken_1_amd64\.deb: the mirror sent 400 of 1000 bytes|the transfer broke after 400 bytes/.test(l))).toBe(true)
  })

  it('answers a missing file with 404 and a mirror that cannot be reached with 502, naming the URL and why', async () => {
    const m = await mirror()
    const c = await cache(m.host)
    const missing = await fetchVia(c.port, `http://${m.host}/debian/pool/main/n/nope/nope_1_amd64.deb`)
    expect(missing.status).toBe(404)
    expect(missing.reason).toMatch(/nope_1_amd64\.deb: the mirror answered 404/)

    const down = await cache('127.0.0.1:9')
    const unreachable = await fetchVia(down.port, 'http://127.0.0.1:9/debian/dists/one/InRelease')
    expect(unreachable.status).toBe(502)
    expect(unreachable.reason).toMatch(/tsplay apt cache: http:\/\/127\.0\.0\.1:9\/debian\/dists\/one\/InRelease: .*ECONNREFUSED/)
  })

  it('serves a stale release file when the mirror cannot be reached', async () => {
    const m = await mirror()
    const c = await cache(m.host, { volatileTtlMs: 0 })
    const url = `http://${m.host}/debian/dists/one/InRelease`
    await fetchVia(c.port, url)
    await c.settled()
    await Promise.all(servers.slice(0, 1).map((s) => new Promise((resolve) => { s.closeAllConnections(); s.close(resolve) })))
    const stale = await fetchVia(c.port, url)
    expect(stale.status).toBe(200)
    expect(stale.body.toString()).toBe('Suite: one\n')
    expect(c.log.some((l) => l.includes(' stale ')), c.log.join('\n')).toBe(true)
  })

  it('is no open proxy: other hosts and plain requests are refused with the reason', async () => {
    const m = await mirror()
    const c = await cache(m.host)
    const other = await fetchVia(c.port, 'http://example.org/debian/dists/one/InRelease')
    expect(other.status).toBe(403)
    expect(other.reason).toMatch(/example\.org is not a mirror this cache serves/)
    const plain = await fetchVia(c.port, '/debian/dists/one/InRelease')
    expect(plain.status).toBe(400)
    expect(clientAllowed('203.0.113.7')).toBe(false)
    expect(clientAllowed('::ffff:198.18.32.11')).toBe(true)
  })
})

describe('what the cache keeps', () => {
  it('keeps packages and by-hash indexes for good, release files for a while, and passes the rest', () => {
    expect(classify('/debian/pool/main/h/hello/hello_2.10-3_amd64.deb')).toBe('immutable')
    expect(classify('/debian/dists/bookworm/main/binary-amd64/by-hash/SHA256/0123abcd')).toBe('immutable')
    expect(classify('/debian/dists/bookworm/InRelease')).toBe('volatile')
    expect(classify('/debian/dists/bookworm/main/binary-amd64/Packages.xz')).toBe('volatile')
    expect(classify('/debian/')).toBe('pass')
  })

  it('stores nothing outside its folder, whatever the URL says', () => {
    expect(storagePath('deb.debian.org', '/debian/../../etc/passwd')).toBeUndefined()
    expect(storagePath('deb.debian.org', '/debian/%2e%2e/x')).toBeUndefined()
    expect(storagePath('deb.debian.org', '/debian/pool/a.deb')).toBe('deb.debian.org/debian/pool/a.deb')
    expect(storagePath('127.0.0.1:8080', '/x/y')).toBe('127.0.0.1_8080/x/y')
  })
})
