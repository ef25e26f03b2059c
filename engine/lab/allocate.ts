/**
 * Choosing a lab's subnet and its hosts' addresses, where the inventory does not give them.
 * Pure: `lab up` gathers what docker has and what the last `lab up` recorded, and asks here.
 * Stable: a host keeps the address it had, so known_hosts and a person's notes stay right.
 */
import { LabError } from './errors.js'
import { contains, formatIpv4, gatewayOf, hostAddresses, isHostAddress, overlaps, parseSubnet, type Subnet } from './net.js'

/** Subnets a lab takes when its inventory names none: 198.18.0.0/15 is reserved for benchmarks, so it clashes with no real network. 198.18.0-31 and 198.19.x are left to inventories that set lab_subnet (bench/ uses 198.19.N). */
const AUTO_FIRST = parseSubnet('198.18.32.0/24') as Subnet
const AUTO_LAST = parseSubnet('198.18.255.0/24') as Subnet

export interface OtherNetwork {
  name: string
  subnet: Subnet
}

export interface AllocationInput {
  network: string
  /** The inventory's lab_subnet. */
  subnet?: Subnet
  /** The subnet of the lab's docker network, when it exists already. */
  current?: Subnet
  /** What the last `lab up` recorded. */
  previous?: { subnet: string; hosts: { name: string; address: string }[] }
  /** Every other docker network on the machine. */
  others: OtherNetwork[]
  hosts: { name: string; address?: string }[]
}

export interface Allocation {
  subnet: Subnet
  gateway: string
  addresses: Map<string, string>
}

export function allocate(input: AllocationInput): Allocation {
  const subnet = chooseSubnet(input)
  return { subnet, gateway: gatewayOf(subnet), addresses: chooseAddresses(input, subnet) }
}

function chooseSubnet(input: AllocationInput): Subnet {
  const { subnet, current, network } = input
  if (subnet) {
    if (current && current.cidr !== subnet.cidr) {
      throw new LabError(`docker network ${network} exists with subnet ${current.cidr}, but the inventory says ${subnet.cidr}: run \`tsplay lab down\` with the old inventory first, or choose another lab_network`)
    }
    const clash = input.others.find((o) => overlaps(o.subnet, subnet))
    if (clash && !current) throw new LabError(`lab_subnet ${subnet.cidr} overlaps docker network ${clash.name} (${clash.subnet.cidr}): choose another lab_subnet, or leave it out and lab up picks a free one`)
    return subnet
  }
  if (current) return current
  const free = (s: Subnet): boolean => !input.others.some((o) => overlaps(o.subnet, s))
  for (const candidate of preferred(input)) if (free(candidate)) return candidate
  for (let n = AUTO_FIRST.network; n <= AUTO_LAST.network; n += 256) {
    const candidate = parseSubnet(`${formatIpv4(n)}/24`) as Subnet
    if (free(candidate)) return candidate
  }
  throw new LabError(`no free /24 left in 198.18.32.0-198.18.255.255 for the lab ${network}: set lab_subnet in the inventory`)
}

/** The last subnet this lab had; else the /24 holding every address the inventory gives, if they share one. */
function* preferred(input: AllocationInput): Generator<Subnet> {
  const last = input.previous && parseSubnet(input.previous.subnet)
  if (last) yield last
  const given = input.hosts.flatMap((h) => (h.address ? [h.address] : []))
  const first = given[0] && parseSubnet(`${given[0]}/24`)
  if (first && given.every((a) => contains(first, a)) && given.every((a) => isHostAddress(first, a))) yield first
}

function chooseAddresses(input: AllocationInput, subnet: Subnet): Map<string, string> {
  const out = new Map<string, string>()
  const owner = new Map<string, string>()
  const take = (name: string, address: string): void => {
    out.set(name, address)
    owner.set(address, name)
  }
  // First what the inventory gives: with a lab_subnet it must fit; without, an address elsewhere
  // (a production inventory's) is not the lab's and the host gets one of the lab's own.
  for (const h of input.hosts) {
    if (!h.address) continue
    if (!isHostAddress(subnet, h.address)) {
      if (input.subnet) throw new LabError(`lab host '${h.name}' has ansible_host=${h.address}, which is not a host address of lab_subnet ${subnet.cidr} (nor its gateway ${gatewayOf(subnet)}): fix one of them, or leave ansible_host out and lab up picks one`)
      continue
    }
    const other = owner.get(h.address)
    if (other) throw new LabError(`lab hosts '${other}' and '${h.name}' have the same address ${h.address}`)
    take(h.name, h.address)
  }
  const before = new Map((input.previous?.hosts ?? []).map((h) => [h.name, h.address]))
  for (const h of input.hosts) {
    if (out.has(h.name)) continue
    const last = before.get(h.name)
    if (last && isHostAddress(subnet, last) && !owner.has(last)) take(h.name, last)
  }
  const free = hostAddresses(subnet)
  for (const h of input.hosts) {
    if (out.has(h.name)) continue
    let next = free.next()
    while (!next.done && owner.has(next.value)) next = free.next()
    if (next.done) throw new LabError(`the lab subnet ${subnet.cidr} has no address left for host '${h.name}'`)
    take(h.name, next.value)
  }
  return out
}
