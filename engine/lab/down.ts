/** `tsplay lab down`: removes a lab's hosts (with their volumes) and its network; the image stays for next time. */
import { docker, containersLabelled, requireDocker } from './docker.js'
import { loadLabSpec } from './config.js'
import { LABEL_LAB, removeContainer } from './host.js'
import { withLock } from './lock.js'
import { removeNetwork } from './network.js'
import { clearState, labFiles } from './state.js'

export interface DownResult {
  networks: string[]
  containers: string[]
}

/** Only containers labelled as this lab's go: one that merely has a host's name was not made by us. */
export async function labDown(source: string): Promise<DownResult> {
  await requireDocker()
  const config = await loadLabSpec(source)
  const files = labFiles(config.stateDir)
  return withLock(files.lock, `lab ${config.network}`, async () => {
    const containers = await containersLabelled(LABEL_LAB, config.network)
    for (const c of containers) await removeContainer(c)
    const removed = await removeNetwork(config.network)
    clearState(files)
    return { networks: removed ? [config.network] : [], containers }
  })
}

/**
 * Every lab on this machine (any container or network labelled by tsplay), whatever inventory made
 * it: a way out when an inventory is gone or was changed before its lab was taken down.
 */
export async function labDownAll(): Promise<DownResult> {
  await requireDocker()
  const r = await docker(['network', 'ls', '--filter', `label=${LABEL_LAB}`, '--format', '{{.Name}}'])
  const networks = r.stdout.split('\n').map((l) => l.trim()).filter(Boolean)
  const all = await docker(['ps', '-a', '--filter', `label=${LABEL_LAB}`, '--format', '{{.Names}}'])
  const containers = all.stdout.split('\n').map((l) => l.trim()).filter(Boolean)
  for (const c of containers) await removeContainer(c)
  for (const n of networks) await removeNetwork(n)
  return { networks, containers }
}
