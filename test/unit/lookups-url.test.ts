/** lookup('url') against an HTTP server on 127.0.0.1 (a child process: the lookup blocks this one while it waits). */
import { spawn, type ChildProcess } from 'node:child_process'
import { afterAll, beforeAll, describe, expect, test } from 'vitest'
import { MISSING, renderString, type Scope } from '../../engine/expr/index.js'
import { shownUrl } from '../../engine/expr/lookups/url.js'

const SERVER = String.raw`
const http = require('node:http')
const server = http.createServer((req, res) => {
  const auth = req.headers.authorization
  if (req.url === '/lines') return res.end('one\ntwo\r\nthree\n')
  if (req.url === '/headers') return res.end(JSON.stringify({ agent: req.headers['user-agent'], x: req.headers['x-test'] || null, cache: req.headers['cache-control'] || null }))
  if (req.url === '/moved') { res.writeHead(302, { location: '/lines' }); return res.end() }
  if (req.url === '/private') {
    if (auth !== 'Basic ' + Buffer.from('ann:s3cret').toString('base64')) { res.writeHead(401, { 'www-authenticate': 'Basic realm="x"' }); return res.end() }
    return res.end('welcome')
  }
  if (req.url === '/forced') return res.end(auth ? 'sent at once' : 'no auth')
  if (req.url === '/slow') return setTimeout(() => res.end('late'), 3000)
  res.writeHead(404, 'Not Found'); res.end()
})
server.listen(0, '127.0.0.1', () => console.log(server.address().port))
`

let server: ChildProcess
let base = ''
const scope: Scope = { lookup: () => MISSING }
const at = (expr: string): unknown => renderString(`{{ ${expr.replaceAll('BASE', base)} }}`, scope)

beforeAll(async () => {
  server = spawn(process.execPath, ['-e', SERVER], { stdio: ['ignore', 'pipe', 'inherit'] })
  const port = await new Promise<string>((resolve) => server.stdout?.once('data', (d: Buffer) => resolve(d.toString().trim())))
  base = `http://127.0.0.1:${port}`
})
afterAll(() => {
  server.kill()
})

describe("lookup('url')", () => {
  test('lines by default (split_lines), the whole text with split_lines=False', () => {
    expect(at("query('url', 'BASE/lines')")).toEqual(['one', 'two', 'three'])
    expect(at("lookup('url', 'BASE/lines')")).toBe('one,two,three')
    expect(at("lookup('url', 'BASE/lines', split_lines=False)")).toBe('one\ntwo\r\nthree\n')
  })

  test('headers, http_agent, force; redirects are followed', () => {
    // The JSON text reads back as a dict, as Ansible's templar reads it.
    expect(at("lookup('url', 'BASE/headers', headers={'X-Test': 'yes'}, force=True)")).toEqual({ agent: 'ansible-httpget', x: 'yes', cache: 'no-cache' })
    expect(at("query('url', 'BASE/moved')")).toEqual(['one', 'two', 'three'])
    expect(() => at("lookup('url', 'BASE/moved', follow_redirects='none')")).toThrow(/HTTP Error 302/)
  })

  test('basic auth answers the challenge; force_basic_auth sends it at once', () => {
    expect(at("lookup('url', 'BASE/private', username='ann', password='s3cret')")).toBe('welcome')
    expect(() => at("lookup('url', 'BASE/private', username='ann', password='wrong')")).toThrow(/Received HTTP error for .*\/private : HTTP Error 401/)
    expect(at("lookup('url', 'BASE/forced', username='ann', password='s3cret')")).toBe('no auth')
    expect(at("lookup('url', 'BASE/forced', username='ann', password='s3cret', force_basic_auth=True)")).toBe('sent at once')
  })

  test('failures name the URL and the reason, never a password in it', () => {
    expect(() => at("lookup('url', 'BASE/missing')")).toThrow(/Received HTTP error for http:\/\/127.0.0.1:\d+\/missing : HTTP Error 404: Not Found/)
    expect(() => at("lookup('url', 'http://127.0.0.1:9/x')")).toThrow('Failed lookup url for http://127.0.0.1:9/x : <urlopen error Connection refused (ECONNREFUSED)>')
    expect(() => at("lookup('url', 'BASE/slow', timeout=0.5)")).toThrow(/Failed lookup url for .*\/slow : <urlopen error timed out/)
    expect(() => at("lookup('url', 'http://example.invalid/x')")).toThrow(/Failed lookup url for http:\/\/example.invalid\/x : <urlopen error/)
    expect(shownUrl('https://ann:pw@host/x')).toBe('https://host/x')
  })
})
