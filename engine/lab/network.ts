/** The lab's own docker network, and the subnets every other docker network takes. */
import type { LabConfig } from './config.js'
import type { OtherNetwork } from './allocate.js'
import { docker } from './docker.js'
import { LabError } from './errors.js'
import { LABEL_LAB } from './host.js'
import { parseSubnet, type Subnet } from './net.js'

interface RawNetwork {
  Name?: string
  IPAM?: { Config?: { Subnet?: string; Gateway?: string }[] | null }
}

/** Each docker network's name and IPv4 subnets. */
async function networks(): Promise<{ name: string; subnets: Subnet[] }[]> {
  const ids = (await docker(['network', 'ls', '-q'])).stdout.split('\n').map((l) => l.trim()).filter(Boolean)
  if (!ids.length) return []
  const r = await docker(['network', 'inspect', ...ids], { allowFail: true })
  const raws = r.code === 0 ? (JSON.parse(r.stdout) as RawNetwork[]) : []
  return raws.map((raw) => ({
    name: raw.Name ?? '',
    subnets: (raw.IPAM?.Config ?? []).flatMap((c) => {
      const s = c.Subnet ? parseSubnet(c.Subnet) : undefined
      return s ? [s] : []
    }),
  }))
}

/** The lab network's subnet if it exists, and every other network's. */
export async function surveyNetworks(own: string): Promise<{ current?: Subnet; others: OtherNetwork[] }> {
  const all = await networks()
  const current = all.find((n) => n.name === own)?.subnets[0]
  const others = all.filter((n) => n.name !== own).flatMap((n) => n.subnets.map((subnet) => ({ name: n.name, subnet })))
  return { ...(current ? { current } : {}), others }
}

export async function networkSubnet(name: string): Promise<string | undefined | null> {
  const r = await docker(['network', 'inspect', name], { allowFail: true })
  if (r.code !== 0) return null
  const [raw] = JSON.parse(r.stdout) as RawNetwork[]
  return raw?.IPAM?.Config?.[0]?.Subnet
}

/** Creates the lab's network unless it exists; returns its docker id. */
export async function ensureNetwork(config: LabConfig): Promise<string> {
  const existing = await docker(['network', 'inspect', '--format', '{{.Id}}', config.network], { allowFail: true })
  if (existing.code === 0) return existing.stdout.trim()
  const created = await docker(['network', 'create', '--driver', 'bridge', '--subnet', config.subnet.cidr, '--gateway', config.gateway, '--label', `${LABEL_LAB}=${config.network}`, config.network]).catch((err: unknown) => {
    const text = err instanceof Error ? err.message : String(err)
    throw new LabError(/overlap/i.test(text) ? `${text}\nanother docker network already uses addresses of ${config.subnet.cidr}: choose another lab_subnet, or remove that network` : text)
  })
  return created.stdout.trim()
}

export async function removeNetwork(name: string): Promise<boolean> {
  return (await docker(['network', 'rm', name], { allowFail: true })).code === 0
}
