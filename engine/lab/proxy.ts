/**
 * Shared package downloads: an apt caching proxy (apt-cacher-ng) on the machine, which every lab
 * host reaches at its network's gateway. One download serves all hosts; unlike one shared
 * /var/cache/apt mounted into every host, concurrent installs do not fight over apt's lock.
 */
import { connect } from 'node:net'
import { sh } from '../quote.js'
import { dockerExec } from './docker.js'

export const PROXY_PORT = 3142
/** The apt setting a lab host gets; removed again when no proxy answers, so apt never waits on one. */
export const PROXY_CONF = '/etc/apt/apt.conf.d/01tsplay-lab-proxy'

/** Whether something accepts connections on host:port within the time. */
export function tcpOpen(host: string, port: number, timeoutMs = 2_000): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = connect({ host, port })
    const done = (ok: boolean): void => {
      socket.destroy()
      resolve(ok)
    }
    socket.setTimeout(timeoutMs, () => done(false))
    socket.once('connect', () => done(true))
    socket.once('error', () => done(false))
  })
}

/** Is the proxy running on this machine? */
export function proxyRunning(): Promise<boolean> {
  return tcpOpen('127.0.0.1', PROXY_PORT)
}

/** Can a lab host reach the proxy at the gateway (it may listen on localhost only)? Checked from inside. */
export async function proxyReachableFrom(container: string, gateway: string): Promise<boolean> {
  const probe = sh`timeout 3 bash -c ${`exec 3<>/dev/tcp/${gateway}/${PROXY_PORT}`}`
  const r = await dockerExec(container, probe, { allowFail: true })
  return r.code === 0
}

/**
 * The apt.conf lines pointing a host at the proxy. apt-cacher-ng can stall a client when several
 * hosts ask for the same InRelease at once ("Failure to move file ... File exists" in its log,
 * seen here): a short timeout with retries turns that stall into a retry instead of a hang.
 */
export function proxyConf(gateway: string): string {
  return `Acquire::http::Proxy "http://${gateway}:${PROXY_PORT}";\nAcquire::http::Timeout "20";\nAcquire::Retries "3";\n`
}
