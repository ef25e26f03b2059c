/**
 * What the apt modules read on a Debian host, each a fact (command + pure parser):
 * dpkg's database (every package in one call, so a check-mode prediction for one task
 * is seen by any later task, whatever names it asks about), apt's candidate versions,
 * and the age of apt's cache.
 */
import { ModuleError } from '../../engine/errors.js'
import { defineFact } from '../../engine/module.js'
import { sh } from '../../engine/quote.js'

export interface DpkgPackage {
  name: string
  arch: string
  /** dpkg's three-letter status: want, state, error flag ('ii ', 'rc ', 'iU ' ...). */
  status: string
  version: string
  /** Virtual package names this package provides (versions dropped). */
  provides: string[]
}

/** dpkg-query interprets \t and \n in its format itself, so they stay backslash escapes here. */
const DPKG_FORMAT = '${Package}\\t${Architecture}\\t${db:Status-Abbrev}\\t${Version}\\t${Provides}\\n'

export const dpkgFact = defineFact<DpkgPackage[], ''>({
  name: 'dpkg-packages',
  command: () => sh`LC_ALL=C dpkg-query -W -f ${DPKG_FORMAT}`,
  parse: (result) => {
    if (result.code !== 0 && result.stdout.trim() === '') {
      throw new ModuleError(`cannot read the dpkg database: ${result.stderr.trim() || `exit code ${String(result.code)}`}`, { rc: result.code })
    }
    return parseDpkgQuery(result.stdout)
  },
})

export function parseDpkgQuery(text: string): DpkgPackage[] {
  const out: DpkgPackage[] = []
  for (const line of text.split('\n')) {
    const [name, arch = '', status = '', version = '', provides = ''] = line.split('\t')
    if (!name) continue
    out.push({ name, arch, status, version, provides: splitProvides(provides) })
  }
  return out
}

/** `awk, mawk-awk (= 1.3)` -> ['awk', 'mawk-awk'] */
function splitProvides(text: string): string[] {
  return text
    .split(',')
    .map((p) => p.trim().split(/\s+/)[0] ?? '')
    .filter((p) => p !== '')
}

/**
 * A package counts as installed when dpkg's state is installed, or installed with
 * triggers pending or awaited (python-apt's CURSTATE_INSTALLED, which Ansible checks,
 * is the first; the trigger states are moments in the same installed life).
 */
export function isInstalled(pkg: DpkgPackage): boolean {
  return ['i', 'W', 't'].includes(pkg.status.charAt(1))
}

/** Removed but its configuration files are still there (what purge cleans). */
export function hasConfigFiles(pkg: DpkgPackage): boolean {
  return pkg.status.charAt(1) === 'c'
}

export interface AptPolicy {
  installed: string | null
  candidate: string | null
  /** Versions in the version table, in apt's order (highest first). */
  versions: string[]
}

/** `apt-cache policy NAME...` for the names whose candidate a task needs (state=latest, version ranges). */
export const aptPolicyFact = defineFact<Map<string, AptPolicy>, readonly string[]>({
  name: 'apt-policy',
  command: (names) => sh`LC_ALL=C apt-cache policy ${names}`,
  parse: (result) => {
    if (result.code !== 0) throw new ModuleError(`apt-cache policy failed: ${result.stderr.trim()}`, { rc: result.code, stderr: result.stderr })
    return parseAptPolicy(result.stdout)
  },
})

export function parseAptPolicy(text: string): Map<string, AptPolicy> {
  const out = new Map<string, AptPolicy>()
  let current: AptPolicy | undefined
  const none = (v: string): string | null => (v === '(none)' ? null : v)
  for (const line of text.split('\n')) {
    const header = /^(\S+):$/.exec(line)
    if (header?.[1] !== undefined) {
      current = { installed: null, candidate: null, versions: [] }
      out.set(header[1], current)
      continue
    }
    if (!current) continue
    const field = /^ {2}(Installed|Candidate): (\S+)$/.exec(line)
    if (field?.[2] !== undefined) {
      if (field[1] === 'Installed') current.installed = none(field[2])
      else current.candidate = none(field[2])
      continue
    }
    const version = /^ (?:\*\*\*| {3}) (\S+) -?\d+$/.exec(line)
    if (version?.[1] !== undefined) current.versions.push(version[1])
  }
  return out
}

export interface AptCacheTime {
  /** When apt's lists were last updated, as Ansible reads it (epoch seconds; 0 when unknown). */
  mtime: number
  /** The host's clock, so the validity window is measured where the cache is. */
  now: number
}

/**
 * Ansible's get_cache_mtime: update-success-stamp if present, else the lists directory. A lists
 * directory without any package list (a fresh container image) was never updated: its time is 0,
 * where Ansible would take the directory's mtime and trust an empty cache for cache_valid_time.
 */
export const aptCacheTimeFact = defineFact<AptCacheTime, ''>({
  name: 'apt-cache-time',
  command: () => sh`s=/var/lib/apt/periodic/update-success-stamp; l=/var/lib/apt/lists
if [ -e "$s" ]; then t=$(stat -c %Y "$s")
elif [ -e "$l" ] && ls "$l" | grep -q _Packages; then t=$(stat -c %Y "$l"); else t=0; fi
echo "$t $(date +%s)"`,
  parse: (result) => {
    const [mtime, now] = result.stdout.trim().split(/\s+/).map(Number)
    return { mtime: Number.isFinite(mtime) ? (mtime ?? 0) : 0, now: Number.isFinite(now) ? (now ?? 0) : 0 }
  },
})
