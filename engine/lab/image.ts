/**
 * The lab's base image, built here with no registry: debootstrap a minimal Debian, customise it
 * (rootfs.ts), `docker import` it. The tag carries a hash of everything that went into it, so a
 * changed package list or file rebuilds it, and an unchanged one is built once and reused.
 */
import { spawn } from 'node:child_process'
import { createHash } from 'node:crypto'
import { createWriteStream, mkdtempSync, readFileSync, rmSync } from 'node:fs'
import { join } from 'node:path'
import { docker } from './docker.js'
import { LabError } from './errors.js'
import { withLock } from './lock.js'
import { APT_CACHE_PORT, ensureAptCache } from './apt-cache/daemon.js'
import { customizeRootfs, mirror, mirrorHosts, PACKAGES, REMOVED, rootfsFiles, SUITE } from './rootfs.js'

export const IMAGE_REPO = 'tsplay-lab'
/** Shared by every lab on the machine: one build at a time. */
const BUILD_DIR = '/var/tmp'
const BUILD_LOCK = '/var/tmp/tsplay-lab-image.lock'

/** Bump when the way the image is built changes in a way the inputs below do not show. */
const RECIPE = 1

export function imageTag(): string {
  const inputs = JSON.stringify({ RECIPE, SUITE, mirror: mirror(), PACKAGES, files: rootfsFiles(), REMOVED })
  return `${IMAGE_REPO}:${SUITE}-${createHash('sha256').update(inputs).digest('hex').slice(0, 12)}`
}

export async function imageExists(tag: string): Promise<boolean> {
  return (await docker(['image', 'inspect', tag], { allowFail: true })).code === 0
}

export type Log = (line: string) => void

/** The image's tag, building it first when it is missing (or when `rebuild` asks). */
export async function ensureImage(log: Log, rebuild = false): Promise<string> {
  const tag = imageTag()
  if (!rebuild && (await imageExists(tag))) return tag
  return withLock(BUILD_LOCK, 'the lab image build', async () => {
    // Another process may have built it while we waited for the lock.
    if (!rebuild && (await imageExists(tag))) return tag
    await buildImage(tag, log)
    await pruneOldImages(tag)
    return tag
  })
}

async function buildImage(tag: string, log: Log): Promise<void> {
  const work = mkdtempSync(join(BUILD_DIR, 'tsplay-lab-build-'))
  const rootfs = join(work, 'rootfs')
  const logFile = join(work, 'debootstrap.log')
  const started = Date.now()
  try {
    const env: NodeJS.ProcessEnv = { ...process.env }
    // Through the machine's apt cache: a rebuild then downloads nothing again.
    const cache = await ensureAptCache(mirrorHosts())
    if (cache.ok) env['http_proxy'] = `http://127.0.0.1:${APT_CACHE_PORT}`
    else log(`[WARNING]: no apt cache (${cache.why}): debootstrap downloads directly`)
    log(`building the lab image ${tag}: debootstrap ${SUITE} from ${mirror()} (about 2 minutes, once)`)
    const args = ['--variant=minbase', `--include=${PACKAGES.join(',')}`, SUITE, rootfs, mirror()]
    const code = await run('debootstrap', args, logFile, env)
    if (code !== 0) throw new LabError(`debootstrap failed (exit ${code}); the end of its log (${logFile}):\n${tail(logFile)}`)
    customizeRootfs(rootfs)
    await importRootfs(rootfs, tag)
    log(`built ${tag} in ${Math.round((Date.now() - started) / 1000)} s`)
    rmSync(work, { recursive: true, force: true })
  } catch (err) {
    // Keep the log of a failed debootstrap for the person reading the error; drop the tree.
    rmSync(rootfs, { recursive: true, force: true })
    throw err
  }
}

/** tar of the tree piped into `docker import`, with what a systemd host needs to boot. */
function importRootfs(rootfs: string, tag: string): Promise<void> {
  return new Promise((resolve, reject) => {
    const tar = spawn('tar', ['-C', rootfs, '--numeric-owner', '-c', '.'], { stdio: ['ignore', 'pipe', 'pipe'] })
    const importer = spawn('docker', ['import', '--change', 'ENV container=docker', '--change', 'CMD ["/sbin/init"]', '-', tag], { stdio: ['pipe', 'pipe', 'pipe'] })
    let errors = ''
    tar.stderr.setEncoding('utf8').on('data', (d: string) => (errors += d))
    importer.stderr.setEncoding('utf8').on('data', (d: string) => (errors += d))
    tar.stdout.pipe(importer.stdin)
    tar.on('error', (err) => reject(new LabError(`cannot run tar: ${err.message}`)))
    importer.on('error', (err) => reject(new LabError(`cannot run docker import: ${err.message}`)))
    importer.on('close', (code) => {
      if (code === 0) resolve()
      else reject(new LabError(`docker import failed (exit ${code}): ${errors.trim()}`))
    })
  })
}

function run(command: string, args: string[], logFile: string, env: NodeJS.ProcessEnv): Promise<number> {
  return new Promise((resolve, reject) => {
    const out = createWriteStream(logFile)
    const child = spawn(command, args, { env, stdio: ['ignore', 'pipe', 'pipe'] })
    child.stdout.pipe(out, { end: false })
    child.stderr.pipe(out, { end: false })
    child.on('error', (err: NodeJS.ErrnoException) => {
      out.end()
      const why = err.code === 'ENOENT' ? `${command} is not installed (apt-get install ${command})` : err.message
      reject(new LabError(`cannot build the lab image: ${why}`, { cause: err }))
    })
    child.on('close', (code) => out.end(() => resolve(code ?? 1)))
  })
}

function tail(file: string, lines = 15): string {
  try {
    return readFileSync(file, 'utf8').trimEnd().split('\n').slice(-lines).join('\n')
  } catch {
    return '(no log)'
  }
}

/** Older builds that no container uses any more (docker refuses to remove the others). */
async function pruneOldImages(keep: string): Promise<void> {
  const r = await docker(['images', IMAGE_REPO, '--format', '{{.Repository}}:{{.Tag}}'], { allowFail: true })
  for (const old of r.stdout.split('\n').map((l) => l.trim()).filter((l) => l && l !== keep)) {
    await docker(['image', 'rm', old], { allowFail: true })
  }
}
