/**
 * mount: a file system's fstab entry and mount state (ansible.posix.mount). The fstab is
 * edited on the controller and written atomically (with a diff); the live state comes
 * from /proc/self/mountinfo. A mount that fails puts the old fstab back, as Ansible does.
 */
import { isAbsolute } from 'node:path'
import { defineModule, type ApplyContext } from '../../engine/module.js'
import type { FileDiff } from '../../engine/diff.js'
import { mountsFact } from '../../engine/facts/mounts.js'
import { contentDiff } from '../../engine/files/diff.js'
import { predictPath } from '../../engine/files/predict.js'
import { readPath } from '../../engine/files/read.js'
import { joinCommands, sh, type ShellCommand } from '../../engine/quote.js'
import { decideMount, type FstabEntry, type MountDecision, type MountState } from './fstab.js'
import { predictWrite } from '../_shared/put-file.js'

const args = {
  path: { type: 'path', required: true, aliases: ['name'], description: 'The mount point (absolute).' },
  src: { type: 'path', description: "What to mount: a device, 'tmpfs', 'server:/export', a directory for a bind mount." },
  fstype: { type: 'str', description: "The file system type ('ext4', 'tmpfs', 'nfs', 'none' with opts=bind)." },
  opts: { type: 'str', default: 'defaults', description: "Mount options, comma-separated ('defaults', 'size=1m,mode=0755', 'bind')." },
  dump: { type: 'str', default: '0', description: 'The fstab dump field.' },
  passno: { type: 'str', default: '0', description: 'The fstab fsck pass field.' },
  state: {
    type: 'str',
    required: true,
    choices: ['mounted', 'present', 'unmounted', 'absent', 'absent_from_fstab', 'remounted'],
    description: 'mounted: in fstab and mounted; present: in fstab only; unmounted: not mounted (fstab untouched); absent: neither (the mount point is removed); remounted: remount now.',
  },
  fstab: { type: 'path', default: '/etc/fstab', description: 'The fstab file to edit.' },
  boot: { type: 'bool', default: true, description: "Mount at boot; false adds 'noauto' to the options." },
  backup: { type: 'bool', default: false, description: 'Keep a timestamped copy of the fstab before changing it.' },
} as const

/** A command apply runs, and the words its failure starts with. */
interface Step {
  command: ShellCommand
  what: string
}

interface Data {
  d: MountDecision
  before: string
  fstabTarget: string
  mkdir: Step | undefined
  op: Step | undefined
  rmdir: Step | undefined
}

function entryOf(a: { path: string; src?: string | undefined; fstype?: string | undefined; opts: string; dump: string; passno: string; boot: boolean }): FstabEntry {
  const opts = a.opts.split(',')
  return { name: a.path, src: a.src ?? '', fstype: a.fstype ?? '', opts: !a.boot && !opts.includes('noauto') ? [...opts, 'noauto'].join(',') : a.opts, dump: a.dump, passno: a.passno }
}

/** mkdir -p that prints each directory it creates. */
function mkdirs(path: string): ShellCommand {
  const parts = path.split('/').filter((p) => p !== '')
  const dirs = parts.map((_, i) => `/${parts.slice(0, i + 1).join('/')}`)
  return joinCommands(dirs.map((dir) => sh`if [ ! -e ${dir} ]; then mkdir -- ${dir} || exit 1; printf '%s\n' ${dir}; fi`), ';')
}

async function run(ctx: ApplyContext, { command, what }: Step): Promise<string> {
  const res = await ctx.run(command, { env: { LC_ALL: 'C' }, failure: (out) => `${what}: ${`${out.stdout}${out.stderr}`.trim()}` })
  return res.stdout
}

type MountArgs = { path: string; state: string; opts: string; fstab: string }

/** The commands a decision takes: make the mount point, (re/un)mount, take the mount point away. */
function mountSteps(a: MountArgs, d: MountDecision): Pick<Data, 'mkdir' | 'op' | 'rmdir'> {
  const t = a.fstab !== '/etc/fstab' ? sh` -T ${a.fstab}` : sh``
  return {
    mkdir: d.mkdir ? { command: mkdirs(a.path), what: `Error making dir ${a.path}` } : undefined,
    op: mountOp(a, d, t),
    rmdir: d.rmdir ? { command: sh`rmdir -- ${a.path}`, what: `Error rmdir ${a.path}` } : undefined,
  }
}

function mountOp(a: MountArgs, d: MountDecision, t: ShellCommand): Step | undefined {
  if (d.op === 'umount') return { command: sh`umount -- ${a.path}`, what: `Error unmounting ${a.path}` }
  if (d.op === 'mount') return { command: sh`mount${t} ${a.path}`, what: `Error mounting ${a.path}` }
  if (d.op !== 'remount') return undefined
  const opts = a.state === 'remounted' && a.opts !== 'defaults' ? `remount,${a.opts}` : 'remount'
  // Remount in place; if the file system cannot, unmount and mount (not when new options were asked for).
  const fallback = opts === 'remount' ? sh`|| { umount -- ${a.path} && mount${t} ${a.path}; }` : sh``
  return { command: sh`mount -o ${opts}${t} ${a.path} ${fallback}`, what: `Error remounting ${a.path}` }
}

export default defineModule({
  name: 'mount',
  description: 'Manages a mount point: its /etc/fstab entry (edited atomically, with a diff) and whether it is mounted.',
  args,
  requiredIf: [
    ['state', 'mounted', ['src', 'fstype']],
    ['state', 'present', ['src', 'fstype']],
  ],
  async plan(ctx, a) {
    if (!isAbsolute(a.path)) return { changed: false, failed: `path must be absolute: ${a.path}` }
    const entry = entryOf(a)
    const [fstab, mounts, point] = await Promise.all([readPath(ctx, a.fstab, true), ctx.fact(mountsFact, ''), readPath(ctx, a.path, true)])
    const before = fstab.content?.toString('utf8') ?? ''
    const mounted = a.path in mounts
    const d = decideMount(a.state as MountState, entry, before, mounted, point.stat.exists, a.src)
    const result = { name: a.path, src: a.src, fstype: a.fstype, opts: entry.opts, dump: a.dump, passno: a.passno, fstab: a.fstab, boot: a.boot ? 'yes' : 'no', backup_file: '' }
    if (!d.changed) return { changed: false, result }
    const diff: FileDiff[] = []
    if (d.fstab !== undefined) {
      diff.push(contentDiff(a.fstab, fstab.stat.exists ? Buffer.from(before) : { absent: true }, Buffer.from(d.fstab)))
      predictWrite(ctx, fstab.realPath ?? a.fstab, fstab, Buffer.from(d.fstab), { changes: [] }, {}, {})
    }
    const mountedAfter = d.op === 'mount' || d.op === 'remount' ? true : d.op === 'umount' ? false : mounted
    if (mountedAfter !== mounted) {
      diff.push({ header: `mount ${a.path}`, before: `mounted: ${mounted ? 'yes' : 'no'}\n`, after: `mounted: ${mountedAfter ? 'yes' : 'no'}\n` })
      const rest = Object.fromEntries(Object.entries(mounts).filter(([dst]) => dst !== a.path))
      ctx.predict(mountsFact, '', mountedAfter ? { ...rest, [a.path]: { dst: a.path, source: entry.src, root: '/', fstype: entry.fstype, opts: entry.opts } } : rest)
    }
    if (d.mkdir) predictPath(ctx, a.path, point, { state: 'directory' })
    if (d.rmdir) predictPath(ctx, a.path, point, { state: 'absent' })
    const actions = [
      ...(d.fstab !== undefined ? [`update ${a.fstab}`] : []),
      ...(d.mkdir ? [`create directory ${a.path}`] : []),
      ...(d.op !== 'none' ? [`${d.op} ${a.path}`] : []),
      ...(d.rmdir ? [`remove directory ${a.path}`] : []),
    ]
    const steps = mountSteps(a, d)
    const commands = [steps.mkdir, steps.op, steps.rmdir].flatMap((s) => (s ? [s.command] : []))
    return { changed: true, actions, diff, result, commands, data: { d, before, fstabTarget: fstab.realPath ?? a.fstab, ...steps } }
  },
  async apply(ctx, a, { d, before, fstabTarget, mkdir, op, rmdir }) {
    const out: Record<string, unknown> = {}
    // Each directory made is listed, so a failed mount can take exactly those away again.
    const made = mkdir ? (await run(ctx, mkdir)).split('\n').filter((l) => l !== '') : []
    if (d.fstab !== undefined) out['backup_file'] = (await ctx.writeFile(fstabTarget, d.fstab, { backup: a.backup })).backupFile ?? ''
    try {
      if (op) await run(ctx, op)
    } catch (err) {
      if (d.op === 'mount' && d.fstab !== undefined) await ctx.writeFile(fstabTarget, before)
      for (const dir of made.reverse()) await ctx.exec(sh`rmdir -- ${dir}`)
      throw err
    }
    if (rmdir) await run(ctx, rmdir)
    return out
  },
})
