/**
 * `tsplay lab up`: one running lab host per inventory host, reachable over SSH with the lab key
 * and a known host key. Idempotent: hosts that are up are kept, missing or changed ones remade.
 */
import { readFileSync } from 'node:fs'
import PQueue from 'p-queue'
import { loadLabConfig, wiringWarnings, type LabConfig, type LabHost } from './config.js'
import { containersLabelled, requireDocker } from './docker.js'
import { bringUp, LABEL_LAB, prepareHost, removeContainer, waitBooted, waitSsh, type HostAction } from './host.js'
import { ensureImage, type Log } from './image.js'
import { withLock } from './lock.js'
import { ensureNetwork } from './network.js'
import { proxyConf, proxyReachableFrom, proxyRunning, PROXY_PORT } from './proxy.js'
import { ensureKey, labFiles, prepareStateDir, writeState, type HostRecord, type LabFiles } from './state.js'

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

export async function labUp(options: UpOptions): Promise<UpResult> {
  const started = Date.now()
  await requireDocker()
  const config = await loadLabConfig(options.source)
  const files = labFiles(config.stateDir)
  prepareStateDir(files)
  return withLock(files.lock, `lab ${config.network}`, async () => {
    const warnings = wiringWarnings(config, files.key, files.knownHosts)
    const image = await ensureImage(options.log, options.rebuild)
    const publicKey = await ensureKey(files, config.network)
    await ensureNetwork(config)
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
    await Promise.all(booted.map(({ host }) => queue.add(() => prepareHost(host, publicKey, aptProxy ? proxyConf(config.gateway) : undefined))))
    await Promise.all(booted.map(({ host }) => waitSsh(host)))

    const records: HostRecord[] = booted.map(({ host, hostKey }) => ({ name: host.name, container: host.container, address: host.address, hostKey }))
    writeState(files, config, {
      network: config.network,
      subnet: config.subnet.cidr,
      gateway: config.gateway,
      image,
      ...(aptProxy ? { aptProxy } : {}),
      hosts: records,
    })
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

/** Containers labelled with this lab whose host is no longer in the inventory. */
async function removeStrays(config: LabConfig): Promise<string[]> {
  const wanted = new Set(config.hosts.map((h) => h.container))
  const strays = (await containersLabelled(LABEL_LAB, config.network)).filter((c) => !wanted.has(c))
  for (const c of strays) await removeContainer(c)
  return strays
}

/** The proxy URL hosts use, when apt-cacher-ng runs here and the hosts can reach it. */
async function chooseProxy(config: LabConfig, probe: LabHost | undefined, warnings: string[]): Promise<string | undefined> {
  const url = `http://${config.gateway}:${PROXY_PORT}`
  if (!(await proxyRunning())) {
    warnings.push(`no apt cache answers on port ${PROXY_PORT} here: every host downloads its own packages (apt-get install apt-cacher-ng, or bash scripts/setup.sh)`)
    return undefined
  }
  if (probe && !(await proxyReachableFrom(probe.container, config.gateway))) {
    warnings.push(`the apt cache on port ${PROXY_PORT} does not answer at ${config.gateway} (the lab's gateway); lab hosts download their own packages. Let apt-cacher-ng listen on all addresses (BindAddress)`)
    return undefined
  }
  return url
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
