/**
 * sysctl's decisions as pure functions, with ansible.posix.sysctl's exact rules: how it
 * reads and rewrites the file (every line stripped, `key=value` without spaces, a key's
 * later duplicates dropped), how it compares the live value (word by word, so
 * "20000 60999" equals "20000\t60999"), and when it writes, sets and reloads.
 */

const TRUE_WORDS = new Set(['y', 'yes', 'on', '1', 'true', 't'])
const FALSE_WORDS = new Set(['n', 'no', 'off', '0', 'false', 'f'])

/** Ansible's _parse_value: booleans become 1/0, anything else is trimmed. */
export function normalizeSysctlValue(value: string | undefined): string {
  if (value === undefined) return ''
  const lower = value.toLowerCase()
  if (TRUE_WORDS.has(lower)) return '1'
  if (FALSE_WORDS.has(lower)) return '0'
  return value.trim()
}

/** Ansible's _values_is_equal: the same whitespace-separated words in the same order. */
export function sameSysctlValue(a: string | null, b: string | null): boolean {
  if (a === null || b === null) return false
  const x = a.split(/\s+/).filter((w) => w !== '')
  const y = b.split(/\s+/).filter((w) => w !== '')
  return x.length === y.length && x.every((w, i) => w === y[i])
}

const isSetting = (line: string): boolean => line !== '' && !line.startsWith('#') && !line.startsWith(';') && line.includes('=')

function splitSetting(line: string): [string, string] {
  const eq = line.indexOf('=')
  return [line.slice(0, eq).trim(), line.slice(eq + 1).trim()]
}

/** The value the file gives a key (the last line for it wins, as when sysctl reads the file). */
export function fileValue(content: string, name: string): string | null {
  let value: string | null = null
  for (const raw of splitLines(content)) {
    const line = raw.trim()
    if (!isSetting(line)) continue
    const [k, v] = splitSetting(line)
    if (k === name) value = v
  }
  return value
}

function splitLines(content: string): string[] {
  if (content === '') return []
  const lines = content.split('\n')
  if (lines[lines.length - 1] === '') lines.pop()
  return lines
}

/** The file as Ansible rewrites it for this key (present: set or appended; absent: dropped). */
export function rewriteSysctlFile(content: string, name: string, value: string, state: 'present' | 'absent'): string {
  const out: string[] = []
  const seen = new Set<string>()
  for (const raw of splitLines(content)) {
    const line = raw.trim()
    if (!isSetting(line)) {
      out.push(line)
      continue
    }
    const [k, v] = splitSetting(line)
    if (seen.has(k)) continue
    seen.add(k)
    if (k !== name) out.push(`${k}=${v}`)
    else if (state === 'present') out.push(`${k}=${value}`)
  }
  if (!seen.has(name) && state === 'present') out.push(`${name}=${value}`)
  return out.map((l) => `${l}\n`).join('')
}

export interface SysctlDecision {
  changed: boolean
  /** The file must be rewritten. */
  write: boolean
  /** `sysctl -w` must set the live value (sysctl_set). */
  setLive: boolean
  /** `sysctl -p FILE` runs (reload and something changed). */
  reload: boolean
}

export function decideSysctl(
  a: { name: string; value: string; state: 'present' | 'absent'; reload: boolean; sysctl_set: boolean },
  inFile: string | null,
  live: string | null,
): SysctlDecision {
  let changed = false
  let write = false
  let setLive = false
  if (inFile === null && a.state === 'present') changed = write = true
  else if (inFile !== null && a.state === 'absent') changed = write = true
  else if (inFile !== null && inFile !== a.value) changed = write = true
  else if (inFile !== null && a.reload && !sameSysctlValue(live, a.value)) changed = true
  if (a.sysctl_set && a.state === 'present' && !sameSysctlValue(live, a.value)) {
    changed = true
    // Ansible cannot set a key the kernel does not have; it only reports the change.
    setLive = live !== null
  }
  return { changed, write, setLive, reload: changed && a.reload }
}
