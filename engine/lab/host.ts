/**
 * One lab host: a container with systemd as PID 1 and sshd, its own hostname and fixed address.
 * The run options are LAB-NOTES' measured set (`--privileged` is refused on our machines).
 */
import { createHash } from 'node:crypto'
import { setTimeout as sleep } from 'node:timers/promises'
import { sh } from '../quote.js'
import type { LabConfig, LabHost } from './config.js'
import { docker, dockerExec, inspectContainer } from './docker.js'
import { LabError } from './errors.js'
import { PROXY_CONF } from './proxy.js'
import { tcpOpen } from './tcp.js'

export const LABEL_LAB = 'tsplay.lab'
export const LABEL_HOST = 'tsplay.host'
export const LABEL_CONFIG = 'tsplay.config'

/** How a host came to be up after `lab up`. */
export type HostAction = 'created' | 'replaced' | 'started' | 'resumed' | 'reused'

/** Everything that defines the container; its hash (a label) tells `lab up` when to replace one. */
function containerArgs(host: LabHost, config: LabConfig, image: string): string[] {
  const short = host.name.split('.')[0] ?? host.name
  return [
    '--hostname', host.name,
    '--network', config.network, '--ip', host.address,
    // Hosts find each other by inventory name, as on a real network with DNS.
    '--network-alias', host.name, ...(short !== host.name ? ['--network-alias', short] : []),
    '--cap-add', 'SYS_ADMIN', '--cap-add', 'NET_ADMIN',
    '--security-opt', 'seccomp=unconfined', '--security-opt', 'apparmor=unconfined',
    // Makes /proc/sys writable: net.* sysctls are per host (vm.*, kernel.*, fs.* are the machine's).
    '--security-opt', 'systempaths=unconfined',
    '-v', '/sys/fs/cgroup:/sys/fs/cgroup:ro', '--tmpfs', '/run', '--tmpfs', '/run/lock',
    // systemd's own "halt" signal: `docker stop` then shuts the host down cleanly.
    '--stop-signal', 'SIGRTMIN+3',
    // docker inside a container cannot put overlay2 on overlay2; on a volume it can.
    ...(host.docker ? ['-v', '/var/lib/docker'] : []),
    ...(host.fuse ? ['--device', '/dev/fuse'] : []),
    image,
    '/sbin/init',
  ]
}

export function configHash(host: LabHost, config: LabConfig, image: string): string {
  return createHash('sha256').update(JSON.stringify(containerArgs(host, config, image))).digest('hex').slice(0, 16)
}

async function create(host: LabHost, config: LabConfig, image: string): Promise<void> {
  const labels = [
    '--label', `${LABEL_LAB}=${config.network}`,
    '--label', `${LABEL_HOST}=${host.name}`,
    '--label', `${LABEL_CONFIG}=${configHash(host, config, image)}`,
    '--label', `tsplay.inventory=${config.source}`,
  ]
  await docker(['run', '-d', '--name', host.container, ...labels, ...containerArgs(host, config, image)])
}

async function remove(container: string): Promise<void> {
  // -v: a lab_docker host's /var/lib/docker volume goes with it.
  await docker(['rm', '-f', '-v', container], { allowFail: true })
}

/** Makes the container exist and run as the inventory says; `fresh` replaces it whatever its state. */
export async function bringUp(host: LabHost, config: LabConfig, image: string, fresh: boolean): Promise<HostAction> {
  const info = await inspectContainer(host.container, config.network)
  const wanted = configHash(host, config, image)
  if (!info) {
    await create(host, config, image)
    return 'created'
  }
  if (fresh || info.labels[LABEL_CONFIG] !== wanted) {
    await remove(host.container)
    await create(host, config, image)
    return 'replaced'
  }
  if (info.paused) {
    await docker(['unpause', host.container])
    return 'resumed'
  }
  if (info.running) return 'reused'
  const started = await docker(['start', host.container], { allowFail: true })
  if (started.code === 0) return 'started'
  await remove(host.container)
  await create(host, config, image)
  return 'replaced'
}

/**
 * Waits until systemd has finished booting and sshd runs, then returns the host's ed25519 key as
 * it generated it, read through docker exec: the channel we trust, unlike a key offered over the network.
 */
export async function waitBooted(host: LabHost, timeoutMs = 90_000): Promise<{ hostKey: string; failedUnits: string[] }> {
  const deadline = Date.now() + timeoutMs
  let last = ''
  while (Date.now() < deadline) {
    // Right after start systemd has no bus yet and systemctl fails at once: try again shortly.
    const r = await dockerExec(host.container, sh`timeout 60 systemctl is-system-running --wait`, { allowFail: true })
    last = (r.stdout.trim() || r.stderr.trim()).split('\n').pop() ?? ''
    if (last === 'running' || last === 'degraded') break
    await sleep(250)
  }
  if (last !== 'running' && last !== 'degraded') throw new LabError(`lab host ${host.name} did not finish booting in ${timeoutMs / 1000} s (systemd says '${last}'); see: docker logs ${host.container}`)
  const probe = sh`systemctl is-active ssh >/dev/null && cat /etc/ssh/ssh_host_ed25519_key.pub; echo; systemctl --failed --no-legend --plain | cut -d' ' -f1`
  const r = await dockerExec(host.container, probe, { allowFail: true })
  const [keyLine = '', ...failed] = r.stdout.split('\n')
  const words = keyLine.trim().split(/\s+/)
  if (words[0] !== 'ssh-ed25519' || !words[1]) throw new LabError(`lab host ${host.name}: sshd is not running or has no ed25519 host key (${r.stderr.trim() || keyLine})`)
  return { hostKey: `${words[0]} ${words[1]}`, failedUnits: failed.map((f) => f.trim()).filter(Boolean) }
}

/** Lets the lab key in (added once, other keys kept) and points apt at the shared proxy, or at nothing. */
export async function prepareHost(host: LabHost, publicKey: string, aptProxy: string | undefined): Promise<void> {
  const keys = '/root/.ssh/authorized_keys'
  const key = sh`mkdir -p -m 700 /root/.ssh && touch ${keys} && chmod 600 ${keys} && { grep -qxF ${publicKey} ${keys} || printf '%s\n' ${publicKey} >> ${keys}; }`
  const proxy = aptProxy ? sh`printf '%s' ${aptProxy} > ${PROXY_CONF} && chmod 644 ${PROXY_CONF}` : sh`rm -f ${PROXY_CONF}`
  await dockerExec(host.container, sh`${key} && ${proxy}`)
}

/** sshd answers on the host's address from the controller (the path `tsplay run` takes). */
export async function waitSsh(host: LabHost, timeoutMs = 30_000): Promise<void> {
  const deadline = Date.now() + timeoutMs
  while (Date.now() < deadline) {
    if (await tcpOpen(host.address, 22, 2_000)) return
    await sleep(250)
  }
  throw new LabError(`lab host ${host.name}: nothing answers on ${host.address}:22 from this machine`)
}

export { remove as removeContainer }
