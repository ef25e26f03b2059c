/**
 * The host's package and service managers, for `package` and `service` when facts were not
 * gathered (with gathered facts they read ansible_pkg_mgr / ansible_service_mgr instead).
 * Names as Ansible's facts give them: apt, dnf, yum, ...; systemd, sysvinit, openrc, ...
 */
import { defineFact } from '../module.js'
import { sh } from '../quote.js'

export const pkgMgrFact = defineFact<string, ''>({
  name: 'pkg-mgr',
  command: () => sh`for p in apt-get dnf5 dnf yum zypper apk pacman; do command -v "$p" >/dev/null 2>&1 && { echo "$p"; exit 0; }; done; echo unknown`,
  parse: (result) => {
    const bin = result.stdout.trim()
    return bin === 'apt-get' ? 'apt' : bin || 'unknown'
  },
})

export const serviceMgrFact = defineFact<string, ''>({
  name: 'service-mgr',
  command: () => sh`if [ -d /run/systemd/system ]; then echo systemd
elif [ -x /sbin/openrc-run ] || command -v openrc >/dev/null 2>&1; then echo openrc
else cat /proc/1/comm 2>/dev/null || echo unknown; fi`,
  parse: (result) => {
    const name = result.stdout.trim()
    return name === 'init' ? 'sysvinit' : name || 'unknown'
  },
})
