/** urlsplit: Python's urllib.parse.urlsplit, its parts as Ansible's filter returns them. */
import { toStr } from './python.js'
import { needString, params, type FilterFn } from './types.js'
import { fail, type Dict } from './values.js'

const SCHEME_CHARS = /^[A-Za-z][A-Za-z0-9+.-]*$/

/** scheme, netloc, path, query, fragment, as urlsplit cuts them. */
export function splitUrl(input: string): { scheme: string; netloc: string; path: string; query: string; fragment: string } {
  let url = input.replace(/^[\x00-\x20]+/, '').replace(/[\t\r\n]/g, '')
  let scheme = ''
  let netloc = ''
  let query = ''
  let fragment = ''
  const colon = url.indexOf(':')
  if (colon > 0 && SCHEME_CHARS.test(url.slice(0, colon))) {
    scheme = url.slice(0, colon).toLowerCase()
    url = url.slice(colon + 1)
  }
  if (url.startsWith('//')) {
    const ends = ['/', '?', '#'].map((c) => url.indexOf(c, 2)).filter((i) => i >= 0)
    const end = ends.length ? Math.min(...ends) : url.length
    netloc = url.slice(2, end)
    url = url.slice(end)
    if (netloc.includes('[') !== netloc.includes(']')) fail('Invalid IPv6 URL')
  }
  const hash = url.indexOf('#')
  if (hash >= 0) [url, fragment] = [url.slice(0, hash), url.slice(hash + 1)]
  const question = url.indexOf('?')
  if (question >= 0) [url, query] = [url.slice(0, question), url.slice(question + 1)]
  return { scheme, netloc, path: url, query, fragment }
}

/** SplitResult's username, password, hostname and port, read from the netloc. */
function netlocParts(netloc: string): Dict {
  const at = netloc.lastIndexOf('@')
  const userinfo = at >= 0 ? netloc.slice(0, at) : undefined
  const hostinfo = netloc.slice(at + 1)
  const colon = userinfo?.indexOf(':') ?? -1
  const username = userinfo === undefined ? null : colon >= 0 ? userinfo.slice(0, colon) : userinfo
  const password = userinfo === undefined || colon < 0 ? null : userinfo.slice(colon + 1)
  const bracket = hostinfo.indexOf('[')
  let host: string
  let port: string
  if (bracket >= 0) {
    const [inside = '', after = ''] = hostinfo.slice(bracket + 1).split(/\](.*)/s)
    host = inside
    port = after.includes(':') ? after.slice(after.indexOf(':') + 1) : ''
  } else {
    const c = hostinfo.indexOf(':')
    host = c >= 0 ? hostinfo.slice(0, c) : hostinfo
    port = c >= 0 ? hostinfo.slice(c + 1) : ''
  }
  let portNumber: number | null = null
  if (port) {
    if (!/^[0-9]+$/.test(port)) fail(`Port could not be cast to integer value as '${port}'`)
    portNumber = Number(port)
    if (portNumber > 65535) fail('Port out of range 0-65535')
  }
  const percent = host.indexOf('%')
  const hostname = !host ? null : percent >= 0 ? host.slice(0, percent).toLowerCase() + host.slice(percent) : host.toLowerCase()
  return { username, password, hostname, port: portNumber }
}

const urlsplit: FilterFn = (input, call, ctx) => {
  const [query = ''] = params(call, ['query'], ctx)
  const parts = splitUrl(needString(input, "the input of 'urlsplit'"))
  const all: Dict = { ...parts, ...netlocParts(parts.netloc) }
  // Python's dir() order: sorted.
  const result: Dict = Object.fromEntries(Object.keys(all).sort().map((k) => [k, all[k]]))
  const wanted = toStr(query)
  if (!wanted) return result
  return Object.hasOwn(result, wanted) ? result[wanted] : fail(`urlsplit: unknown URL component: ${wanted}`)
}

export const URL_FILTERS: Record<string, FilterFn> = { urlsplit }
