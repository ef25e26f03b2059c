/**
 * The one POSIX sh script that gathers every fact in a single round trip. It only reads:
 * no python, no outbound traffic (the default route comes from the routing table, not from
 * asking a route to some public address). Each part prints under a section marker so the
 * parser can tell them apart; a tool that is missing just leaves its section empty.
 */
import { sh, type ShellCommand } from '../quote.js'

/** Section markers start a line of their own: `\n@@tsplay-fact:NAME@@\n`. */
export const SECTION_MARK = '@@tsplay-fact:'

/**
 * Ansible's ansible_python facts, from the interpreter its discovery would find first (only
 * reading: the script prints, imports nothing but sys and ssl). A host without python has none.
 */
const PYTHON_PROBE = `import sys
v = sys.version_info
print(sys.executable)
print(' '.join(str(x) for x in tuple(v)[:5]))
print(getattr(getattr(sys, 'implementation', None), 'name', 'cpython'))
try:
    import ssl
    print(hasattr(ssl, 'SSLContext'))
except Exception:
    print(False)`

export const FACTS_SCRIPT: ShellCommand = sh`exec 2>/dev/null
m() { printf '\\n%s%s@@\\n' ${SECTION_MARK} "$1"; }
m env
env -0 || env
LC_ALL=C
export LC_ALL
m uname
uname -s; uname -r; uname -m; uname -n; uname -v
m fqdn
hostname -f || hostname
m os_release
cat /etc/os-release || cat /usr/lib/os-release
m debian_version
cat /etc/debian_version
m user
id -un
getent passwd "$(id -un)" || grep "^$(id -un):" /etc/passwd
m date
date '+%s|%Y|%m|%d|%H|%M|%S|%z|%A|%Z'
m cpu
printf 'processors=%s\\n' "$(grep -c '^processor' /proc/cpuinfo)"
printf 'sockets=%s\\n' "$(grep '^physical id' /proc/cpuinfo | sort -u | wc -l)"
printf 'nproc=%s\\n' "$(nproc)"
grep -m1 '^cpu cores' /proc/cpuinfo
grep -m1 '^siblings' /proc/cpuinfo
grep -m1 -E '^(model name|Hardware|cpu model)' /proc/cpuinfo
m meminfo
grep -E '^(MemTotal|MemFree|MemAvailable|SwapTotal|SwapFree):' /proc/meminfo
m init
if [ -d /run/systemd/system ]; then echo systemd
elif [ -x /sbin/openrc-run ] || command -v openrc >/dev/null; then echo openrc
else cat /proc/1/comm; fi
m fips
cat /proc/sys/crypto/fips_enabled 2>/dev/null
m pkg
for p in apt-get dnf5 dnf yum zypper apk pacman emerge pkg; do command -v "$p" >/dev/null && echo "$p"; done
m route
ip -4 route show default || { echo '#proc'; cat /proc/net/route; }
m addr
ip -4 -o addr show || { echo '#hostname'; hostname -I || hostname -i; }
m links
for i in /sys/class/net/*; do [ -e "$i" ] && printf '%s %s\\n' "$(basename "$i")" "$(cat "$i/address")"; done
m virt
printf 'detect=%s\\n' "$(systemd-detect-virt)"
[ -f /.dockerenv ] && echo dockerenv
[ -f /run/.containerenv ] && echo containerenv
grep -qE 'docker|kubepods|containerd' /proc/1/cgroup && echo cgroup=docker
grep -q lxc /proc/1/cgroup && echo cgroup=lxc
m python
for p in /usr/bin/python3 python3 /usr/libexec/platform-python python; do
  command -v "$p" >/dev/null && "$p" -c ${PYTHON_PROBE} && break
done
m end
`

/** Splits the script's output into its sections (content without the surrounding newlines). */
export function splitSections(output: string): Map<string, string> {
  const sections = new Map<string, string>()
  const parts = output.split(new RegExp(`\\n${SECTION_MARK}([a-z_]+)@@\\n`))
  // parts: [before-first, name1, body1, name2, body2, ...]
  for (let i = 1; i + 1 < parts.length; i += 2) {
    const name = parts[i]
    const body = parts[i + 1]
    if (name !== undefined && body !== undefined) sections.set(name, body)
  }
  return sections
}
