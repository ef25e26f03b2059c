/**
 * How lab hosts reach the shared apt cache (apt-cache/): at their network's gateway, for the
 * Debian mirrors of their sources.list only; other repositories a role adds are fetched directly.
 */
import { sh } from '../quote.js'
import { APT_CACHE_PORT } from './apt-cache/daemon.js'
import { dockerExec } from './docker.js'

/** The apt setting a lab host gets; removed again when no cache answers, so apt never waits on one. */
export const PROXY_CONF = '/etc/apt/apt.conf.d/01tsplay-lab-proxy'

/** Can a lab host reach the cache at the gateway? Checked from inside, before hosts are pointed at it. */
export async function cacheReachableFrom(container: string, gateway: string): Promise<boolean> {
  const probe = sh`timeout 3 bash -c ${`exec 3<>/dev/tcp/${gateway}/${APT_CACHE_PORT}`}`
  const r = await dockerExec(container, probe, { allowFail: true })
  return r.code === 0
}

/**
 * The apt.conf lines pointing a host at the cache, per mirror host (apt's `Proxy::HOST` form).
 * Retries cover a mirror that drops a connection; the cache itself never holds a request back.
 */
export function proxyConf(gateway: string, mirrorHosts: readonly string[]): string {
  const lines = mirrorHosts.map((host) => `Acquire::http::Proxy::${host.split(':')[0] ?? host} "http://${gateway}:${APT_CACHE_PORT}";`)
  return [...lines, 'Acquire::http::Timeout "30";', 'Acquire::Retries "3";', ''].join('\n')
}
