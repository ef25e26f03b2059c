/**
 * Users and groups as the host resolves them (getent, so directory users count, as
 * Ansible's pwd/grp lookups do): one user with its shadow hash and whether its home
 * exists, and the whole group database (membership is a property of the groups).
 */
import { ModuleError } from '../errors.js'
import { defineFact } from '../module.js'
import { sh } from '../quote.js'

export interface UserEntry {
  name: string
  uid: number
  gid: number
  comment: string
  home: string
  shell: string
  /** The hash from /etc/shadow; null when it cannot be read (not root). */
  password: string | null
  homeExists: boolean
}

export const userFact = defineFact<UserEntry | null, string>({
  name: 'user',
  command: (name) => sh`n=${name}
if e=$(getent passwd "$n"); then
  printf 'passwd %s\\n' "$e"
  if s=$(getent shadow "$n" 2>/dev/null); then printf 'shadow %s\\n' "$s"; fi
  h=$(printf '%s\\n' "$e" | cut -d: -f6); if [ -d "$h" ]; then echo home; fi
fi; :`,
  parse: (result, name) => parseUserOutput(result.stdout, name),
})

export function parseUserOutput(text: string, name: string): UserEntry | null {
  let entry: UserEntry | null = null
  for (const line of text.split('\n')) {
    if (line.startsWith('passwd ')) {
      const [user = '', passwd = '', uid, gid, comment = '', home = '', shell = ''] = line.slice(7).split(':')
      // getent looks a number up as a uid too; only the name itself counts.
      if (user !== name) return null
      entry = { name: user, uid: Number(uid), gid: Number(gid), comment, home, shell, password: passwd.length > 1 ? passwd : null, homeExists: false }
    } else if (line.startsWith('shadow ') && entry) {
      entry.password = line.slice(7).split(':')[1] ?? null
    } else if (line === 'home' && entry) {
      entry.homeExists = true
    }
  }
  return entry
}

export interface GroupEntry {
  name: string
  gid: number
  members: string[]
}

export const groupsFact = defineFact<GroupEntry[], ''>({
  name: 'groups',
  command: () => sh`getent group`,
  parse: (result) => {
    if (result.code !== 0 && result.stdout === '') throw new ModuleError(`cannot read the group database: ${result.stderr.trim()}`, { rc: result.code })
    return parseGroups(result.stdout)
  },
})

export function parseGroups(text: string): GroupEntry[] {
  const out: GroupEntry[] = []
  for (const line of text.split('\n')) {
    const [name, , gid, members = ''] = line.split(':')
    if (!name || gid === undefined) continue
    out.push({ name, gid: Number(gid), members: members.split(',').filter((m) => m !== '') })
  }
  return out
}

/** A group by name, or by gid when given as a number (as Ansible's group_exists tries). */
export function findGroup(groups: readonly GroupEntry[], nameOrGid: string): GroupEntry | undefined {
  if (/^\d+$/.test(nameOrGid)) {
    const byGid = groups.find((g) => g.gid === Number(nameOrGid))
    if (byGid) return byGid
  }
  return groups.find((g) => g.name === nameOrGid)
}
