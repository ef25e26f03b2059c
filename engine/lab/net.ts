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
