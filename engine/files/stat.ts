/**
 * One fact that reads everything a file module needs about a path in one round trip:
 * its stat (Ansible's field names), optionally a checksum, and its content.
 *
 * The remote script prints a header line, then `field NAME LENGTH\nVALUE\n` records
 * (length-prefixed under LC_ALL=C, so link targets with any bytes survive), then the
 * content last, raw, read from stdoutBytes.
 */
import { ModuleError } from '../errors.js'
import { defineFact } from '../module.js'
import { sh } from '../quote.js'
import type { ExecResult } from '../connection/types.js'
import { sha1 } from './diff.js'
import { formatMode } from './mode.js'

export const CHECKSUM_ALGORITHMS = ['md5', 'sha1', 'sha224', 'sha256', 'sha384', 'sha512'] as const
export type ChecksumAlgorithm = (typeof CHECKSUM_ALGORITHMS)[number]

export interface PathQuery {
  path: string
  /** Stat the target of a symlink rather than the link (a broken link then reads as absent). */
  follow?: boolean
  checksum?: ChecksumAlgorithm
  /** Read a regular file's bytes when it is at most this many bytes. */
  contentMax?: number
}

/** Ansible's stat result. Present fields only when `exists`; `checksum` is sha1 unless another algorithm was asked for. */
export interface StatResult {
  exists: boolean
  path: string
  mode?: string
  isreg?: boolean
  isdir?: boolean
  islnk?: boolean
  ischr?: boolean
  isblk?: boolean
  isfifo?: boolean
  issock?: boolean
  uid?: number
  gid?: number
  pw_name?: string
  gr_name?: string
  size?: number
  atime?: number
  mtime?: number
  ctime?: number
  inode?: number
  nlink?: number
  dev?: number
  readable?: boolean
  writeable?: boolean
  executable?: boolean
  isuid?: boolean
  isgid?: boolean
  lnk_target?: string
  lnk_source?: string
  checksum?: string
  [key: string]: unknown
}

export interface PathInfo {
  stat: StatResult
  /** As Ansible's file module names it: 'hard' is a non-directory with more than one link. */
  state: 'file' | 'directory' | 'link' | 'hard' | 'absent'
  /** Permission bits, or 0 when absent. */
  perm: number
  /** The remote shell's umask (for new files and symbolic modes). */
  umask: number
  /** Where a symlink finally leads (readlink -f), when the path is one. */
  realPath?: string
  /** The bytes, when asked for and small enough. */
  content?: Buffer
  /** Asked for content but the file is larger than contentMax. */
  contentTooBig?: boolean
}

const FIELD = /^field (\S+) (\d+)$/

export const pathFact = defineFact<PathInfo, PathQuery>({
  name: 'path',
  command: (q) => {
    const statCmd = q.follow ? sh`stat -L` : sh`stat`
    const checksum = q.checksum
      ? sh`if [ -f "$p" ] && [ -r "$p" ]; then c=$(${q.checksum + 'sum'} < "$p") || exit 1; f checksum "\${c%% *}"; fi`
      : sh`:`
    const content =
      q.contentMax !== undefined
        ? sh`if [ -f "$p" ]; then if [ "$(stat -L -c %s -- "$p")" -le ${q.contentMax} ]; then echo content; exec cat -- "$p"; else echo toobig; fi; fi`
        : sh`:`
    return sh`export LC_ALL=C; p=${q.path}
command -v stat >/dev/null 2>&1 || { echo 'tsplay: the stat command (GNU coreutils) is missing on this host' >&2; exit 127; }
f() { printf 'field %s %s\\n%s\\n' "$1" "\${#2}" "$2"; }
f umask "$(umask)"
if { [ -e "$p" ] || [ -L "$p" ]; } && { [ -e "$p" ] || ${q.follow ? sh`false` : sh`true`}; }; then
  ${statCmd} -c 'stat %f %u %g %s %X %Y %Z %i %h %d %U %G' -- "$p" || exit 1
  a=; for t in r w x; do if [ -$t "$p" ]; then a=$a$t; else a=$a-; fi; done; echo "access $a"
  if [ -L "$p" ]; then
    t=$(readlink -- "$p"; echo .); f lnk_target "\${t%??}"
    t=$(readlink -f -- "$p"; echo .); f lnk_source "\${t%??}"
  fi
  ${checksum}
  ${content}
else
  echo absent
fi`
  },
  parse: (result, q) => parsePathOutput(result, q),
})

/** Parses the fact's output; exported for unit tests. */
export function parsePathOutput(result: Pick<ExecResult, 'stdoutBytes' | 'stderr' | 'code'>, q: PathQuery): PathInfo {
  if (result.code !== 0) {
    throw new ModuleError(`cannot read ${q.path}: ${result.stderr.trim() || `exit code ${String(result.code)}`}`, {
      rc: result.code,
      stderr: result.stderr,
    })
  }
  const buf = result.stdoutBytes
  let pos = 0
  const nextLine = (): string | undefined => {
    if (pos >= buf.length) return undefined
    const end = buf.indexOf(0x0a, pos)
    const stop = end === -1 ? buf.length : end
    const line = buf.subarray(pos, stop).toString('utf8')
    pos = stop + 1
    return line
  }
  const fields = new Map<string, string>()
  const info: PathInfo = { stat: { exists: false, path: q.path }, state: 'absent', perm: 0, umask: 0o022 }
  for (let line = nextLine(); line !== undefined; line = nextLine()) {
    const field = FIELD.exec(line)
    if (field) {
      const len = Number(field[2])
      fields.set(field[1] ?? '', buf.subarray(pos, pos + len).toString('utf8'))
      pos += len + 1
    } else if (line.startsWith('stat ')) {
      Object.assign(info, parseStatLine(line, q.path))
    } else if (line.startsWith('access ')) {
      const a = line.slice(7)
      Object.assign(info.stat, { readable: a[0] === 'r', writeable: a[1] === 'w', executable: a[2] === 'x' })
    } else if (line === 'content') {
      info.content = Buffer.from(buf.subarray(pos))
      break
    } else if (line === 'toobig') {
      info.contentTooBig = true
    }
  }
  const umask = fields.get('umask')
  if (umask !== undefined && /^[0-7]+$/.test(umask)) info.umask = parseInt(umask, 8)
  const checksum = fields.get('checksum')
  // The sha1 is known whenever the bytes are: no need to have the host compute it.
  if (checksum !== undefined) info.stat.checksum = checksum
  else if (info.content && q.checksum === undefined) info.stat.checksum = sha1(info.content)
  const source = fields.get('lnk_source')
  if (source !== undefined) info.realPath = source
  // Followed, the stat is the target's: Ansible then reports no link fields.
  if (!q.follow && source !== undefined) {
    info.stat.lnk_source = source
    info.stat.lnk_target = fields.get('lnk_target') ?? ''
  }
  return info
}

const S_IFMT = 0o170000
const TYPES: Record<number, keyof StatResult> = {
  0o100000: 'isreg',
  0o040000: 'isdir',
  0o120000: 'islnk',
  0o020000: 'ischr',
  0o060000: 'isblk',
  0o010000: 'isfifo',
  0o140000: 'issock',
}

/** `stat %f %u %g %s %X %Y %Z %i %h %d %U %G` -> Ansible's stat fields. */
export function parseStatLine(line: string, path: string): Pick<PathInfo, 'stat' | 'state' | 'perm'> {
  const [, rawMode = '0', uid, gid, size, atime, mtime, ctime, inode, nlink, dev, user = '', group = ''] = line.split(' ')
  const full = parseInt(rawMode, 16)
  const perm = full & 0o7777
  const stat: StatResult = {
    exists: true,
    path,
    mode: formatMode(perm),
    uid: Number(uid),
    gid: Number(gid),
    pw_name: user,
    gr_name: group,
    size: Number(size),
    atime: Number(atime),
    mtime: Number(mtime),
    ctime: Number(ctime),
    inode: Number(inode),
    nlink: Number(nlink),
    dev: Number(dev),
  }
  for (const [type, key] of Object.entries(TYPES)) stat[key] = (full & S_IFMT) === Number(type)
  const bit = (mask: number): boolean => (perm & mask) !== 0
  Object.assign(stat, {
    isuid: bit(0o4000),
    isgid: bit(0o2000),
    rusr: bit(0o400),
    wusr: bit(0o200),
    xusr: bit(0o100),
    rgrp: bit(0o40),
    wgrp: bit(0o20),
    xgrp: bit(0o10),
    roth: bit(0o4),
    woth: bit(0o2),
    xoth: bit(0o1),
  })
  const state = stat.isdir ? 'directory' : stat.islnk ? 'link' : Number(nlink) > 1 ? 'hard' : 'file'
  return { stat, state, perm }
}

/**
 * What Ansible's AnsibleModule.add_path_info adds to the result of a module that returns a
 * `path` or `dest` (file, copy, tempfile): the path's owner, mode, type and size, from lstat.
 * A path that does not exist adds only `state: absent`. An owner the host has no name for is
 * its number, as Ansible's str(uid).
 */
export function pathResultFields(info: PathInfo): Record<string, unknown> {
  const { stat } = info
  if (!stat.exists) return { state: 'absent' }
  const name = (value: string | undefined, id: number | undefined): string => (value === undefined || value === 'UNKNOWN' ? String(id) : value)
  return {
    uid: stat.uid,
    gid: stat.gid,
    owner: name(stat.pw_name, stat.uid),
    group: name(stat.gr_name, stat.gid),
    // '0%03o', where stat's own field is '%04o': a setuid file is 04755 here, 4755 there.
    mode: `0${info.perm.toString(8).padStart(3, '0')}`,
    state: info.state,
    size: stat.size,
  }
}
