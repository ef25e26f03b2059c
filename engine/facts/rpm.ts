/**
 * What the dnf module reads on an RPM host: the installed versions of a task's names
 * (one `rpm -q`) and the updates dnf would take for them (one `dnf check-update`).
 * Unit-tested against captured outputs; the lab has no RPM hosts.
 */
import { ModuleError } from '../errors.js'
import { defineFact } from '../module.js'
import { sh } from '../quote.js'

export interface RpmPackage {
  name: string
  arch: string
  /** `EPOCH:VERSION-RELEASE`, the epoch only when the package has one. */
  version: string
}

const RPM_FORMAT = '%{NAME}\\t%{ARCH}\\t%|EPOCH?{%{EPOCH}:}:{}|%{VERSION}-%{RELEASE}\\n'

/** Installed packages among `names` (rpm -q exits with the number of names not installed). */
export const rpmFact = defineFact<RpmPackage[], readonly string[]>({
  name: 'rpm-packages',
  command: (names) => sh`LC_ALL=C rpm -q --qf ${RPM_FORMAT} ${names}`,
  parse: (result) => parseRpmQuery(result.stdout),
})

export function parseRpmQuery(text: string): RpmPackage[] {
  const out: RpmPackage[] = []
  for (const line of text.split('\n')) {
    const [name, arch, version] = line.split('\t')
    // "package foo is not installed" lines have no tabs.
    if (name && arch !== undefined && version !== undefined) out.push({ name, arch, version })
  }
  return out
}

/** name -> the version an update would bring. */
export const dnfUpdatesFact = defineFact<Map<string, string>, readonly string[]>({
  name: 'dnf-updates',
  command: (names) => sh`LC_ALL=C dnf -q check-update ${names}`,
  parse: (result) => {
    // check-update exits 100 when updates exist, 0 when none, 1 on error.
    if (result.code !== 0 && result.code !== 100) {
      throw new ModuleError(`dnf check-update failed: ${result.stderr.trim()}`, { rc: result.code, stderr: result.stderr })
    }
    return parseDnfCheckUpdate(result.stdout)
  },
})

export function parseDnfCheckUpdate(text: string): Map<string, string> {
  const out = new Map<string, string>()
  for (const line of text.split('\n')) {
    if (/^Obsoleting/.test(line)) break
    const m = /^(\S+)\.([^.\s]+)\s+(\S+)\s+\S+\s*$/.exec(line)
    if (m?.[1] !== undefined && m[3] !== undefined) out.set(m[1], m[3])
  }
  return out
}
