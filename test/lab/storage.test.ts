/**
 * The storage tier on real lab hosts over SSH (test/fixtures/storage/lab): from fresh hosts, a
 * replica-3 GlusterFS volume on three servers (roles/gluster-lab-volume) and the storage role on two
 * clients, one of them running docker. A file written on one client is read on the other and inside
 * a container through a bind mount; a second run changes nothing and leaves dockerd alone; check
 * mode predicts a changed mount option exactly and writes nothing; the NFS mount (this kernel has no
 * NFS) is proven by its fstab line, its systemd mount unit and check mode; with a gluster server
 * stopped the clients still read and write; `tsplay test` passes on both roles.
 */
import { execFileSync } from 'node:child_process'
import { readFileSync } from 'node:fs'
import { join } from 'node:path'
import { beforeAll, describe, expect, it } from 'vitest'
import { changes, ROOT, totalChanged, tsplay, tsplayJson, type JsonRun } from '../helpers/cli.js'
import { ALL_STEPS_PASSED, roleTestSteps, useLab } from './harness.js'

const FIXTURES = join(ROOT, 'test', 'fixtures', 'storage')
const INVENTORY = join(FIXTURES, 'lab')
const CLIENTS = ['sclient1', 'sclient2']
const MOUNT = '/mnt/shared'
const GLUSTER_TASK = 'storage : the GlusterFS volumes are mounted (fstab and live)'
const NFS_TASK = 'storage : the NFSv4 exports are mounted (fstab and live)'
const RELOAD = 'storage : systemd reads fstab and its units again'
/** The kernel of this machine, which the lab hosts share. */
const KERNEL_HAS_NFS4 = /\tnfs4$/m.test(readFileSync('/proc/filesystems', 'utf8'))
const outputs: string[] = []

useLab(INVENTORY)

function onHost(host: string, script: string): string {
  return execFileSync('docker', ['exec', `tsplay-lab-storage-${host}`, 'sh', '-c', script], { stdio: 'pipe' }).toString()
}
const fstab = (host: string): string => onHost(host, 'cat /etc/fstab')
const dockerdPid = (): string => onHost('sclient2', 'systemctl show -p MainPID --value docker').trim()

async function run(playbook: string, extra: string[] = []): Promise<Awaited<ReturnType<typeof tsplayJson>>> {
  const r = await tsplayJson(['run', join(FIXTURES, playbook), '-i', INVENTORY, '--diff', ...extra], { timeoutMs: 600_000 })
  outputs.push(r.stdout, r.stderr)
  return r
}
type Diffs = { before?: string; after?: string }[]
/** The diffs a looping task showed for a host (each item carries its own), as "before=>after". */
function diffOf(json: JsonRun, task: string, host: string): string {
  const found = json.plays.flatMap((p) => p.tasks).find((t) => t.task.name === task)
  const items = (found?.hosts[host]?.['results'] ?? []) as { diff?: Diffs }[]
  return items.flatMap((i) => i.diff ?? []).map((d) => `${d.before ?? ''}=>${d.after ?? ''}`).join('\n')
}
/** Marks the clients, then lists what changed since under /etc (fstab, units, drop-ins). */
const mark = (): void => CLIENTS.forEach((h) => onHost(h, 'touch /tmp/tsplay-storage-mark'))
const writtenSinceMark = (host: string): string => onHost(host, 'find /etc -newer /tmp/tsplay-storage-mark -print')

/** `lab up` of this file's lab (a stopped host is booted again; --fresh replaces hosts). */
async function labUp(extra: string[] = []): Promise<void> {
  const up = await tsplay(['lab', 'up', '-i', INVENTORY, ...extra], { timeoutMs: 900_000 })
  expect(up.code, `${up.stdout}${up.stderr}`).toBe(0)
}

beforeAll(() => labUp(['--fresh', 'all']), 900_000)

describe('the storage role and the lab GlusterFS volume', { timeout: 600_000 }, () => {
  it('converges from fresh hosts: a started replica-3 volume, mounted over FUSE on both clients', async () => {
    const started = Date.now()
    const r = await run('site.yml')
    expect(r.code, r.stdout.slice(-4000) + r.stderr).toBe(0)
    console.log(`storage (gluster volume on 3 servers, docker on 1 client, the role on 2 clients), fresh: ${((Date.now() - started) / 1000).toFixed(1)} s`)
    const info = onHost('gsrv1', 'gluster volume info shared')
    expect(info).toMatch(/^Type: Replicate$/m)
    expect(info).toMatch(/^Status: Started$/m)
    expect(info).toMatch(/^Number of Bricks: 1 x 3 = 3$/m)
    for (const host of CLIENTS) {
      expect(onHost(host, `findmnt -n -o FSTYPE,SOURCE ${MOUNT}`).trim()).toBe('fuse.glusterfs gsrv1:/shared')
      expect(fstab(host)).toContain('gsrv1:/shared /mnt/shared glusterfs defaults,_netdev,backup-volfile-servers=gsrv2:gsrv3 0 0\n')
    }
  })

  it('shares files: one written on a client is read on the other', () => {
    onHost('sclient1', `echo 'written on sclient1' > ${MOUNT}/hello.txt`)
    expect(onHost('sclient2', `cat ${MOUNT}/hello.txt`)).toBe('written on sclient1\n')
  })

  it('lets a container on the docker client see the file through a bind mount (MountFlags=shared)', async () => {
    expect(onHost('sclient2', 'cat /etc/systemd/system/docker.service.d/mount-propagation.conf')).toContain('[Service]\nMountFlags=shared\n')
    expect(onHost('sclient2', 'systemctl show -p MountFlags --value docker').trim()).toBe('shared')
    expect(onHost('sclient1', 'test -e /etc/systemd/system/docker.service.d/mount-propagation.conf && echo there || echo none').trim()).toBe('none')
    const image = await run('image.yml')
    expect(image.code, image.stdout.slice(-3000)).toBe(0)
    expect(onHost('sclient2', `docker run --rm -v ${MOUNT}:/data tsplay-bb:1 cat /data/hello.txt`)).toBe('written on sclient1\n')
    // And the other way: a container writes, the other client reads.
    onHost('sclient2', `docker run --rm -v ${MOUNT}:/data tsplay-bb:1 sh -c 'echo from a container > /data/container.txt'`)
    expect(onHost('sclient1', `cat ${MOUNT}/container.txt`)).toBe('from a container\n')
  })

  it('changes nothing on a second run, and dockerd is not restarted', async () => {
    const pid = dockerdPid()
    const r = await run('site.yml')
    expect(r.code).toBe(0)
    expect(totalChanged(r.json), changes(r.json).join('\n')).toBe(0)
    expect(dockerdPid()).toBe(pid)
  })

  it('writes the NFS mount to fstab and systemd makes its mount unit (no NFS in this kernel to mount it)', () => {
    for (const host of CLIENTS) {
      expect(fstab(host)).toContain('gsrv1:/srv/nfs/shared /mnt/nfs nfs4 rw,hard,noatime,nfsvers=4.1 0 0\n')
      const unit = onHost(host, 'systemctl show -p What -p Where -p Type -p Options -p SourcePath mnt-nfs.mount')
      expect(unit.trim().split('\n').sort()).toEqual(['Options=rw,hard,noatime,nfsvers=4.1', 'SourcePath=/etc/fstab', 'Type=nfs4', 'What=gsrv1:/srv/nfs/shared', 'Where=/mnt/nfs'])
      expect(onHost(host, 'systemctl cat mnt-nfs.mount')).toMatch(/^# \/run\/systemd\/generator\/mnt-nfs\.mount$/m)
    }
  })

  it('--check --diff of the NFS mount as `mounted` predicts its mount point and mount, and writes nothing', async () => {
    mark()
    const r = await run('site.yml', ['--check', '-e', 'storage_nfs_state=mounted'])
    expect(r.code, r.stdout.slice(-3000)).toBe(0)
    expect(changes(r.json)).toEqual(CLIENTS.flatMap((h) => [`${NFS_TASK}: ${h}`, `${RELOAD}: ${h}`]).sort())
    for (const host of CLIENTS) {
      expect(diffOf(r.json, NFS_TASK, host)).toBe('mounted: no\n=>mounted: yes\n')
      expect(writtenSinceMark(host)).toBe('')
      expect(onHost(host, 'test -e /mnt/nfs && echo there || echo none').trim()).toBe('none')
    }
  })

  it('--check --diff of a changed Gluster mount option predicts exactly what the real run changes, and writes nothing', async () => {
    const before = CLIENTS.map(fstab)
    const option = ['-e', 'storage_gluster_opts=defaults,noatime']
    mark()
    const check = await run('site.yml', ['--check', ...option])
    expect(check.code, check.stdout.slice(-3000)).toBe(0)
    const predicted = changes(check.json)
    expect(predicted).toEqual(CLIENTS.flatMap((h) => [`${GLUSTER_TASK}: ${h}`, `${RELOAD}: ${h}`]).sort())
    const line = 'gsrv1:/shared /mnt/shared glusterfs defaults,noatime,_netdev,backup-volfile-servers=gsrv2:gsrv3 0 0'
    for (const host of CLIENTS) {
      expect(diffOf(check.json, GLUSTER_TASK, host)).toContain(`${line}\n`)
      expect(writtenSinceMark(host)).toBe('')
    }
    expect(CLIENTS.map(fstab)).toEqual(before)

    const pid = dockerdPid()
    const real = await run('site.yml', option)
    expect(real.code, real.stdout.slice(-3000)).toBe(0)
    expect(changes(real.json)).toEqual(predicted)
    // The option is live: the FUSE client was mounted again with it (a remount in place cannot).
    const liveOptions = (host: string): string[] => onHost(host, `findmnt -n -o OPTIONS ${MOUNT}`).trim().split(',')
    for (const host of CLIENTS) {
      expect(fstab(host)).toContain(`${line}\n`)
      expect(liveOptions(host)).toContain('noatime')
      expect(onHost(host, `cat ${MOUNT}/hello.txt`)).toBe('written on sclient1\n')
    }
    expect(dockerdPid(), 'a mount option is no reason to restart dockerd').toBe(pid)
    // The Gluster mount was made again under the running dockerd: a container still gets it.
    expect(onHost('sclient2', `docker run --rm -v ${MOUNT}:/data tsplay-bb:1 cat /data/hello.txt`)).toBe('written on sclient1\n')
    expect(totalChanged((await run('site.yml', option)).json)).toBe(0)
    // Back to the inventory's options for the tests that follow.
    const back = await run('site.yml')
    expect(changes(back.json)).toEqual(predicted)
    for (const host of CLIENTS) expect(liveOptions(host)).not.toContain('noatime')
  })

  it('keeps serving the clients with a gluster server stopped (replica 3), the mount server included', async () => {
    execFileSync('docker', ['stop', 'tsplay-lab-storage-gsrv1'], { stdio: 'pipe' })
    try {
      const down = Date.now()
      onHost('sclient2', `echo 'written with gsrv1 down' > ${MOUNT}/down.txt`)
      expect(onHost('sclient1', `cat ${MOUNT}/down.txt ${MOUNT}/hello.txt`)).toBe('written with gsrv1 down\nwritten on sclient1\n')
      console.log(`write and read with a gluster server stopped: ${((Date.now() - down) / 1000).toFixed(1)} s`)
    } finally {
      await labUp()
    }
    // Back up, the server heals the file it missed, and a run changes nothing.
    const r = await run('site.yml')
    expect(totalChanged(r.json), changes(r.json).join('\n')).toBe(0)
    // The self-heal daemon heals on its own; a heal asked for (refused until every brick is back) speeds it up.
    const healed = (): boolean => onHost('gsrv1', 'cat /var/lib/gluster-lab/shared/down.txt 2>/dev/null || true') === 'written with gsrv1 down\n'
    const started = Date.now()
    for (let i = 0; i < 60 && !healed(); i++) {
      if (i % 5 === 0) onHost('gsrv2', 'gluster volume heal shared >/dev/null 2>&1 || true')
      await new Promise((res) => setTimeout(res, 1000))
    }
    expect(healed(), 'gsrv1 has the file written while it was down').toBe(true)
    console.log(`gsrv1 back: the file it missed healed in ${((Date.now() - started) / 1000).toFixed(1)} s`)
  })

  it('passes tsplay test on the storage role (clients) and on the lab volume role (servers)', async () => {
    expect(await roleTestSteps('storage', INVENTORY, 'storage', outputs)).toEqual(ALL_STEPS_PASSED)
    expect(await roleTestSteps('gluster-lab-volume', INVENTORY, 'gluster', outputs)).toEqual(ALL_STEPS_PASSED)
  })

  // Needs a kernel with an NFS client and server (not this one): gsrv1 exports a directory to the
  // clients, which mount it with the role's defaults.
  it.skipIf(!KERNEL_HAS_NFS4)('mounts a real NFSv4 export (skipped: this kernel has no nfs4 in /proc/filesystems)', async () => {
    onHost('gsrv1', 'DEBIAN_FRONTEND=noninteractive apt-get install -y -q nfs-kernel-server >/dev/null')
    const clients = CLIENTS.map((h) => `${h}(rw,sync,no_subtree_check,no_root_squash)`).join(' ')
    onHost('gsrv1', `mkdir -p /srv/nfs/shared && echo '/srv/nfs/shared ${clients}' > /etc/exports.d/storage.exports && systemctl restart nfs-server && exportfs -ra`)
    const r = await run('site.yml', ['-e', 'storage_nfs_state=mounted'])
    expect(r.code, r.stdout.slice(-3000)).toBe(0)
    onHost('sclient1', 'echo over nfs > /mnt/nfs/nfs.txt')
    expect(onHost('sclient2', 'cat /mnt/nfs/nfs.txt')).toBe('over nfs\n')
    expect(onHost('sclient2', 'findmnt -n -o FSTYPE /mnt/nfs').trim()).toBe('nfs4')
    expect(totalChanged((await run('site.yml', ['-e', 'storage_nfs_state=mounted'])).json)).toBe(0)
  })
})
