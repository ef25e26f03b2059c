/** Facts parsed from hand-written script outputs of real distributions (os-release text copied from them). */
import { describe, expect, it } from 'vitest'
import { distributionFacts, parseOsRelease } from '../../engine/facts/distro.js'
import { parseDefaultRoute } from '../../engine/facts/network.js'
import { parseFacts } from '../../engine/facts/parse.js'
import { SECTION_MARK } from '../../engine/facts/script.js'

/** What the facts script prints: each section after its marker line, ending with `end`. */
function output(sections: Record<string, string>): string {
  return [...Object.entries(sections), ['end', '']].map(([name, body]) => `\n${SECTION_MARK}${name}@@\n${body}`).join('\n')
}

const DEBIAN_12 = `PRETTY_NAME="Debian GNU/Linux 12 (bookworm)"
NAME="Debian GNU/Linux"
VERSION_ID="12"
VERSION="12 (bookworm)"
VERSION_CODENAME=bookworm
ID=debian
HOME_URL="https://www.debian.org/"
SUPPORT_URL="https://www.debian.org/support"
BUG_REPORT_URL="https://bugs.debian.org/"`

const UBUNTU_2204 = `PRETTY_NAME="Ubuntu 22.04.4 LTS"
NAME="Ubuntu"
VERSION_ID="22.04"
VERSION="22.04.4 LTS (Jammy Jellyfish)"
VERSION_CODENAME=jammy
ID=ubuntu
ID_LIKE=debian
HOME_URL="https://www.ubuntu.com/"
UBUNTU_CODENAME=jammy`

const ROCKY_93 = `NAME="Rocky Linux"
VERSION="9.3 (Blue Onyx)"
ID="rocky"
ID_LIKE="rhel centos fedora"
VERSION_ID="9.3"
PLATFORM_ID="platform:el9"
PRETTY_NAME="Rocky Linux 9.3 (Blue Onyx)"
ANSI_COLOR="0;32"
CPE_NAME="cpe:/o:rocky:rocky:9::baseos"
REDHAT_SUPPORT_PRODUCT="Rocky Linux"
REDHAT_SUPPORT_PRODUCT_VERSION="9.3"`

const ALPINE_319 = `NAME="Alpine Linux"
ID=alpine
VERSION_ID=3.19.1
PRETTY_NAME="Alpine Linux v3.19"
HOME_URL="https://alpinelinux.org/"`

const debianHost = output({
  env: 'HOME=/root\0MULTI=line one\nline two\0LANG=C.UTF-8\0',
  uname: 'Linux\n6.1.0-18-amd64\nx86_64\ndb1\n#1 SMP PREEMPT_DYNAMIC Debian 6.1.76-1 (2024-02-01)\n',
  fqdn: 'db1.prod.example.com\n',
  os_release: `${DEBIAN_12}\n`,
  debian_version: '12.5\n',
  user: 'deploy\ndeploy:x:1001:1001:Deploy User,,,:/home/deploy:/bin/bash\n',
  date: '1714564800|2024|05|01|14|00|00|+0200|Wednesday|CEST\n',
  cpu: 'processors=8\nsockets=2\nnproc=8\ncpu cores\t: 2\nsiblings\t: 4\nmodel name\t: Intel(R) Xeon(R) Gold 6230 CPU @ 2.10GHz\n',
  meminfo: 'MemTotal:       16384000 kB\nMemFree:         1024000 kB\nMemAvailable:    8192000 kB\nSwapTotal:       2097148 kB\nSwapFree:        2097148 kB\n',
  init: 'systemd\n',
  pkg: 'apt-get\n',
  route: 'default via 10.20.0.1 dev ens18 proto static metric 100 \ndefault via 10.30.0.1 dev ens19 metric 200 \n',
  addr:
    '1: lo    inet 127.0.0.1/8 scope host lo\\       valid_lft forever preferred_lft forever\n' +
    '2: ens18    inet 192.168.5.4/24 brd 192.168.5.255 scope global ens18\\       valid_lft forever preferred_lft forever\n' +
    '2: ens18    inet 10.20.0.15/16 brd 10.20.255.255 scope global ens18\\       valid_lft forever preferred_lft forever\n' +
    '3: ens19    inet 10.30.0.7/24 brd 10.30.0.255 scope global ens19\\       valid_lft forever preferred_lft forever\n',
  links: 'ens18 bc:24:11:aa:bb:cc\nens19 bc:24:11:dd:ee:ff\nlo 00:00:00:00:00:00\n',
  virt: 'detect=kvm\n',
})

describe('a Debian 12 host', () => {
  const facts = parseFacts(debianHost)

  it('names the distribution as Ansible does, with the point release from debian_version', () => {
    expect(facts).toMatchObject({
      ansible_distribution: 'Debian',
      ansible_distribution_version: '12.5',
      ansible_distribution_major_version: '12',
      ansible_distribution_release: 'bookworm',
      ansible_os_family: 'Debian',
      ansible_pkg_mgr: 'apt',
      ansible_service_mgr: 'systemd',
      ansible_system: 'Linux',
      ansible_kernel: '6.1.0-18-amd64',
      ansible_architecture: 'x86_64',
    })
  })

  it('splits host names', () => {
    expect(facts).toMatchObject({ ansible_hostname: 'db1', ansible_nodename: 'db1', ansible_fqdn: 'db1.prod.example.com', ansible_domain: 'prod.example.com' })
  })

  it('takes the default route with the best metric and the address in the gateway subnet', () => {
    expect(facts.ansible_default_ipv4).toEqual({
      address: '10.20.0.15',
      interface: 'ens18',
      gateway: '10.20.0.1',
      netmask: '255.255.0.0',
      network: '10.20.0.0',
      broadcast: '10.20.255.255',
      prefix: '16',
      macaddress: 'bc:24:11:aa:bb:cc',
    })
    expect(facts.ansible_all_ipv4_addresses).toEqual(['192.168.5.4', '10.20.0.15', '10.30.0.7'])
    expect(facts.ansible_interfaces).toEqual(['ens18', 'ens19', 'lo'])
  })

  it('counts processors and memory as numbers', () => {
    expect(facts).toMatchObject({
      ansible_processor_vcpus: 8,
      ansible_processor_count: 2,
      ansible_processor_cores: 2,
      ansible_processor_threads_per_core: 2,
      ansible_memtotal_mb: 16000,
      ansible_memfree_mb: 1000,
      ansible_swaptotal_mb: 2047,
    })
  })

  it('reads the user, the environment (multi-line values too), the clock and virtualization', () => {
    expect(facts).toMatchObject({ ansible_user_id: 'deploy', ansible_user_uid: 1001, ansible_user_dir: '/home/deploy', ansible_user_shell: '/bin/bash' })
    expect(facts.ansible_env).toEqual({ HOME: '/root', MULTI: 'line one\nline two', LANG: 'C.UTF-8' })
    expect(facts.ansible_date_time).toMatchObject({ epoch: '1714564800', iso8601: '2024-05-01T12:00:00Z', date: '2024-05-01', time: '14:00:00', tz: 'CEST', tz_offset: '+0200' })
    expect(facts).toMatchObject({ ansible_virtualization_type: 'kvm', ansible_virtualization_role: 'guest' })
  })
})

describe('distributions', () => {
  it.each([
    [UBUNTU_2204, 'bookworm/sid', { ansible_distribution: 'Ubuntu', ansible_distribution_version: '22.04', ansible_distribution_major_version: '22', ansible_distribution_release: 'jammy', ansible_os_family: 'Debian' }],
    [ROCKY_93, undefined, { ansible_distribution: 'Rocky', ansible_distribution_version: '9.3', ansible_distribution_major_version: '9', ansible_distribution_release: 'Blue Onyx', ansible_os_family: 'RedHat' }],
    [ALPINE_319, undefined, { ansible_distribution: 'Alpine', ansible_distribution_version: '3.19.1', ansible_distribution_major_version: '3', ansible_distribution_release: 'NA', ansible_os_family: 'Alpine' }],
    ['ID=mydistro\nNAME="My Distro"\nID_LIKE="rhel fedora"\nVERSION_ID=1', undefined, { ansible_distribution: 'My Distro', ansible_os_family: 'RedHat' }],
  ])('%#: maps os-release as Ansible does', (osRelease, debianVersion, expected) => {
    expect(distributionFacts(parseOsRelease(osRelease), debianVersion)).toMatchObject(expected)
  })

  it('unquotes os-release values with shell escapes', () => {
    expect(parseOsRelease(`A="say \\"hi\\" \\$x"\nB='single'\n# comment\nC=bare`)).toEqual({ A: 'say "hi" $x', B: 'single', C: 'bare' })
  })
})

describe('a minimal host without iproute2 (Alpine, busybox)', () => {
  const facts = parseFacts(
    output({
      env: 'HOME=/root\nPATH=/usr/bin:/bin\n',
      uname: 'Linux\n6.6.14-0-lts\naarch64\nedge-7\n#1-Alpine SMP\n',
      fqdn: 'edge-7\n',
      os_release: ALPINE_319,
      user: 'root\nroot:x:0:0:root:/root:/bin/ash\n',
      date: '1714564800|2024|05|01|12|00|00|+0000|Wednesday|UTC\n',
      cpu: 'processors=4\nsockets=0\nnproc=4\n',
      meminfo: 'MemTotal:        1000000 kB\nMemFree:          500000 kB\n',
      init: 'openrc\n',
      pkg: 'apk\n',
      route:
        '#proc\nIface\tDestination\tGateway \tFlags\tRefCnt\tUse\tMetric\tMask\t\tMTU\tWindow\tIRTT\n' +
        'eth0\t00000000\t010200C0\t0003\t0\t0\t0\t00000000\t0\t0\t0\n' +
        'eth0\t000200C0\t00000000\t0001\t0\t0\t0\t00FFFFFF\t0\t0\t0\n',
      addr: '#hostname\n192.0.2.2 fd00::2 \n',
      links: 'eth0 02:fc:00:00:00:01\nlo 00:00:00:00:00:00\n',
      virt: 'detect=\ndockerenv\n',
    }),
  )

  it('falls back to /proc/net/route and hostname -I', () => {
    expect(facts.ansible_default_ipv4).toEqual({ address: '192.0.2.2', interface: 'eth0', gateway: '192.0.2.1', macaddress: '02:fc:00:00:00:01' })
    expect(facts.ansible_all_ipv4_addresses).toEqual(['192.0.2.2'])
  })

  it('reads newline-separated env, ARM processors, openrc, apk and docker', () => {
    expect(facts.ansible_env).toEqual({ HOME: '/root', PATH: '/usr/bin:/bin' })
    expect(facts).toMatchObject({
      ansible_architecture: 'aarch64',
      ansible_processor_vcpus: 4,
      ansible_processor_count: 1,
      ansible_processor_cores: 4,
      ansible_service_mgr: 'openrc',
      ansible_pkg_mgr: 'apk',
      ansible_virtualization_type: 'docker',
      ansible_domain: '',
    })
  })
})

describe('edge cases', () => {
  it('has an empty default_ipv4 without a default route, as Ansible', () => {
    expect(parseFacts(output({ route: '', addr: '', links: '' })).ansible_default_ipv4).toEqual({})
    expect(parseDefaultRoute('default dev wg0 scope link\n')).toEqual({ gateway: '', interface: 'wg0' })
  })

  it('prefers dnf over yum on RedHat and reports unknowns honestly', () => {
    const rocky = parseFacts(output({ os_release: ROCKY_93, pkg: 'dnf\nyum\n', init: 'init\n' }))
    expect(rocky).toMatchObject({ ansible_pkg_mgr: 'dnf', ansible_service_mgr: 'sysvinit', ansible_virtualization_type: 'NA' })
  })

  it('names the python the host runs as Ansible does, and none on a host without one', () => {
    const facts = parseFacts(output({ python: '/usr/bin/python3\n3 11 2 final 0\ncpython\nTrue\n' }))
    expect(facts['ansible_python']).toEqual({
      executable: '/usr/bin/python3',
      has_sslcontext: true,
      type: 'cpython',
      version: { major: 3, minor: 11, micro: 2, releaselevel: 'final', serial: 0 },
      version_info: [3, 11, 2, 'final', 0],
    })
    expect(facts['ansible_python_version']).toBe('3.11.2')
    expect(parseFacts(output({ python: '' }))).not.toHaveProperty('ansible_python')
  })

  it('refuses truncated output instead of returning half the facts', () => {
    expect(() => parseFacts(debianHost.slice(0, debianHost.indexOf(`${SECTION_MARK}end`)))).toThrow(/incomplete/)
  })
})

describe('ansible_fips', () => {
  it('is true only when the kernel says 1, as Ansible’s fips collector', () => {
    expect(parseFacts(output({ fips: '1' })).ansible_fips).toBe(true)
    expect(parseFacts(output({ fips: '0' })).ansible_fips).toBe(false)
    expect(parseFacts(output({})).ansible_fips, 'no /proc/sys/crypto/fips_enabled').toBe(false)
  })
})
