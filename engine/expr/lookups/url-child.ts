/**
 * The HTTP request of lookup('url'), run in a child node process: lookups are synchronous (an
 * expression cannot wait), so the lookup blocks on spawnSync while the child talks HTTP. The
 * request, password included, goes in on stdin (never on a command line); the answer comes
 * back as one JSON line on stdout.
 */

/** What the child is asked to do. */
export interface UrlRequest {
  url: string
  headers: Record<string, string>
  timeoutMs: number
  validateCerts: boolean
  followRedirects: boolean
  username?: string
  password?: string
  forceBasicAuth: boolean
  unixSocket?: string
  caPath?: string
  /** Headers not sent again after a redirect. */
  unredirected: string[]
}

export type UrlAnswer = { status: number; reason: string; body: string } | { error: string; code?: string; cert?: boolean }

/** CommonJS, run with `node -e`: it must not depend on the build's module layout. */
export const CHILD_SOURCE = String.raw`
const http = require('node:http'), https = require('node:https'), fs = require('node:fs')
const certCodes = new Set(['DEPTH_ZERO_SELF_SIGNED_CERT', 'SELF_SIGNED_CERT_IN_CHAIN', 'UNABLE_TO_VERIFY_LEAF_SIGNATURE', 'CERT_HAS_EXPIRED', 'ERR_TLS_CERT_ALTNAME_INVALID', 'UNABLE_TO_GET_ISSUER_CERT_LOCALLY'])
let input = ''
process.stdin.on('data', (c) => (input += c)).on('end', () => {
  const req = JSON.parse(input)
  const done = (answer) => { process.stdout.write(JSON.stringify(answer) + '\n'); process.exit(0) }
  const basic = 'Basic ' + Buffer.from((req.username || '') + ':' + (req.password || '')).toString('base64')
  const go = (url, hops, auth, first) => {
    let target
    try { target = new URL(url) } catch { return done({ error: 'unknown url type: ' + url }) }
    if (target.protocol !== 'http:' && target.protocol !== 'https:') return done({ error: 'unknown url type: ' + target.protocol.replace(/:$/, '') })
    const headers = { ...req.headers }
    if (!first) for (const h of req.unredirected) for (const k of Object.keys(headers)) if (k.toLowerCase() === h.toLowerCase()) delete headers[k]
    if (target.username && req.username === undefined) { req.username = decodeURIComponent(target.username); req.password = decodeURIComponent(target.password) }
    if (auth) headers['Authorization'] = basic
    const lib = target.protocol === 'https:' ? https : http
    const hostname = target.hostname.replace(/^\[(.*)\]$/, '$1')
    const options = { hostname, port: target.port, path: target.pathname + target.search, method: 'GET', headers, timeout: req.timeoutMs, rejectUnauthorized: req.validateCerts }
    if (req.unixSocket) options.socketPath = req.unixSocket
    if (req.caPath) options.ca = fs.readFileSync(req.caPath)
    const r = lib.request(options, (res) => {
      const chunks = []
      res.on('data', (c) => chunks.push(c))
      res.on('end', () => {
        const status = res.statusCode || 0
        if (status === 401 && !auth && req.username !== undefined && /basic/i.test(String(res.headers['www-authenticate'] || ''))) return go(url, hops, true, first)
        if ([301, 302, 303, 307, 308].includes(status) && res.headers.location && req.followRedirects) {
          if (hops >= 10) return done({ error: 'The HTTP server returned a redirect error that would lead to an infinite loop.' })
          return go(new URL(res.headers.location, target).href, hops + 1, auth, false)
        }
        done({ status, reason: res.statusMessage || '', body: Buffer.concat(chunks).toString('base64') })
      })
    })
    r.on('timeout', () => r.destroy(Object.assign(new Error('timed out'), { code: 'ETIMEDOUT' })))
    r.on('error', (e) => done({ error: e.message, code: e.code, cert: certCodes.has(e.code) }))
    r.end()
  }
  go(req.url, 0, req.forceBasicAuth && req.username !== undefined, true)
})
`
