/**
 * Debian version comparison (dpkg's verrevcmp), for `name>=version` specs: epochs first,
 * then upstream and revision, where `~` sorts before everything, even the end of the string.
 */

function order(c: string | undefined): number {
  if (c === undefined || (c >= '0' && c <= '9')) return 0
  if (/[A-Za-z]/.test(c)) return c.charCodeAt(0)
  if (c === '~') return -1
  return c.charCodeAt(0) + 256
}

const isDigit = (c: string | undefined): boolean => c !== undefined && c >= '0' && c <= '9'

function verrevcmp(a: string, b: string): number {
  let i = 0
  let j = 0
  while (i < a.length || j < b.length) {
    let firstDiff = 0
    while ((i < a.length && !isDigit(a[i])) || (j < b.length && !isDigit(b[j]))) {
      const ac = order(a[i])
      const bc = order(b[j])
      if (ac !== bc) return ac - bc
      i++
      j++
    }
    while (a[i] === '0') i++
    while (b[j] === '0') j++
    while (isDigit(a[i]) && isDigit(b[j])) {
      if (!firstDiff) firstDiff = (a.charCodeAt(i) ?? 0) - (b.charCodeAt(j) ?? 0)
      i++
      j++
    }
    if (isDigit(a[i])) return 1
    if (isDigit(b[j])) return -1
    if (firstDiff) return firstDiff
  }
  return 0
}

function split(version: string): [number, string, string] {
  const colon = version.indexOf(':')
  const epoch = colon > 0 ? Number(version.slice(0, colon)) || 0 : 0
  const rest = colon > 0 ? version.slice(colon + 1) : version
  const dash = rest.lastIndexOf('-')
  return dash >= 0 ? [epoch, rest.slice(0, dash), rest.slice(dash + 1)] : [epoch, rest, '']
}

/** Negative, zero or positive as `a` is older than, the same as, or newer than `b`. */
export function compareDebVersions(a: string, b: string): number {
  const [ea, ua, ra] = split(a)
  const [eb, ub, rb] = split(b)
  if (ea !== eb) return ea - eb
  return verrevcmp(ua, ub) || verrevcmp(ra, rb)
}
