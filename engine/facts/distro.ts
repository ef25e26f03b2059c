/** Distribution facts from os-release, named and grouped as Ansible names them (so `when:` tests port as-is). */

export interface DistributionFacts {
  ansible_distribution: string
  ansible_distribution_version: string
  ansible_distribution_major_version: string
  /** Codename (bookworm, jammy, "Blue Onyx"); 'NA' when the release has none, as Ansible says. */
  ansible_distribution_release: string
  ansible_os_family: string
}

/** os-release `ID` -> Ansible's distribution name. */
const NAMES: Record<string, string> = {
  debian: 'Debian',
  ubuntu: 'Ubuntu',
  raspbian: 'Debian',
  linuxmint: 'Linux Mint',
  pop: 'Pop!_OS',
  kali: 'Kali',
  devuan: 'Devuan',
  rhel: 'RedHat',
  centos: 'CentOS',
  rocky: 'Rocky',
  almalinux: 'AlmaLinux',
  ol: 'OracleLinux',
  fedora: 'Fedora',
  amzn: 'Amazon',
  cloudlinux: 'CloudLinux',
  sles: 'SLES',
  sles_sap: 'SLES_SAP',
  sled: 'SLED',
  'opensuse-leap': 'openSUSE Leap',
  'opensuse-tumbleweed': 'openSUSE Tumbleweed',
  opensuse: 'openSUSE',
  arch: 'Archlinux',
  manjaro: 'Manjaro',
  alpine: 'Alpine',
  gentoo: 'Gentoo',
  nixos: 'NixOS',
}

/** Ansible's OS_FAMILY_MAP, for the distributions above. */
const FAMILIES: Record<string, readonly string[]> = {
  Debian: ['Debian', 'Ubuntu', 'Linux Mint', 'Pop!_OS', 'Kali', 'Devuan'],
  RedHat: ['RedHat', 'CentOS', 'Rocky', 'AlmaLinux', 'OracleLinux', 'Fedora', 'Amazon', 'CloudLinux'],
  Suse: ['SLES', 'SLES_SAP', 'SLED', 'openSUSE Leap', 'openSUSE Tumbleweed', 'openSUSE'],
  Archlinux: ['Archlinux', 'Manjaro'],
  Alpine: ['Alpine'],
  Gentoo: ['Gentoo'],
}

/** For derivatives we do not list: os-release `ID_LIKE` words -> family. */
const LIKE_FAMILIES: Record<string, string> = {
  debian: 'Debian',
  ubuntu: 'Debian',
  rhel: 'RedHat',
  fedora: 'RedHat',
  centos: 'RedHat',
  suse: 'Suse',
  opensuse: 'Suse',
  arch: 'Archlinux',
  alpine: 'Alpine',
}

/** Parses os-release: `KEY=value`, values optionally quoted with shell-style escapes. */
export function parseOsRelease(text: string): Record<string, string> {
  const out: Record<string, string> = {}
  for (const line of text.split('\n')) {
    const m = /^\s*([A-Z][A-Z0-9_]*)=(.*)$/.exec(line)
    if (!m || m[1] === undefined || m[2] === undefined) continue
    let value = m[2].trim()
    if (value.startsWith('"') && value.endsWith('"') && value.length >= 2) {
      value = value.slice(1, -1).replace(/\\([\\"$`])/g, '$1')
    } else if (value.startsWith("'") && value.endsWith("'") && value.length >= 2) {
      value = value.slice(1, -1)
    }
    out[m[1]] = value
  }
  return out
}

export function distributionFacts(osRelease: Record<string, string>, debianVersion?: string): DistributionFacts {
  const id = (osRelease.ID ?? '').toLowerCase()
  const name = NAMES[id] ?? osRelease.NAME ?? (id ? id[0]?.toUpperCase() + id.slice(1) : 'Unknown')
  let version = osRelease.VERSION_ID ?? ''
  // Debian's os-release says "12"; Ansible reports the point release from debian_version ("12.5").
  const point = debianVersion?.trim()
  if (id === 'debian' && point && /^\d+(\.\d+)*$/.test(point)) version = point
  return {
    ansible_distribution: name,
    ansible_distribution_version: version || 'NA',
    ansible_distribution_major_version: version ? (version.split('.')[0] ?? version) : 'NA',
    ansible_distribution_release: release(osRelease),
    ansible_os_family: family(name, osRelease.ID_LIKE ?? ''),
  }
}

function release(osRelease: Record<string, string>): string {
  const codename = osRelease.VERSION_CODENAME || osRelease.UBUNTU_CODENAME
  if (codename) return codename
  // RHEL-likes put it in parentheses: VERSION="9.3 (Blue Onyx)".
  const paren = /\(([^)]+)\)/.exec(osRelease.VERSION ?? '')
  return paren?.[1] ?? 'NA'
}

function family(name: string, idLike: string): string {
  for (const [fam, members] of Object.entries(FAMILIES)) if (members.includes(name)) return fam
  for (const word of idLike.toLowerCase().split(/\s+/)) {
    const fam = LIKE_FAMILIES[word]
    if (fam) return fam
  }
  return name
}
