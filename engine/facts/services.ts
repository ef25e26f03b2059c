/**
 * A service's state in one round trip: for systemd, `systemctl show` (every property, which
 * the module returns as `status`, as Ansible does) and `systemctl is-enabled`, plus the
 * SysV init script checks Ansible makes for units backed by /etc/init.d; for SysV init
 * hosts, the script's status and its rc.d links.
 */
import { defineFact } from '../module.js'
import { sh } from '../quote.js'

export interface UnitState {
  /** `systemctl show` properties. */
  status: Record<string, string>
  showRc: number
  /** What `systemctl show` printed, stderr included (for "request ignored" and bus errors). */
  showText: string
  /** `systemctl is-enabled` output and exit code (4 or 1 when there is no such unit). */
  enabledOut: string
  enabledRc: number
  /** /etc/init.d/NAME exists. */
  initd: boolean
  /** /etc/rc?.d/S??NAME exists. */
  sysvEnabled: boolean
}

const MARK = '@@tsplay:'

/** Keyed by the full unit name (`ssh.service`, `getty@tty1.service`); init scripts are looked up without `.service`. */
export const unitFact = defineFact<UnitState, string>({
  name: 'systemd-unit',
  command: (unit) => sh`u=${unit}; n=\${u%.service}; m=${MARK}
systemctl show -- "$u" 2>&1; r=$?; echo; echo "\${m}show $r"
systemctl is-enabled -l -- "$u" 2>/dev/null; echo "\${m}enabled $?"
[ -e "/etc/init.d/$n" ] && echo "\${m}initd"
for f in /etc/rc?.d/S??"$n"; do [ -e "$f" ] && { echo "\${m}sysv"; break; }; done; :`,
  parse: (result) => parseUnitOutput(result.stdout),
})

/** Splits the fact script's output; exported for unit tests. */
export function parseUnitOutput(text: string): UnitState {
  const showLines: string[] = []
  const enabledLines: string[] = []
  const state: UnitState = { status: {}, showRc: 0, showText: '', enabledOut: '', enabledRc: 1, initd: false, sysvEnabled: false }
  let section: 'show' | 'enabled' = 'show'
  for (const line of text.split('\n')) {
    if (!line.startsWith(MARK)) {
      ;(section === 'show' ? showLines : enabledLines).push(line)
      continue
    }
    const [word = '', ...rest] = line.slice(MARK.length).split(' ')
    const value = rest.join(' ')
    if (word === 'show') {
      state.showRc = Number(value)
      section = 'enabled'
    } else if (word === 'enabled') {
      state.enabledRc = Number(value)
    } else if (word === 'initd') state.initd = true
    else if (word === 'sysv') state.sysvEnabled = true
  }
  state.status = parseSystemctlShow(showLines)
  state.showText = showLines.join('\n').trim()
  state.enabledOut = enabledLines.join('\n').trim()
  return state
}

/**
 * `KEY=VALUE` lines, as Ansible's parse_systemctl_show: only Exec* values that start with `{`
 * may span lines (a Description may start with `{` and not end with `}`).
 */
export function parseSystemctlShow(lines: readonly string[]): Record<string, string> {
  const parsed: Record<string, string> = {}
  let key: string | undefined
  let multi: string[] = []
  for (const line of lines) {
    if (key === undefined) {
      const eq = line.indexOf('=')
      if (eq < 0) continue
      const k = line.slice(0, eq)
      const v = line.slice(eq + 1)
      if (k.startsWith('Exec') && v.trimStart().startsWith('{') && !v.trimEnd().endsWith('}')) {
        key = k
        multi = [v]
        continue
      }
      parsed[k] = v.trim()
    } else {
      multi.push(line)
      if (line.trimEnd().endsWith('}')) {
        parsed[key] = multi.join('\n').trim()
        key = undefined
        multi = []
      }
    }
  }
  return parsed
}

export interface SysvState {
  /** /etc/init.d/NAME is there and executable. */
  exists: boolean
  /** `service NAME status` exited 0. */
  running: boolean
  /** A start link in some runlevel. */
  enabled: boolean
}

export const sysvServiceFact = defineFact<SysvState, string>({
  name: 'sysv-service',
  command: (name) => sh`n=${name}
if [ -x "/etc/init.d/$n" ]; then echo exists; fi
if command -v service >/dev/null 2>&1; then service "$n" status >/dev/null 2>&1; else "/etc/init.d/$n" status >/dev/null 2>&1; fi
echo "status $?"
for f in /etc/rc?.d/S??"$n"; do [ -e "$f" ] && { echo enabled; break; }; done; :`,
  parse: (result) => parseSysvOutput(result.stdout),
})

export function parseSysvOutput(text: string): SysvState {
  const lines = text.split('\n').map((l) => l.trim())
  return {
    exists: lines.includes('exists'),
    running: lines.includes('status 0'),
    enabled: lines.includes('enabled'),
  }
}
