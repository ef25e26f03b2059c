/**
 * The apt cache as its own process, started in the background by `tsplay lab up` (daemon.ts):
 * it outlives the command, as the lab hosts do. Settings come from the environment.
 */
import { createAptCache } from './server.js'

const port = Number(process.env['TSPLAY_APT_CACHE_PORT'])
const dir = process.env['TSPLAY_APT_CACHE_DIR'] ?? ''
const upstreams = (process.env['TSPLAY_APT_CACHE_UPSTREAMS'] ?? '').split(',').filter(Boolean)
const log = (line: string): void => {
  process.stdout.write(`${new Date().toISOString()} ${line}\n`)
}

if (!Number.isInteger(port) || !dir || !upstreams.length) {
  log('tsplay apt cache: TSPLAY_APT_CACHE_PORT, TSPLAY_APT_CACHE_DIR and TSPLAY_APT_CACHE_UPSTREAMS must be set')
  process.exit(2)
}
const server = createAptCache({ dir, upstreams, log, recipe: process.env['TSPLAY_APT_CACHE_RECIPE'] ?? '' })
server.on('error', (err) => {
  log(`tsplay apt cache: cannot listen on port ${port}: ${err.message}`)
  process.exit(1)
})
// On every address: lab hosts reach it at their network's gateway, whichever network that is.
server.listen(port, () => log(`tsplay apt cache (pid ${process.pid}) on port ${port}, ${dir}, for ${upstreams.join(', ')}`))
for (const signal of ['SIGTERM', 'SIGINT'] as const) process.on(signal, () => server.close(() => process.exit(0)))
