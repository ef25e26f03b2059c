/**
 * Starting, finding and stopping the apt cache process. One per machine, shared by every lab and
 * by the image build; `lab up` starts it when none answers, or replaces one that is outdated.
 */
import { spawn } from 'node:child_process'
import { createHash } from 'node:crypto'
import { mkdirSync, openSync, readdirSync, readFileSync } from 'node:fs'
import { get } from 'node:http'
import { dirname } from 'node:path'
import { fileURLToPath } from 'node:url'
import { setTimeout as sleep } from 'node:timers/promises'
import { withLock } from '../lock.js'
import { tcpOpen } from '../tcp.js'
import { STATUS_PATH, type CacheStatus } from './server.js'

export const APT_CACHE_PORT = Number(process.env['TSPLAY_APT_CACHE_PORT'] ?? 3150)
export const APT_CACHE_DIR = process.env['TSPLAY_APT_CACHE_DIR'] ?? '/var/cache/tsplay-apt'
export const APT_CACHE_LOG = process.env['TSPLAY_APT_CACHE_LOG'] ?? '/var/log/tsplay-apt-cache.log'
const LOCK = '/var/tmp/tsplay-apt-cache.lock'
const HERE = fileURLToPath(new URL('.', import.meta.url))

/** A hash of the cache's own code: a cache left running by an older tsplay is replaced, not trusted. */
function recipe(): string {
  const hash = createHash('sha256')
  for (const file of readdirSync(HERE).filter((f) => f.endsWith('.js')).sort()) hash.update(file).update(readFileSync(HERE + file))
  return hash.digest('hex').slice(0, 16)
}

/** The running cache's own account of itself, or undefined when nothing (or something else) answers. */
export function cacheStatus(port = APT_CACHE_PORT): Promise<CacheStatus | undefined> {
  return new Promise((resolve) => {
    const req = get({ host: '127.0.0.1', port, path: STATUS_PATH, timeout: 2_000 }, (res) => {
      let body = ''
      res.setEncoding('utf8')
      res.on('data', (d: string) => (body += d))
      res.on('end', () => {
        try {
          const status = JSON.parse(body) as CacheStatus
          resolve(status.service === 'tsplay-apt-cache' ? status : undefined)
        } catch {
          resolve(undefined)
        }
      })
    })
    req.on('timeout', () => req.destroy())
    req.on('error', () => resolve(undefined))
  })
}

export type CacheAnswer = { ok: true; status: CacheStatus } | { ok: false; why: string }

/** A cache of this recipe serving these mirrors answers on the port when this returns ok. */
export async function ensureAptCache(upstreams: string[]): Promise<CacheAnswer> {
  return withLock(LOCK, 'the apt cache', async () => {
    const running = await cacheStatus()
    const wantedRecipe = recipe()
    if (running && running.recipe === wantedRecipe && upstreams.every((u) => running.upstreams.includes(u))) return { ok: true, status: running }
    if (running) await stopProcess(running.pid)
    else if (await tcpOpen('127.0.0.1', APT_CACHE_PORT)) {
      return { ok: false, why: `port ${APT_CACHE_PORT} is taken by another program (set TSPLAY_APT_CACHE_PORT to another port)` }
    }
    const wanted = [...new Set([...(running?.upstreams ?? []), ...upstreams])]
    start(wanted, wantedRecipe)
    for (let i = 0; i < 50; i++) {
      const status = await cacheStatus()
      if (status) return { ok: true, status }
      await sleep(200)
    }
    return { ok: false, why: `the apt cache did not start; see ${APT_CACHE_LOG}` }
  })
}

function start(upstreams: string[], codeRecipe: string): void {
  mkdirSync(APT_CACHE_DIR, { recursive: true })
  mkdirSync(dirname(APT_CACHE_LOG), { recursive: true })
  const log = openSync(APT_CACHE_LOG, 'a')
  const main = HERE + 'main.js'
  const child = spawn(process.execPath, [main], {
    detached: true,
    stdio: ['ignore', log, log],
    env: { ...process.env, TSPLAY_APT_CACHE_PORT: String(APT_CACHE_PORT), TSPLAY_APT_CACHE_DIR: APT_CACHE_DIR, TSPLAY_APT_CACHE_UPSTREAMS: upstreams.join(','), TSPLAY_APT_CACHE_RECIPE: codeRecipe },
  })
  child.unref()
}

/** Stops the running cache, if any; returns its pid. */
export async function stopAptCache(): Promise<number | undefined> {
  const running = await cacheStatus()
  if (!running) return undefined
  await stopProcess(running.pid)
  return running.pid
}

async function stopProcess(pid: number): Promise<void> {
  try {
    process.kill(pid, 'SIGTERM')
  } catch {
    return
  }
  for (let i = 0; i < 50 && (await tcpOpen('127.0.0.1', APT_CACHE_PORT, 500)); i++) await sleep(100)
}
