/** Times as Ansible's modules print them: Python's str() of a datetime and of a timedelta (command, pause). */

const pad = (n: number, width = 2): string => String(n).padStart(width, '0')

/** Ansible's `2024-05-01 12:30:00.123456` (local time). */
export function timestamp(d: Date): string {
  const date = `${d.getFullYear()}-${pad(d.getMonth() + 1)}-${pad(d.getDate())}`
  return `${date} ${pad(d.getHours())}:${pad(d.getMinutes())}:${pad(d.getSeconds())}.${pad(d.getMilliseconds() * 1000, 6)}`
}

/** Ansible's `0:00:01.234000`. */
export function delta(ms: number): string {
  const s = Math.floor(ms / 1000)
  return `${Math.floor(s / 3600)}:${pad(Math.floor(s / 60) % 60)}:${pad(s % 60)}.${pad((ms % 1000) * 1000, 6)}`
}
