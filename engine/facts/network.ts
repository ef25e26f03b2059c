/** IPv4 network facts from `ip` output, with /proc/net/route and `hostname -I` as fallbacks. */

export interface Ipv4Address {
  interface: string
  address: string
  /** Prefix length as a string, as Ansible reports it ('24'); '' when unknown. */
  prefix: string
  broadcast: string
}

export interface DefaultIpv4 {
  address: string
  interface: string
  gateway: string
  netmask: string
  network: string
  broadcast: string
  prefix: string
  macaddress: string
}

export interface NetworkFacts {
  /** Empty object when the host has no default route, as in Ansible. */
  ansible_default_ipv4: Partial<DefaultIpv4>
  ansible_all_ipv4_addresses: string[]
  ansible_interfaces: string[]
}

export interface NetworkSections {
  route: string
  addr: string
  links: string
}

export function networkFacts(s: NetworkSections): NetworkFacts {
  const addresses = parseAddresses(s.addr)
  const macs = parseLinks(s.links)
  const interfaces = macs.size ? [...macs.keys()] : [...new Set(addresses.map((a) => a.interface).filter(Boolean))]
  return {
    ansible_default_ipv4: defaultIpv4(parseDefaultRoute(s.route), addresses, macs),
    ansible_all_ipv4_addresses: addresses.map((a) => a.address).filter((a) => !a.startsWith('127.')),
    ansible_interfaces: interfaces.sort(),
  }
}

/** `default via 10.0.0.1 dev eth0 ...` (first line wins: ip lists the best metric first), or /proc/net/route. */
export function parseDefaultRoute(text: string): { gateway: string; interface: string } | undefined {
  const lines = text.split('\n')
  if (lines[0]?.trim() === '#proc') {
    for (const line of lines.slice(2)) {
      const [iface, destination, gateway, , , , , mask] = line.trim().split(/\s+/)
      if (iface && destination === '00000000' && mask === '00000000' && gateway) {
        return { interface: iface, gateway: hexToIpv4(gateway) }
      }
    }
    return undefined
  }
  for (const line of lines) {
    const words = line.trim().split(/\s+/)
    if (words[0] !== 'default') continue
    const at = (key: string): string => {
      const i = words.indexOf(key)
      return i >= 0 ? (words[i + 1] ?? '') : ''
    }
    return { gateway: at('via'), interface: at('dev') }
  }
  return undefined
}

/** `2: eth0    inet 10.0.0.5/24 brd 10.0.0.255 scope global eth0 ...`, or a bare address list. */
export function parseAddresses(text: string): Ipv4Address[] {
  const lines = text.split('\n')
  if (lines[0]?.trim() === '#hostname') {
    return lines
      .slice(1)
      .join(' ')
      .split(/\s+/)
      .filter((a) => /^\d+\.\d+\.\d+\.\d+$/.test(a))
      .map((address) => ({ interface: '', address, prefix: '', broadcast: '' }))
  }
  const out: Ipv4Address[] = []
  for (const line of lines) {
    const m = /^\d+:\s+(\S+?)(?:@\S+)?\s+inet\s+(\d+\.\d+\.\d+\.\d+)(?:\/(\d+))?(?:\s+brd\s+(\S+))?/.exec(line.trim())
    if (!m || m[1] === undefined || m[2] === undefined) continue
    out.push({ interface: m[1], address: m[2], prefix: m[3] ?? '', broadcast: m[4] ?? '' })
  }
  return out
}

/** `eth0 02:42:ac:11:00:02` per line (from /sys/class/net). */
export function parseLinks(text: string): Map<string, string> {
  const macs = new Map<string, string>()
  for (const line of text.split('\n')) {
    const [name, mac] = line.trim().split(/\s+/)
    if (name) macs.set(name, mac ?? '')
  }
  return macs
}

function defaultIpv4(
  route: { gateway: string; interface: string } | undefined,
  addresses: readonly Ipv4Address[],
  macs: ReadonlyMap<string, string>,
): Partial<DefaultIpv4> {
  if (!route) return {}
  const onIface = addresses.filter((a) => a.interface === route.interface)
  const candidates = onIface.length ? onIface : addresses.filter((a) => !a.address.startsWith('127.'))
  // Of several addresses, prefer the one whose subnet holds the gateway (the one the route uses).
  const chosen = candidates.find((a) => a.prefix && route.gateway && sameSubnet(a.address, route.gateway, Number(a.prefix))) ?? candidates[0]
  const facts: Partial<DefaultIpv4> = { interface: route.interface, gateway: route.gateway, macaddress: macs.get(route.interface) ?? '' }
  if (!chosen) return facts
  facts.address = chosen.address
  if (chosen.prefix) {
    const prefix = Number(chosen.prefix)
    facts.prefix = chosen.prefix
    facts.netmask = intToIpv4(maskOf(prefix))
    facts.network = intToIpv4((ipv4ToInt(chosen.address) & maskOf(prefix)) >>> 0)
    facts.broadcast = chosen.broadcast || intToIpv4((ipv4ToInt(chosen.address) | ~maskOf(prefix)) >>> 0)
  }
  return facts
}

function maskOf(prefix: number): number {
  return prefix <= 0 ? 0 : (0xffffffff << (32 - Math.min(prefix, 32))) >>> 0
}

function sameSubnet(a: string, b: string, prefix: number): boolean {
  return ((ipv4ToInt(a) ^ ipv4ToInt(b)) & maskOf(prefix)) >>> 0 === 0
}

function ipv4ToInt(address: string): number {
  return address.split('.').reduce((n, part) => ((n << 8) | (Number(part) & 255)) >>> 0, 0)
}

function intToIpv4(n: number): string {
  return [24, 16, 8, 0].map((shift) => (n >>> shift) & 255).join('.')
}

/** /proc/net/route stores addresses as little-endian hex: 010200C0 is 192.0.2.1. */
function hexToIpv4(hex: string): string {
  const n = Number.parseInt(hex, 16)
  return [0, 8, 16, 24].map((shift) => (n >>> shift) & 255).join('.')
}
