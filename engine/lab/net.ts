/** IPv4 arithmetic for the lab network: a subnet, its gateway, and whether a host's address fits in it. */

export interface Subnet {
  /** Normalised: 198.18.0.0/24 */
  cidr: string
  network: number
  prefix: number
}

export function parseIpv4(text: string): number | undefined {
  const parts = text.split('.')
  if (parts.length !== 4) return undefined
  let n = 0
  for (const p of parts) {
    if (!/^\d{1,3}$/.test(p) || Number(p) > 255) return undefined
    n = n * 256 + Number(p)
  }
  return n
}

export function formatIpv4(n: number): string {
  return [24, 16, 8, 0].map((shift) => Math.floor(n / 2 ** shift) % 256).join('.')
}

export function parseSubnet(cidr: string): Subnet | undefined {
  const [addr, bits] = cidr.split('/')
  const base = addr === undefined ? undefined : parseIpv4(addr)
  const prefix = Number(bits)
  if (base === undefined || !Number.isInteger(prefix) || prefix < 8 || prefix > 30) return undefined
  const size = 2 ** (32 - prefix)
  const network = base - (base % size)
  // Normalised as docker reports it, so an existing network's subnet compares equal.
  return { cidr: `${formatIpv4(network)}/${prefix}`, network, prefix }
}

function size(subnet: Subnet): number {
  return 2 ** (32 - subnet.prefix)
}

/** Docker's default gateway for a subnet: its first address. */
export function gatewayOf(subnet: Subnet): string {
  return formatIpv4(subnet.network + 1)
}

/** A usable host address of the subnet: not the network, gateway or broadcast address. */
export function isHostAddress(subnet: Subnet, address: string): boolean {
  const n = parseIpv4(address)
  if (n === undefined) return false
  return n > subnet.network + 1 && n < subnet.network + size(subnet) - 1
}

/** Whether two subnets share any address. */
export function overlaps(a: Subnet, b: Subnet): boolean {
  return a.network < b.network + size(b) && b.network < a.network + size(a)
}

export function contains(subnet: Subnet, address: string): boolean {
  const n = parseIpv4(address)
  return n !== undefined && n >= subnet.network && n < subnet.network + size(subnet)
}

/** Host addresses in the order `lab up` hands them out: from .11, leaving .100-.199 for virtual addresses (keepalived's VIPs). */
export function* hostAddresses(subnet: Subnet): Generator<string> {
  for (let n = subnet.network + 11; n < subnet.network + size(subnet) - 1; n++) {
    const last = n % 256
    if (last >= 100 && last <= 199) continue
    if (last === 0 || last === 255) continue
    yield formatIpv4(n)
  }
}
