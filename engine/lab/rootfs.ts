/**
 * What the base image holds besides debootstrap's output. Everything here is part of the image's
 * content hash, so changing a line rebuilds the image on the next `lab up`.
 */
import { chmodSync, mkdirSync, readdirSync, rmSync, symlinkSync, writeFileSync } from 'node:fs'
import { dirname, join } from 'node:path'

export const SUITE = 'bookworm'

export function mirror(): string {
  return process.env['TSPLAY_LAB_MIRROR'] ?? 'http://deb.debian.org/debian'
}

/** The security archive beside the mirror (deb.debian.org serves both). */
export function securityMirror(): string {
  return mirror().replace(/\/debian\/?$/, '/debian-security')
}

/** The hosts (host or host:port) the image's sources.list names: what the apt cache forwards to. */
export function mirrorHosts(): string[] {
  return [...new Set([mirror(), securityMirror()].map((url) => new URL(url).host.toLowerCase()))]
}

/**
 * A Debian server as a cloud image would have it, plus python3 (only so Ansible can be run against
 * the same hosts for comparison: tsplay does not need it). procps gives sysctl and ps; netbase
 * /etc/services; gnupg and ca-certificates let roles add signed third-party repositories.
 */
export const PACKAGES = [
  'systemd', 'systemd-sysv', 'dbus', 'openssh-server', 'sudo', 'iproute2', 'procps', 'kmod',
  'netbase', 'ca-certificates', 'gnupg', 'python3',
]

export interface RootfsFile {
  path: string
  content: string
  mode: number
}

/**
 * Files written into the image. Host keys are not baked in (every host would share them): a unit
 * makes each host's own at first boot, before sshd starts, and `lab up` reads the public key back
 * through `docker exec`.
 */
export function rootfsFiles(): RootfsFile[] {
  const m = mirror()
  const security = securityMirror()
  return [
    {
      path: '/etc/apt/sources.list',
      content: `deb ${m} ${SUITE} main\ndeb ${m} ${SUITE}-updates main\ndeb ${security} ${SUITE}-security main\n`,
      mode: 0o644,
    },
    {
      path: '/etc/systemd/system/tsplay-ssh-hostkeys.service',
      content: [
        '[Unit]',
        "Description=Generate this host's own SSH host keys",
        'Before=ssh.service',
        'ConditionPathExists=!/etc/ssh/ssh_host_ed25519_key',
        '',
        '[Service]',
        'Type=oneshot',
        'ExecStart=/usr/bin/ssh-keygen -A',
        '',
        '[Install]',
        'WantedBy=multi-user.target',
        '',
      ].join('\n'),
      mode: 0o644,
    },
    {
      // As Debian's own container images: no translated package descriptions, which a server never
      // shows and which cost each host's `apt-get update` about a third of its time.
      path: '/etc/apt/apt.conf.d/90tsplay-lab-no-languages',
      content: 'Acquire::Languages "none";\n',
      mode: 0o644,
    },
    {
      // tsplay opens up to 8 channels per connection; headroom for a person's own ssh sessions too.
      path: '/etc/ssh/sshd_config.d/tsplay-lab.conf',
      content: 'PasswordAuthentication no\nMaxSessions 32\nUseDNS no\n',
      mode: 0o644,
    },
  ]
}

/** Removed from the image: per-machine identity (host keys, machine id) and download caches. */
export const REMOVED = ['/etc/ssh/ssh_host_*', '/var/lib/dbus/machine-id', '/var/cache/apt/archives/*.deb', '/var/lib/apt/lists/*']

/** Applies the customisation to a debootstrapped tree (the controller runs as root here). */
export function customizeRootfs(root: string): void {
  for (const pattern of REMOVED) removeGlob(root, pattern)
  // An empty machine-id makes systemd invent one per container at boot (journald, dbus need it).
  writeFileSync(join(root, 'etc/machine-id'), '')
  for (const file of rootfsFiles()) {
    const full = join(root, file.path)
    mkdirSync(dirname(full), { recursive: true })
    writeFileSync(full, file.content)
    chmodSync(full, file.mode)
  }
  const wants = join(root, 'etc/systemd/system/multi-user.target.wants')
  mkdirSync(wants, { recursive: true })
  rmSync(join(wants, 'tsplay-ssh-hostkeys.service'), { force: true })
  symlinkSync('/etc/systemd/system/tsplay-ssh-hostkeys.service', join(wants, 'tsplay-ssh-hostkeys.service'))
  mkdirSync(join(root, 'root/.ssh'), { recursive: true, mode: 0o700 })
}

/** A trailing `*` in the last path part only: enough for the list above. */
function removeGlob(root: string, pattern: string): void {
  const dir = join(root, dirname(pattern))
  const last = pattern.slice(pattern.lastIndexOf('/') + 1)
  if (!last.includes('*')) {
    rmSync(join(root, pattern), { recursive: true, force: true })
    return
  }
  const [prefix = '', suffix = ''] = last.split('*')
  let names: string[] = []
  try {
    names = readdirSync(dir)
  } catch {
    return
  }
  for (const name of names) if (name.startsWith(prefix) && name.endsWith(suffix)) rmSync(join(dir, name), { recursive: true, force: true })
}
