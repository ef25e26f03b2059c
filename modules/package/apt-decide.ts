/**
 * apt's decisions as pure functions of what the facts read: which names need installing,
 * upgrading or removing (Ansible's package_status and install/remove rules), the one
 * apt-get command that does it, and what apt-get's simulation says it would do.
 */
import { fnmatch } from '../../engine/fnmatch.js'
import { hasConfigFiles, isInstalled, type AptPolicy, type DpkgPackage } from './apt-facts.js'
import { sh, type ShellCommand } from '../../engine/quote.js'
import { compareDebVersions } from './deb-version.js'
import type { PkgChange, PkgState } from './pkg-plan.js'
import type { PackageSpec } from './pkg-spec.js'

export interface AptDecision {
  /** apt-get words: `name`, `name=version` (a version may be a glob, which apt-get resolves). */
  args: string[]
  /** What the facts say will change (the simulation, when run, says it more exactly). */
  changes: PkgChange[]
  failed?: string
}

/** Placeholder for a version only apt knows until it runs (no simulation before a cache update). */
export const CANDIDATE = 'candidate version'

/** The installed package a name refers to (`name` or `name:arch`). */
export function installedPackage(db: readonly DpkgPackage[], name: string): DpkgPackage | undefined {
  const [base, arch] = name.split(':')
  return db.find((p) => p.name === base && (arch === undefined || p.arch === arch || p.arch === 'all') && isInstalled(p))
}

/** A virtual package (`awk`) counts as present when an installed package provides it. */
function providedBy(db: readonly DpkgPackage[], name: string): DpkgPackage | undefined {
  return db.find((p) => isInstalled(p) && p.provides.includes(name))
}

/** The newest version in apt's table matching a `=` pin (Ansible pins it at 991 and asks for the candidate). */
function bestMatch(policy: AptPolicy | undefined, spec: PackageSpec): string | null {
  if (!policy) return null
  if (spec.op !== '=' || spec.version === undefined) return policy.candidate
  const version = spec.version
  return policy.versions.find((v) => fnmatch(v, version)) ?? null
}

function versionOk(installed: string, spec: PackageSpec): boolean {
  if (spec.version === undefined) return true
  if (spec.op === '=') return fnmatch(installed, spec.version)
  return compareDebVersions(installed, spec.version) >= 0
}

export function decideApt(
  specs: readonly PackageSpec[],
  state: PkgState,
  db: readonly DpkgPackage[],
  policies: ReadonlyMap<string, AptPolicy> | undefined,
  purge: boolean,
): AptDecision {
  const decision: AptDecision = { args: [], changes: [] }
  for (const spec of specs) {
    const pkg = installedPackage(db, spec.name)
    if (state === 'absent') {
      const leftovers = !pkg && purge && db.some((p) => p.name === spec.name.split(':')[0] && hasConfigFiles(p))
      if (pkg || leftovers) {
        decision.args.push(spec.raw)
        decision.changes.push({ name: spec.name, before: pkg?.version ?? 'config files', after: null })
      }
      continue
    }
    const policy = policies?.get(spec.name)
    if (!pkg) {
      if (spec.version === undefined && providedBy(db, spec.name)) continue
      if (spec.op === '>=' && policy?.candidate && spec.version !== undefined && compareDebVersions(policy.candidate, spec.version) < 0) {
        decision.failed = `No package matching '${spec.raw}' is available (candidate: ${policy.candidate})`
        return decision
      }
      decision.args.push(spec.op === '=' ? spec.raw : spec.name)
      decision.changes.push({ name: spec.name, before: null, after: (spec.op === '=' ? spec.version : policy?.candidate) ?? CANDIDATE })
      continue
    }
    const best = bestMatch(policy, spec)
    if (!versionOk(pkg.version, spec)) {
      decision.args.push(spec.op === '=' ? spec.raw : spec.name)
      decision.changes.push({ name: spec.name, before: pkg.version, after: best ?? spec.version ?? CANDIDATE })
    } else if (state === 'latest' && best !== null && best !== pkg.version) {
      decision.args.push(spec.op === '=' ? `${spec.name}=${best}` : spec.name)
      decision.changes.push({ name: spec.name, before: pkg.version, after: best })
    }
  }
  return decision
}

export interface AptCommandOptions {
  install_recommends?: boolean | undefined
  default_release?: string | undefined
  allow_downgrade: boolean
  autoremove: boolean
  purge: boolean
  dpkg_options: string
}

/**
 * The one apt-get call for a task (`-s` for the simulation plan runs). The lock timeout
 * makes apt-get wait for another apt (unattended-upgrades, a parallel task) instead of failing.
 */
export function aptGetCommand(op: 'install' | 'remove' | 'autoremove', args: readonly string[], o: AptCommandOptions, simulate: boolean): ShellCommand {
  // Options are literal shell text (readable at -vvvv); only their values go through quoting.
  const words: ShellCommand[] = [sh`-y -o DPkg::Lock::Timeout=120`]
  for (const opt of o.dpkg_options.split(',').filter((x) => x !== '')) words.push(sh`-o ${`Dpkg::Options::=--${opt}`}`)
  if (simulate) words.push(sh`-s`)
  if (op === 'remove' && o.purge) words.push(sh`--purge`)
  if (o.autoremove && op !== 'autoremove') words.push(sh`--auto-remove`)
  if (op === 'install') {
    if (o.default_release !== undefined) words.push(sh`-t ${o.default_release}`)
    if (o.install_recommends !== undefined) words.push(sh`-o APT::Install-Recommends=${o.install_recommends ? 'yes' : 'no'}`)
    if (o.allow_downgrade) words.push(sh`--allow-downgrades`)
  }
  const options = words.reduce((line, word) => sh`${line} ${word}`)
  return args.length ? sh`apt-get ${options} ${op} -- ${args}` : sh`apt-get ${options} ${op}`
}

export interface Simulation {
  changes: PkgChange[]
  /** apt's own error lines (`E: Unable to locate package nosuch`). */
  errors: string[]
}

/** `Inst name [old] (new ...)`, `Remv name [old]`, `Purg name [old]` lines of `apt-get -s`. */
export function parseSimulation(stdout: string, stderr: string): Simulation {
  const changes: PkgChange[] = []
  for (const line of stdout.split('\n')) {
    const inst = /^Inst (\S+) (?:\[([^\]]+)\] )?\((\S+)/.exec(line)
    if (inst?.[1] !== undefined) {
      changes.push({ name: inst[1], before: inst[2] ?? null, after: inst[3] ?? null })
      continue
    }
    const remv = /^(?:Remv|Purg) (\S+)(?: \[([^\]]+)\])?/.exec(line)
    if (remv?.[1] !== undefined && !changes.some((c) => c.name === remv[1])) changes.push({ name: remv[1], before: remv[2] ?? 'installed', after: null })
  }
  const errors = `${stdout}\n${stderr}`.split('\n').filter((l) => /^E: /.test(l))
  return { changes, errors }
}

/** dpkg's database after the changes, for check mode's later tasks. */
export function predictDb(db: readonly DpkgPackage[], changes: readonly PkgChange[], purge: boolean): DpkgPackage[] {
  const out = db.map((p) => ({ ...p }))
  for (const c of changes) {
    const [name = c.name, arch] = c.name.split(':')
    const existing = out.find((p) => p.name === name && (arch === undefined || p.arch === arch))
    if (c.after === null) {
      if (existing) existing.status = purge ? 'pn ' : 'rc '
    } else if (existing) {
      existing.status = 'ii '
      existing.version = c.after
    } else {
      out.push({ name, arch: arch ?? 'all', status: 'ii ', version: c.after, provides: [] })
    }
  }
  return out
}
