/**
 * url: the content of each URL, fetched from the controller (Ansible 2.14's lookup and its
 * options: validate_certs, split_lines, headers, timeout, username/password, force_basic_auth,
 * force, http_agent, follow_redirects, unix_socket, ca_path, unredirected_headers). A failure
 * names the URL (without any password in it) and the reason.
 */
import { spawnSync } from 'node:child_process'
import { toStr } from '../python.js'
import { needString } from '../types.js'
import { fail, type Dict } from '../values.js'
import { boolOption, dictOption, numberOption, textOption } from './options.js'
import type { LookupFn } from './types.js'
import { CHILD_SOURCE, type UrlAnswer, type UrlRequest } from './url-child.js'

/** The URL as messages show it: a `user:password@` part is left out. */
export function shownUrl(url: string): string {
  return url.replace(/^([a-z][a-z0-9+.-]*:\/\/)[^@/]*@/i, '$1')
}

export function urlRequest(url: string, options: Dict): UrlRequest {
  const headers: Record<string, string> = { 'User-Agent': textOption(options, 'http_agent', 'ansible-httpget', 'url') }
  for (const [k, v] of Object.entries(dictOption(options, 'headers', 'url'))) headers[k] = toStr(v)
  if (boolOption(options, 'force', false, 'url')) headers['cache-control'] = 'no-cache'
  if (boolOption(options, 'use_gssapi', false, 'url')) fail("lookup('url'): use_gssapi is not supported by tsplay")
  const follow = textOption(options, 'follow_redirects', 'urllib2', 'url')
  const username = textOption(options, 'username', undefined, 'url')
  const password = textOption(options, 'password', undefined, 'url')
  const unixSocket = textOption(options, 'unix_socket', undefined, 'url')
  const caPath = textOption(options, 'ca_path', undefined, 'url')
  const unredirected = options['unredirected_headers']
  return {
    url,
    headers,
    timeoutMs: numberOption(options, 'timeout', 10, 'url') * 1000,
    validateCerts: boolOption(options, 'validate_certs', true, 'url'),
    // Ansible's choices: urllib2, all, yes/safe follow; no, none, false do not.
    followRedirects: !['no', 'none', 'false'].includes(follow.toLowerCase()),
    ...(username !== undefined ? { username } : {}),
    ...(password !== undefined ? { password } : {}),
    forceBasicAuth: boolOption(options, 'force_basic_auth', false, 'url'),
    ...(unixSocket !== undefined ? { unixSocket } : {}),
    ...(caPath !== undefined ? { caPath } : {}),
    unredirected: Array.isArray(unredirected) ? unredirected.map((h) => toStr(h)) : [],
  }
}

const REASONS: Record<string, string> = {
  ECONNREFUSED: 'Connection refused',
  ENOTFOUND: 'Name or service not known',
  EAI_AGAIN: 'Temporary failure in name resolution',
  ENETUNREACH: 'Network is unreachable',
  EHOSTUNREACH: 'No route to host',
  ETIMEDOUT: 'timed out',
  ECONNRESET: 'Connection reset by peer',
}

/** Runs the request in a child process and waits for it. */
export function fetchUrl(request: UrlRequest): Buffer {
  const shown = shownUrl(request.url)
  const done = spawnSync(process.execPath, ['-e', CHILD_SOURCE], {
    input: JSON.stringify(request),
    encoding: 'utf8',
    timeout: request.timeoutMs * 3 + 5000,
    maxBuffer: 512 * 1024 * 1024,
  })
  if (done.error || done.status !== 0) fail(`Failed lookup url for ${shown} : the request could not be made (${done.error?.message ?? done.stderr.trim()})`)
  const answer = JSON.parse(done.stdout) as UrlAnswer
  if ('error' in answer) {
    if (answer.cert) fail(`Error validating the server's certificate for ${shown}: ${answer.error}`)
    const reason = (answer.code && REASONS[answer.code]) ?? answer.error
    return fail(`Failed lookup url for ${shown} : <urlopen error ${reason}${answer.code ? ` (${answer.code})` : ''}>`)
  }
  // As urllib: any answer outside 2xx that is not a redirect followed is an HTTP error.
  if (answer.status < 200 || answer.status >= 300) fail(`Received HTTP error for ${shown} : HTTP Error ${answer.status}: ${answer.reason}`)
  return Buffer.from(answer.body, 'base64')
}

export const url: LookupFn = (terms, options) => {
  const splitLines = boolOption(options, 'split_lines', true, 'url')
  return terms.flatMap((term) => {
    const body = fetchUrl(urlRequest(needString(term, 'the url'), options)).toString('utf8')
    if (!splitLines) return [body]
    // bytes.splitlines(): \n, \r\n and \r end a line; no empty line after the last one.
    const lines = body.split(/\r\n|\r|\n/)
    if (lines.at(-1) === '') lines.pop()
    return lines
  })
}
