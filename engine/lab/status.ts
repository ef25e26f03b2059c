/** `tsplay lab status`: each host's container state, address and whether sshd answers, from docker itself. */
import { loadLabSpec } from './config.js'
import { inspectContainer, requireDocker } from './docker.js'
import { imageExists, imageTag } from './image.js'
import { networkSubnet } from './network.js'
import { tcpOpen } from './tcp.js'
import { labFiles, readState } from './state.js'

export interface HostStatus {
  name: string
  address: string
  container: string
  /** docker's state (running, paused, exited, ...) or 'absent'. */
  state: string
  /** sshd accepts connections on the address. */
  ssh: boolean
  /** The host's key is in the lab's known_hosts. */
  known: boolean
}

export interface LabStatus {
  network: string
  subnet: string
  networkUp: boolean
  image: string
  imageBuilt: boolean
  stateDir: string
  aptProxy?: string
  hosts: HostStatus[]
}

export async function labStatus(source: string): Promise<LabStatus> {
  await requireDocker()
  const config = await loadLabSpec(source)
  const files = labFiles(config.stateDir)
  const state = readState(files)
  const recorded = new Map(state?.hosts.map((h) => [h.name, h.address]) ?? [])
  const image = imageTag()
  const hosts = await Promise.all(
    config.hosts.map(async (h): Promise<HostStatus> => {
      const info = await inspectContainer(h.container, config.network)
      const stateText = !info ? 'absent' : info.paused ? 'paused' : info.status
      const address = info?.address ?? recorded.get(h.name) ?? h.address ?? '-'
      const ssh = stateText === 'running' && address !== '-' ? await tcpOpen(address, 22, 1_000) : false
      return { name: h.name, address, container: h.container, state: stateText, ssh, known: recorded.has(h.name) }
    }),
  )
  return {
    network: config.network,
    subnet: state?.subnet ?? config.subnet?.cidr ?? '(chosen at lab up)',
    networkUp: (await networkSubnet(config.network)) !== null,
    image,
    imageBuilt: await imageExists(image),
    stateDir: config.stateDir,
    ...(state?.aptProxy ? { aptProxy: state.aptProxy } : {}),
    hosts,
  }
}

export function formatStatus(s: LabStatus): string {
  const lines = [
    `lab ${s.network} (${s.subnet}): network ${s.networkUp ? 'up' : 'absent'}; image ${s.image} ${s.imageBuilt ? 'built' : 'not built'}`,
    `apt cache: ${s.aptProxy ?? 'none'}; state: ${s.stateDir}`,
  ]
  const width = Math.max(4, ...s.hosts.map((h) => h.name.length))
  lines.push(`${'HOST'.padEnd(width)}  ${'ADDRESS'.padEnd(15)}  ${'STATE'.padEnd(10)}  SSH`)
  for (const h of s.hosts) {
    const ssh = h.ssh ? (h.known ? 'yes' : 'yes (key not recorded: run lab up)') : 'no'
    lines.push(`${h.name.padEnd(width)}  ${h.address.padEnd(15)}  ${h.state.padEnd(10)}  ${ssh}`)
  }
  const up = s.hosts.filter((h) => h.state === 'running' && h.ssh).length
  lines.push(`${up} of ${s.hosts.length} hosts up`)
  return lines.join('\n') + '\n'
}
