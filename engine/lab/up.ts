/**
 * `tsplay lab up`: one running lab host per inventory host, reachable over SSH with the lab key
 * and a known host key. Idempotent: hosts that are up are kept, missing or changed ones remade.
 */
import { readFileSync } from 'node:fs'
import PQueue from 'p-queue'
import { allocate } from './allocate.js'
import { loadLabSpec, type LabConfig, type LabHost, type LabSpec } from './config.js'
import { containersLabelled, requireDocker } from './docker.js'
import { bringUp, LABEL_LAB, prepareHost, removeContainer, waitBooted, waitSsh, type HostAction } from './host.js'
import { ensureImage, type Log } from './image.js'
import { withLock } from './lock.js'
import { ensureNetwork, surveyNetworks } from './network.js'
import { APT_CACHE_PORT, ensureAptCache } from './apt-cache/daemon.js'
import { cacheReachableFrom, proxyConf } from './proxy.js'
import { mirrorHosts } from './rootfs.js'
import { ensureKey, labFiles, prepareStateDir, readState, writeState, writeVaultPassword, type HostRecord, type LabFiles } from './state.js'

export interface UpOptions {
  /** The one inventory (folder or file) describing the lab. */
  source: string
  log: Log
  /** Build the image again even if it exists. */
  rebuild?: boolean
  /** A host pattern: those hosts are replaced by new ones whatever their state (Molecule's destroy + create). */
  fresh?: string
}

export interface UpHost {
  name: string
  address: string
  container: string
  action: HostAction
}

export interface UpResult {
  config: LabConfig
  files: LabFiles
  image: string
  hosts: UpHost[]
  /** Containers of this lab whose host left the inventory. */
  removed: string[]
  aptProxy?: string
  warnings: string[]
  seconds: number
}

/** Hosts started at once: docker and systemd boots share 2 cores on our machines. */
const PARALLEL = 6
/** Held while a lab chooses its subnet and creates its network, so two labs never pick the same one. */
const NETWORKS_LOCK = '/var/tmp/tsplay-lab-networks.lock'

export async function labUp(options: UpOptions): Promise<UpResult> {
  const started = Date.now()
  await requireDocker()
  const spec = await loadLabSpec(options.source)
  const files = labFiles(spec.stateDir)
  prepareStateDir(files)
  return withLock(files.lock, `lab ${spec.network}`, async () => {
    const warnings: string[] = []
    const image = await ensureImage(options.log, options.rebuild)
    const publicKey = await ensureKey(files, spec.network)
    writeVaultPassword(files)
    const { config, networkId } = await withLock(NETWORKS_LOCK, 'the lab networks', async () => {
      const decided = await decide(spec, files)
      return { config: decided, networkId: await ensureNetwork(decided) }
    })
    const removed = await removeStrays(config)
    warnings.push(...inotifyWarning(config))

    const queue = new PQueue({ concurrency: PARALLEL })
    const fresh = new Set(options.fresh ? config.inventory.select(options.fresh) : [])
    const booted = await Promise.all(
      config.hosts.map((host) =>
        queue.add(async () => {
          const action = await bringUp(host, config, image, fresh.has(host.name))
          const boot = await waitBooted(host)
          if (boot.failedUnits.length) warnings.push(`host ${host.name}: failed units: ${boot.failedUnits.join(', ')}`)
          return { host, action, hostKey: boot.hostKey }
        }),
      ),
    )

    const aptProxy = await chooseProxy(config, booted[0]?.host, warnings)
    await Promise.all(booted.map(({ host }) => queue.add(() => prepareHost(host, publicKey, aptProxy ? proxyConf(config.gateway, mirrorHosts()) : undefined))))
    await Promise.all(booted.map(({ host }) => waitSsh(host)))

    const records: HostRecord[] = booted.map(({ host, hostKey }) => ({ name: host.name, container: host.container, address: host.address, hostKey }))
    writeState(files, {
      source: config.source,
      network: config.network,
      networkId,
      subnet: config.subnet.cidr,
      gateway: config.gateway,
      image,
      ...(aptProxy ? { aptProxy } : {}),
      hosts: records,
    }, config.inventory)
    return {
      config,
      files,
      image,
      hosts: booted.map(({ host, action }) => ({ name: host.name, address: host.address, container: host.container, action })),
      removed,
      ...(aptProxy ? { aptProxy } : {}),
      warnings,
      seconds: (Date.now() - started) / 1000,
    }
  })
}

/** The subnet and addresses: the inventory's where it gives them, else those of the last `lab up`, else free ones. */
async function decide(spec: LabSpec, files: LabFiles): Promise<LabConfig> {
  const { current, others } = await surveyNetworks(spec.network)
  const previous = readState(files)
  const { subnet, gateway, addresses } = allocate({
    network: spec.network,
    ...(spec.subnet ? { subnet: spec.subnet } : {}),
    ...(current ? { current } : {}),
    ...(previous ? { previous } : {}),
    others,
    hosts: spec.hosts,
  })
  const hosts = spec.hosts.map((h): LabHost => ({ ...h, address: addresses.get(h.name) ?? '' }))
  return { ...spec, subnet, gateway, hosts }
}

/** Containers labelled with this lab whose host is no longer in the inventory. */
async function removeStrays(config: LabConfig): Promise<string[]> {
  const wanted = new Set(config.hosts.map((h) => h.container))
  const strays = (await containersLabelled(LABEL_LAB, config.network)).filter((c) => !wanted.has(c))
  for (const c of strays) await removeContainer(c)
  return strays
}

/** The cache URL hosts use: the machine's apt cache (started if need be), when the hosts can reach it. */
async function chooseProxy(config: LabConfig, probe: LabHost | undefined, warnings: string[]): Promise<string | undefined> {
  const cache = await ensureAptCache(mirrorHosts())
  if (!cache.ok) {
    warnings.push(`no apt cache: ${cache.why}; every host downloads its own packages`)
    return undefined
  }
  if (probe && !(await cacheReachableFrom(probe.container, config.gateway))) {
    warnings.push(`the apt cache on port ${APT_CACHE_PORT} does not answer at ${config.gateway} (the lab's gateway; a firewall?); lab hosts download their own packages`)
    return undefined
  }
  return `http://${config.gateway}:${APT_CACHE_PORT}`
}

/** Each systemd host takes inotify instances; past the machine's limit later hosts fail to boot. */
function inotifyWarning(config: LabConfig): string[] {
  let limit = 0
  try {
    limit = Number(readFileSync('/proc/sys/fs/inotify/max_user_instances', 'utf8').trim())
  } catch {
    return []
  }
  if (limit >= 1024 || config.hosts.length * 5 < limit) return []
  return [`fs.inotify.max_user_instances is ${limit}: systemd in lab hosts may fail with "Failed to allocate inotify fd" past about ${Math.floor(limit / 5)} hosts on this machine; raise it with: sysctl -w fs.inotify.max_user_instances=8192`]
}
