/** Turns the facts script's output into Ansible-named facts. Pure: tested against captured outputs. */
import { distributionFacts, parseOsRelease, type DistributionFacts } from './distro.js'
import { networkFacts, type NetworkFacts } from './network.js'
import { splitSections } from './script.js'

export interface DateTimeFacts {
  epoch: string
  /** UTC, `2024-05-01T12:00:00Z`, as Ansible's iso8601. */
  iso8601: string
  date: string
  time: string
  year: string
  month: string
  day: string
  hour: string
  minute: string
  second: string
  weekday: string
  tz: string
  tz_offset: string
}

export type HostFacts = DistributionFacts &
  NetworkFacts & {
    ansible_hostname: string
    ansible_nodename: string
    ansible_fqdn: string
    ansible_domain: string
    ansible_system: string
    ansible_kernel: string
    ansible_kernel_version: string
    ansible_architecture: string
    ansible_machine: string
    ansible_processor_vcpus: number
    ansible_processor_cores: number
    ansible_processor_count: number
    ansible_processor_threads_per_core: number
    ansible_processor_nproc: number
    ansible_processor_model: string
    ansible_memtotal_mb: number
    ansible_memfree_mb: number
    ansible_swaptotal_mb: number
    ansible_swapfree_mb: number
    ansible_service_mgr: string
    ansible_pkg_mgr: string
    ansible_fips: boolean
    ansible_user_id: string
    ansible_user_uid: number
    ansible_user_gid: number
    ansible_user_gecos: string
    ansible_user_dir: string
    ansible_user_shell: string
    ansible_env: Record<string, string>
    ansible_date_time: DateTimeFacts
    /** 'docker', 'podman', 'lxc', 'kvm', ...; 'NA' on bare metal, as Ansible. */
    ansible_virtualization_type: string
    ansible_virtualization_role: string
  } & Record<string, unknown>

export function parseFacts(output: string): HostFacts {
  const s = splitSections(output)
  const text = (name: string): string => (s.get(name) ?? '').replace(/^\n+|\n+$/g, '')
  const lines = (name: string): string[] => text(name).split('\n').filter((l) => l !== '')
  if (!s.has('end')) throw new Error('facts script output is incomplete (no end marker)')

  const [system = '', kernel = '', machine = '', nodename = '', kernelVersion = ''] = lines('uname')
  const fqdn = lines('fqdn')[0] || nodename
  const distro = distributionFacts(parseOsRelease(text('os_release')), lines('debian_version')[0])
  return {
    ansible_hostname: nodename.split('.')[0] ?? nodename,
    ansible_nodename: nodename,
    ansible_fqdn: fqdn,
    ansible_domain: fqdn.includes('.') ? fqdn.slice(fqdn.indexOf('.') + 1) : '',
    ansible_system: system,
    ansible_kernel: kernel,
    ansible_kernel_version: kernelVersion,
    ansible_architecture: /^i[3-6]86$/.test(machine) ? 'i386' : machine,
    ansible_machine: machine,
    ...distro,
    ...networkFacts({ route: text('route'), addr: text('addr'), links: text('links') }),
    ...cpuFacts(lines('cpu')),
    ...memoryFacts(lines('meminfo')),
    ansible_service_mgr: serviceManager(lines('init')[0] ?? ''),
    ansible_pkg_mgr: packageManager(lines('pkg'), distro.ansible_os_family),
    // Ansible's fips collector: true only when the kernel says 1.
    ansible_fips: lines('fips')[0] === '1',
    ...userFacts(lines('user')),
    ansible_env: parseEnv(s.get('env') ?? ''),
    ansible_date_time: dateTime(lines('date')[0] ?? ''),
    ...virtualization(lines('virt')),
    ...pythonFacts(lines('python')),
  }
}

/** ansible_python and ansible_python_version, as Ansible's python fact collector names them. */
function pythonFacts(lines: readonly string[]): Record<string, unknown> {
  const [executable, version, type, ssl] = lines
  const parts = version?.split(' ') ?? []
  if (executable === undefined || parts.length < 5) return {}
  const [major, minor, micro] = parts.slice(0, 3).map((n) => int(n))
  const releaselevel = parts[3] ?? ''
  const serial = int(parts[4])
  return {
    ansible_python: {
      executable,
      has_sslcontext: ssl === 'True',
      type: type ?? 'cpython',
      version: { major, minor, micro, releaselevel, serial },
      version_info: [major, minor, micro, releaselevel, serial],
    },
    ansible_python_version: `${String(major)}.${String(minor)}.${String(micro)}`,
  }
}

function keyed(lines: readonly string[], separator: RegExp): Map<string, string> {
  const map = new Map<string, string>()
  for (const line of lines) {
    const m = separator.exec(line)
    if (m && m.index > 0) map.set(line.slice(0, m.index).trim(), line.slice(m.index + m[0].length).trim())
  }
  return map
}

function int(value: string | undefined, fallback = 0): number {
  const n = Number.parseInt(value ?? '', 10)
  return Number.isFinite(n) ? n : fallback
}

function cpuFacts(lines: readonly string[]) {
  const kv = keyed(lines, /\s*[=:]\s*/)
  const nproc = int(kv.get('nproc'))
  const vcpus = int(kv.get('processors')) || nproc || 1
  const count = int(kv.get('sockets')) || 1
  // ARM and some VMs give no "cpu cores": then every processor is a core of one socket.
  const cores = int(kv.get('cpu cores')) || Math.max(1, Math.floor(vcpus / count))
  const siblings = int(kv.get('siblings'))
  return {
    ansible_processor_vcpus: vcpus,
    ansible_processor_cores: cores,
    ansible_processor_count: count,
    ansible_processor_threads_per_core: siblings && cores ? Math.max(1, Math.floor(siblings / cores)) : 1,
    ansible_processor_nproc: nproc || vcpus,
    ansible_processor_model: kv.get('model name') ?? kv.get('Hardware') ?? kv.get('cpu model') ?? '',
  }
}

function memoryFacts(lines: readonly string[]) {
  const kv = keyed(lines, /:\s*/)
  const mb = (key: string): number => Math.floor(int(kv.get(key)) / 1024)
  return {
    ansible_memtotal_mb: mb('MemTotal'),
    ansible_memfree_mb: mb('MemFree'),
    ansible_swaptotal_mb: mb('SwapTotal'),
    ansible_swapfree_mb: mb('SwapFree'),
  }
}

/** systemd and openrc are detected by the script; otherwise PID 1's name, as Ansible does. */
function serviceManager(init: string): string {
  if (init === 'init') return 'sysvinit'
  if (init === 's6-svscan') return 's6'
  return init || 'unknown'
}

/** The family's own manager when present (a Debian box with yum installed is still apt), else the first found. */
function packageManager(found: readonly string[], family: string): string {
  const name = (bin: string): string => ({ 'apt-get': 'apt', emerge: 'portage', pkg: 'pkgng' })[bin] ?? bin
  const preferred: Record<string, readonly string[]> = {
    Debian: ['apt-get'],
    RedHat: ['dnf5', 'dnf', 'yum'],
    Suse: ['zypper'],
    Alpine: ['apk'],
    Archlinux: ['pacman'],
    Gentoo: ['emerge'],
  }
  const own = (preferred[family] ?? []).find((bin) => found.includes(bin))
  const bin = own ?? found[0]
  return bin ? name(bin) : 'unknown'
}

function userFacts(lines: readonly string[]) {
  const [name = '', passwd = ''] = lines
  const [, , uid, gid, gecos = '', dir = '', shell = ''] = passwd.split(':')
  return {
    ansible_user_id: name,
    ansible_user_uid: int(uid, -1),
    ansible_user_gid: int(gid, -1),
    ansible_user_gecos: gecos,
    ansible_user_dir: dir,
    ansible_user_shell: shell,
  }
}

/** `env -0` output (values may hold newlines); plain `env` lines when -0 is not supported. */
export function parseEnv(raw: string): Record<string, string> {
  const entries = raw.includes('\0') ? raw.split('\0') : raw.split('\n')
  const env: Record<string, string> = {}
  for (const entry of entries) {
    const at = entry.indexOf('=')
    if (at > 0) env[entry.slice(0, at)] = entry.slice(at + 1)
  }
  return env
}

function dateTime(line: string): DateTimeFacts {
  const [epoch = '0', year = '', month = '', day = '', hour = '', minute = '', second = '', offset = '', weekday = '', tz = ''] =
    line.split('|')
  return {
    epoch,
    iso8601: new Date(int(epoch) * 1000).toISOString().replace(/\.\d{3}Z$/, 'Z'),
    date: `${year}-${month}-${day}`,
    time: `${hour}:${minute}:${second}`,
    year,
    month,
    day,
    hour,
    minute,
    second,
    weekday,
    tz,
    tz_offset: offset,
  }
}

function virtualization(lines: readonly string[]) {
  const kv = keyed(lines, /=/)
  const detected = kv.get('detect')
  let type = detected && detected !== 'none' ? detected : ''
  if (!type && lines.includes('dockerenv')) type = 'docker'
  if (!type && lines.includes('containerenv')) type = 'podman'
  if (!type) type = kv.get('cgroup') ?? ''
  return { ansible_virtualization_type: type || 'NA', ansible_virtualization_role: type ? 'guest' : 'NA' }
}
