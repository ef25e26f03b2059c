/** The lab's own docker network: its subnet is the inventory's, so hosts keep their addresses. */
import type { LabConfig } from './config.js'
import { docker } from './docker.js'
import { LabError } from './errors.js'
import { LABEL_LAB } from './host.js'

interface RawNetwork {
  IPAM?: { Config?: { Subnet?: string; Gateway?: string }[] | null }
}

export async function networkSubnet(name: string): Promise<string | undefined | null> {
  const r = await docker(['network', 'inspect', name], { allowFail: true })
  if (r.code !== 0) return null
  const [raw] = JSON.parse(r.stdout) as RawNetwork[]
  return raw?.IPAM?.Config?.[0]?.Subnet
}

export async function ensureNetwork(config: LabConfig): Promise<'created' | 'exists'> {
  const subnet = await networkSubnet(config.network)
  if (subnet === null) {
    await docker(['network', 'create', '--driver', 'bridge', '--subnet', config.subnet.cidr, '--gateway', config.gateway, '--label', `${LABEL_LAB}=${config.network}`, config.network]).catch((err: unknown) => {
      const text = err instanceof Error ? err.message : String(err)
      throw new LabError(/overlap/i.test(text) ? `${text}\nanother docker network already uses addresses of ${config.subnet.cidr}: choose another lab_subnet, or remove that network` : text)
    })
    return 'created'
  }
  if (subnet !== config.subnet.cidr) {
    throw new LabError(`docker network ${config.network} exists with subnet ${subnet ?? 'none'}, but the inventory says ${config.subnet.cidr}: run \`tsplay lab down\` with the old inventory first, or choose another lab_network`)
  }
  return 'exists'
}

export async function removeNetwork(name: string): Promise<boolean> {
  return (await docker(['network', 'rm', name], { allowFail: true })).code === 0
}
