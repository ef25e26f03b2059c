/** How `lab up` picks a lab's subnet and addresses when the inventory gives host names only. */
import { describe, expect, it } from 'vitest'
import { allocate, type AllocationInput } from '../../engine/lab/allocate.js'
import { parseSubnet, type Subnet } from '../../engine/lab/net.js'

const net = (cidr: string): Subnet => parseSubnet(cidr) as Subnet
const base = (hosts: AllocationInput['hosts'], more: Partial<AllocationInput> = {}): AllocationInput => ({ network: 'lab', others: [], hosts, ...more })
const addresses = (input: AllocationInput): Record<string, string> => Object.fromEntries(allocate(input).addresses)

describe('a lab from bare host names', () => {
  it('takes the first free /24 above the hand-set range and numbers hosts from .11', () => {
    const r = allocate(base([{ name: 'hold1' }, { name: 'hold2' }]))
    expect(r.subnet.cidr).toBe('198.18.32.0/24')
    expect(r.gateway).toBe('198.18.32.1')
    expect(Object.fromEntries(r.addresses)).toEqual({ hold1: '198.18.32.11', hold2: '198.18.32.12' })
  })

  it('skips subnets that other docker networks (other labs) use, overlapping ones too', () => {
    const others = [{ name: 'other-lab', subnet: net('198.18.32.0/24') }, { name: 'wide', subnet: net('198.18.33.0/24') }, { name: 'wider', subnet: net('198.18.34.0/23') }]
    expect(allocate(base([{ name: 'a' }], { others })).subnet.cidr).toBe('198.18.36.0/24')
  })

  it('keeps the subnet and addresses of the last lab up, whatever order the hosts come in now', () => {
    const previous = { subnet: '198.18.40.0/24', hosts: [{ name: 'b', address: '198.18.40.11' }, { name: 'a', address: '198.18.40.12' }] }
    expect(addresses(base([{ name: 'a' }, { name: 'b' }, { name: 'c' }], { previous }))).toEqual({ a: '198.18.40.12', b: '198.18.40.11', c: '198.18.40.13' })
  })

  it('uses the subnet of the lab network that exists already', () => {
    expect(allocate(base([{ name: 'a' }], { current: net('198.18.50.0/24') })).subnet.cidr).toBe('198.18.50.0/24')
  })

  it("keeps the addresses the inventory gives, in their /24, and fills in the rest around them", () => {
    const r = allocate(base([{ name: 'a', address: '198.18.7.11' }, { name: 'b' }]))
    expect(r.subnet.cidr).toBe('198.18.7.0/24')
    expect(Object.fromEntries(r.addresses)).toEqual({ a: '198.18.7.11', b: '198.18.7.12' })
  })

  it('gives a lab address to a host whose ansible_host is elsewhere (a production inventory)', () => {
    expect(addresses(base([{ name: 'db1', address: '10.0.0.5' }, { name: 'db2', address: '10.0.1.5' }]))).toEqual({ db1: '198.18.32.11', db2: '198.18.32.12' })
  })

  it('leaves .100-.199 free for virtual addresses', () => {
    const hosts = Array.from({ length: 95 }, (_, i) => ({ name: `h${i}` }))
    const got = Object.values(addresses(base(hosts)))
    expect(got).toContain('198.18.32.99')
    expect(got).toContain('198.18.32.200')
    expect(got.some((a) => /\.1\d\d$/.test(a))).toBe(false)
  })
})

describe('a lab whose inventory sets lab_subnet', () => {
  const subnet = net('198.18.5.0/24')
  it('assigns addresses to hosts that have none', () => {
    expect(addresses(base([{ name: 'a', address: '198.18.5.11' }, { name: 'b' }], { subnet }))).toEqual({ a: '198.18.5.11', b: '198.18.5.12' })
  })

  it.each([
    ['an address outside the subnet', [{ name: 'web1', address: '10.1.2.3' }], {}, /ansible_host=10\.1\.2\.3, which is not a host address of lab_subnet 198\.18\.5\.0\/24/],
    ['the gateway address', [{ name: 'web1', address: '198.18.5.1' }], {}, /nor its gateway 198\.18\.5\.1/],
    ['two hosts at one address', [{ name: 'a', address: '198.18.5.9' }, { name: 'b', address: '198.18.5.9' }], {}, /'a' and 'b' have the same address/],
    ['a subnet another network uses', [{ name: 'a' }], { others: [{ name: 'bridge', subnet: net('198.18.0.0/16') }] }, /overlaps docker network bridge \(198\.18\.0\.0\/16\)/],
    ['a network that exists with another subnet', [{ name: 'a' }], { current: net('198.18.6.0/24') }, /exists with subnet 198\.18\.6\.0\/24, but the inventory says 198\.18\.5\.0\/24/],
  ])('refuses %s', (_what, hosts, more, message) => {
    expect(() => allocate(base(hosts, { subnet, ...more }))).toThrow(message)
  })
})
