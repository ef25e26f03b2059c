/**
 * mount: mountinfo read as the kernel prints it, ansible.posix.mount's fstab rules (line
 * matching, rewriting, escaping), which operations each state needs, and the module's
 * commands: the fstab written atomically, put back when a mount fails.
 */
import { describe, expect, it } from 'vitest'
import { parseMountinfo } from '../../../engine/facts/mounts.js'
import { decideMount, escapeFstab, setMount, unsetMount, type FstabEntry } from '../../../modules/mount/fstab.js'
import { ABSENT, FakeHost, fileReply, fixture, runTask, type Reply } from '../../helpers/fake-host.js'

const TMP: FstabEntry = { name: '/mnt/t', src: 'tmpfs', fstype: 'tmpfs', opts: 'size=1m', dump: '0', passno: '0' }
const FSTAB = '# UNCONFIGURED FSTAB FOR BASE SYSTEM\n'

describe('mountinfo as the kernel prints it', () => {
  it('reads every mount point with its source, type and options', () => {
    const mounts = parseMountinfo(fixture('mountinfo-container.txt'))
    expect(mounts['/run']).toMatchObject({ dst: '/run', source: 'tmpfs', fstype: 'tmpfs' })
    expect(mounts['/']).toMatchObject({ fstype: 'overlay' })
    expect(mounts['/mnt/t']).toBeUndefined()
  })

  it('unescapes octal escapes and keeps a bind mount’s root', () => {
    const m = parseMountinfo('120 92 254:0 /srv/data /mnt/my\\040data rw,relatime shared:1 - ext4 /dev/vda rw\n')
    expect(m['/mnt/my data']).toEqual({ dst: '/mnt/my data', root: '/srv/data', source: '/dev/vda', fstype: 'ext4', opts: 'rw,relatime' })
  })
})

describe("fstab edited with Ansible's rules", () => {
  it('escapes spaces, ampersands and backslashes', () => {
    expect(escapeFstab('/mnt/a b&c\\d')).toBe('/mnt/a\\040b\\046c\\134d')
  })

  it.each([
    ['appends a missing entry', FSTAB, `${FSTAB}tmpfs /mnt/t tmpfs size=1m 0 0\n`, true],
    ['keeps an entry that matches, however spaced', 'tmpfs\t/mnt/t  tmpfs size=1m 0 0\n', 'tmpfs\t/mnt/t  tmpfs size=1m 0 0\n', false],
    ['rewrites an entry with other options', 'tmpfs /mnt/t tmpfs defaults 0 0\n', 'tmpfs /mnt/t tmpfs size=1m 0 0\n', true],
    ['writes all six fields of a four-field entry', 'tmpfs /mnt/t tmpfs size=1m\n', 'tmpfs /mnt/t tmpfs size=1m 0 0\n', true],
    ['leaves other entries and comments alone', '# x\n/dev/sda1 / ext4 defaults 0 1\n', '# x\n/dev/sda1 / ext4 defaults 0 1\ntmpfs /mnt/t tmpfs size=1m 0 0\n', true],
  ])('%s', (_what, before, after, changed) => {
    expect(setMount(before, TMP)).toEqual({ content: after, changed })
  })

  it('removes only six-field entries of the mount point', () => {
    expect(unsetMount(`${FSTAB}tmpfs /mnt/t tmpfs size=1m 0 0\n/dev/sda1 / ext4 defaults 0 1\n`, '/mnt/t')).toEqual({ content: `${FSTAB}/dev/sda1 / ext4 defaults 0 1\n`, changed: true })
    expect(unsetMount(FSTAB, '/mnt/t').changed).toBe(false)
  })

  const withEntry = `${FSTAB}tmpfs /mnt/t tmpfs size=1m 0 0\n`
  it.each([
    ['mounted: not there at all', 'mounted', FSTAB, false, false, { mkdir: true, op: 'mount', changed: true }],
    ['mounted: in fstab and mounted', 'mounted', withEntry, true, true, { mkdir: false, op: 'none', changed: false }],
    ['mounted: mounted, fstab options changed -> remount', 'mounted', 'tmpfs /mnt/t tmpfs defaults 0 0\n', true, true, { op: 'remount', changed: true }],
    ['present: fstab only', 'present', FSTAB, false, false, { mkdir: false, op: 'none', changed: true }],
    ['unmounted: mounted', 'unmounted', withEntry, true, true, { op: 'umount', changed: true }],
    ['unmounted: not mounted', 'unmounted', withEntry, false, true, { op: 'none', changed: false }],
    ['absent: entry and mount', 'absent', withEntry, true, true, { op: 'umount', rmdir: true, changed: true }],
    ['absent: no entry (Ansible then leaves the mount alone)', 'absent', FSTAB, true, true, { op: 'none', changed: false }],
    ['remounted: always', 'remounted', withEntry, true, true, { op: 'remount', changed: true }],
  ] as const)('%s', (_what, state, fstab, mounted, exists, expected) => {
    expect(decideMount(state, TMP, fstab, mounted, exists)).toMatchObject(expected)
  })
})

/** A host with this fstab, /mnt/t mounted or not, and the mount point there or not. */
function mountHost(fstab: string, mounted: boolean, exists: boolean): FakeHost {
  const mountinfo = fixture('mountinfo-container.txt') + (mounted ? '300 92 0:99 / /mnt/t rw,relatime - tmpfs tmpfs rw,size=1024k\n' : '')
  return new FakeHost([
    [/p=\/etc\/fstab/, fileReply(fstab)],
    [/p=\/mnt\/t\n/, (): Reply => (exists ? { stdout: 'field umask 4\n0022\nstat 41ed 0 0 4096 1 2 3 4 2 5 root root\naccess rwx\n' } : ABSENT)],
    [/cat \/proc\/self\/mountinfo/, { stdout: mountinfo }],
    // Making and removing mount points and mounting succeed.
    [/mkdir -- |^rmdir -- |^mount /, {}],
  ])
}

describe('the mount module on a scripted host', () => {
  it('creates the mount point, writes the fstab atomically and mounts, with a diff of both', async () => {
    const host = mountHost(FSTAB, false, false)
    const r = await runTask(host, 'mount', { path: '/mnt/t', src: 'tmpfs', fstype: 'tmpfs', opts: 'size=1m', state: 'mounted' })
    expect(r.status).toBe('changed')
    expect(r.diff).toEqual([
      { header: '/etc/fstab', before: FSTAB, after: `${FSTAB}tmpfs /mnt/t tmpfs size=1m 0 0\n` },
      { header: 'mount /mnt/t', before: 'mounted: no\n', after: 'mounted: yes\n' },
    ])
    expect(host.written()[0]).toBe(`${FSTAB}tmpfs /mnt/t tmpfs size=1m 0 0\n`)
    expect(host.ran(/^mount /).map((s) => s.text)).toEqual(['mount /mnt/t'])
    expect(r.result).toMatchObject({ name: '/mnt/t', src: 'tmpfs', fstype: 'tmpfs', opts: 'size=1m', dump: '0', passno: '0', fstab: '/etc/fstab', boot: 'yes' })
  })

  it('is ok with one round of reads when fstab and mount agree', async () => {
    const host = mountHost(`${FSTAB}tmpfs /mnt/t tmpfs size=1m 0 0\n`, true, true)
    expect((await runTask(host, 'mount', { path: '/mnt/t', src: 'tmpfs', fstype: 'tmpfs', opts: 'size=1m', state: 'mounted' })).status).toBe('ok')
    expect(host.sent).toHaveLength(3)
  })

  it('puts the old fstab back and removes the directories it made when the mount fails', async () => {
    const host = mountHost(FSTAB, false, false)
      .on(/^if \[ ! -e \/mnt \]/, { stdout: '/mnt/t\n' })
      .on(/^mount \/mnt\/t/, { stderr: 'mount: /mnt/t: unknown filesystem type.\n', code: 32 })
    const r = await runTask(host, 'mount', { path: '/mnt/t', src: 'x', fstype: 'nosuchfs', state: 'mounted' })
    expect(r.status).toBe('failed')
    expect(r.msg).toBe('Error mounting /mnt/t: mount: /mnt/t: unknown filesystem type.')
    expect(host.written()).toEqual([`${FSTAB}x /mnt/t nosuchfs defaults 0 0\n`, FSTAB])
    expect(host.ran(/^rmdir/).map((s) => s.text)).toEqual(['rmdir -- /mnt/t'])
  })

  it('uses another fstab with mount -T, and adds noauto for boot=false', async () => {
    const host = mountHost(FSTAB, false, true).on(/p=\/etc\/fstab\.test/, fileReply(''))
    const r = await runTask(host, 'mount', { path: '/mnt/t', src: 'tmpfs', fstype: 'tmpfs', state: 'mounted', fstab: '/etc/fstab.test', boot: false })
    expect(r.diff[0]?.after).toBe('tmpfs /mnt/t tmpfs defaults,noauto 0 0\n')
    expect(host.ran(/^mount /).map((s) => s.text)).toEqual(['mount -T /etc/fstab.test /mnt/t'])
  })

  it('writes nothing and mounts nothing in check mode', async () => {
    const host = mountHost(FSTAB, false, false)
    expect((await runTask(host, 'mount', { path: '/mnt/t', src: 'tmpfs', fstype: 'tmpfs', state: 'mounted' }, { check: true })).status).toBe('changed')
    expect(host.ran(/mktemp|^mount|mkdir/)).toEqual([])
  })

  it('requires src and fstype for state=mounted, when the playbook loads', async () => {
    const r = await runTask(mountHost(FSTAB, false, false), 'mount', { path: '/mnt/t', state: 'mounted' })
    expect(r.msg).toMatch(/state is mounted but these arguments are missing: src, fstype/)
  })
})
