/**
 * apt: what the facts read (captured dpkg-query, apt-cache policy and apt-get -s outputs of
 * a Debian 12 lab host), what the module decides from them, and what it runs: one apt-get,
 * non-interactive, waiting for the dpkg lock, and nothing but reads in check mode.
 *
 * dnf and package: rpm/dnf output parsing and decisions (the lab has no RPM hosts, so these
 * tests are all dnf has), and `package` choosing apt or dnf from the host's facts or one probe.
 */
import { describe, expect, it } from 'vitest'
import { parseAptPolicy, parseDpkgQuery } from '../../../modules/package/apt-facts.js'
import { CANDIDATE, decideApt, parseSimulation } from '../../../modules/package/apt-decide.js'
import { compareDebVersions } from '../../../modules/package/deb-version.js'
import { cacheUpdateDue } from '../../../modules/package/pkg-apt.js'
import { fnmatch } from '../../../engine/fnmatch.js'
import { parseSpec } from '../../../modules/package/pkg-spec.js'
import { FakeHost, fixture, runTask, runTasks, type Rule } from '../../helpers/fake-host.js'
import { parseDnfCheckUpdate, parseRpmQuery } from '../../../engine/facts/rpm.js'
import { decideDnf, dnfCommands } from '../../../modules/package/pkg-dnf.js'

const db = parseDpkgQuery(fixture('dpkg-query-all.txt'))
const NOW = 1_800_000_000
/** apt-get's fixed options, as every install and remove carries them. */
const APT_GET = 'apt-get -y -o DPkg::Lock::Timeout=120 -o Dpkg::Options::=--force-confdef -o Dpkg::Options::=--force-confold'

/** A Debian host: the captured database, a cache updated `age` seconds ago, apt-get answering per the fixtures. */
function debian(age = 60): FakeHost {
  const rules: Rule[] = [
    [/dpkg-query -W/, { stdout: fixture('dpkg-query-all.txt') }],
    [/update-success-stamp/, { stdout: `${NOW - age} ${NOW}\n` }],
    [/apt-cache policy/, { stdout: fixture('apt-cache-policy.txt') }],
    [/apt-get .*-s install -- jq$/, { stdout: fixture('apt-get-s-install-jq.txt') }],
    [/apt-get .*-s install .*nosuch/, { stdout: 'Reading package lists...\n', stderr: 'E: Unable to locate package nosuch\n', code: 100 }],
    [/apt-get .*-s .*remove/, { stdout: fixture('apt-get-s-remove-purge-tree.txt') }],
    [/apt-get .*-s install/, { stdout: '0 upgraded, 0 newly installed, 0 to remove and 15 not upgraded.\n' }],
    // The real (not simulated) apt-get calls succeed.
    [/^apt-get -y /, {}],
  ]
  return new FakeHost(rules)
}

describe('apt reads dpkg, apt-cache and apt-get -s as they print', () => {
  it('reads every package of dpkg-query in one list, with its status and what it provides', () => {
    expect(db.find((p) => p.name === 'tree')).toEqual({ name: 'tree', arch: 'amd64', status: 'ii ', version: '2.1.0-1', provides: [] })
    expect(db.find((p) => p.name === 'mawk')?.provides).toEqual(['awk'])
    expect(parseDpkgQuery('apt\tamd64\tii \t2.6.1\tapt-transport-https (= 2.6.1)\n')[0]?.provides).toEqual(['apt-transport-https'])
  })

  it('reads installed and candidate versions, and the version table', () => {
    const policy = parseAptPolicy(fixture('apt-cache-policy.txt'))
    expect(policy.get('tree')).toEqual({ installed: '2.1.0-1', candidate: '2.1.0-1', versions: ['2.1.0-1'] })
    expect(policy.get('awk')).toEqual({ installed: null, candidate: null, versions: [] })
    expect(policy.has('nosuch')).toBe(false)
  })

  it('reads what the simulation would install, dependencies included, and what it would purge', () => {
    const sim = parseSimulation(fixture('apt-get-s-install-jq.txt'), '')
    expect(sim.changes).toEqual([
      { name: 'libonig5', before: null, after: '6.9.8-1' },
      { name: 'libjq1', before: null, after: '1.6-2.1+deb12u3' },
      { name: 'jq', before: null, after: '1.6-2.1+deb12u3' },
    ])
    expect(parseSimulation(fixture('apt-get-s-remove-purge-tree.txt'), '').changes).toEqual([{ name: 'tree', before: '2.1.0-1', after: null }])
    expect(parseSimulation('Inst bash [5.2.15-2+b8] (5.2.15-2+b13 Debian:12.15/oldstable [amd64])\n', '').changes).toEqual([{ name: 'bash', before: '5.2.15-2+b8', after: '5.2.15-2+b13' }])
    expect(parseSimulation('', 'E: Unable to locate package nosuch\n').errors).toEqual(['E: Unable to locate package nosuch'])
  })
})

describe("apt's version rules", () => {
  it.each([
    ['1.0', '1.0', 0],
    ['1.0-1', '1.0-2', -1],
    ['1:1.0', '2.0', 1],
    ['1.0~rc1', '1.0', -1],
    ['1.0', '1.0+b1', -1],
    ['5.2.15-2+b13', '5.2.15-2+b8', 1],
    ['1.10', '1.9', 1],
    ['2.36-9+deb12u14', '2.36-9+deb12u4', 1],
  ])('%s vs %s -> %i', (a, b, sign) => {
    expect(Math.sign(compareDebVersions(a, b))).toBe(sign)
  })

  it('splits specs as Ansible does and matches version globs as fnmatch', () => {
    expect(parseSpec('nginx=1.22*')).toEqual({ raw: 'nginx=1.22*', name: 'nginx', op: '=', version: '1.22*' })
    expect(parseSpec('nginx>=1.22')).toMatchObject({ name: 'nginx', op: '>=', version: '1.22' })
    expect(parseSpec(' tree ')).toEqual({ raw: 'tree', name: 'tree' })
    expect(fnmatch('2.1.0-1', '2.1*')).toBe(true)
    expect(fnmatch('2.10.0-1', '2.1.*')).toBe(false)
    expect(fnmatch('1.2.3', '1.2.[0-3]')).toBe(true)
  })
})

describe('apt decides what to install or remove from the facts', () => {
  const decide = (names: string[], state: 'present' | 'absent' | 'latest', purge = false) =>
    decideApt(names.map(parseSpec), state, db, parseAptPolicy(fixture('apt-cache-policy.txt')), purge)

  const cases: [string[], 'present' | 'absent' | 'latest', string[], string][] = [
    [['tree'], 'present', [], 'installed already'],
    [['jq'], 'present', ['jq'], 'not installed'],
    [['awk'], 'present', [], 'a virtual package an installed package provides'],
    [['tree=2.1*'], 'present', [], 'a version pin the installed version matches'],
    [['tree=3.0*'], 'present', ['tree=3.0*'], 'a version pin it does not match: apt-get resolves the glob'],
    [['tree', 'jq'], 'absent', ['tree'], 'only what is installed is removed'],
    [['tree', 'bash'], 'latest', [], 'already the candidate'],
  ]
  it.each(cases)('%j %s -> %j (%s)', (names, state, args) => {
    expect(decide(names, state).args).toEqual(args)
  })

  it('upgrades to the candidate under state=latest', () => {
    const policy = new Map([['tree', { installed: '2.0-1', candidate: '2.1.0-1', versions: ['2.1.0-1', '2.0-1'] }]])
    const old = db.map((p) => (p.name === 'tree' ? { ...p, version: '2.0-1' } : p))
    const d = decideApt([parseSpec('tree')], 'latest', old, policy, false)
    expect(d.args).toEqual(['tree'])
    expect(d.changes).toEqual([{ name: 'tree', before: '2.0-1', after: '2.1.0-1' }])
  })

  it('purges a removed package whose configuration files are left, only with purge', () => {
    const removed = db.map((p) => (p.name === 'tree' ? { ...p, status: 'rc ' } : p))
    expect(decideApt([parseSpec('tree')], 'absent', removed, undefined, false).args).toEqual([])
    expect(decideApt([parseSpec('tree')], 'absent', removed, undefined, true).args).toEqual(['tree'])
  })

  it('marks a version only apt knows yet as the candidate', () => {
    expect(decideApt([parseSpec('jq')], 'present', db, undefined, false).changes).toEqual([{ name: 'jq', before: null, after: CANDIDATE }])
  })

  it('updates the cache only outside cache_valid_time, as Ansible compares it', () => {
    expect(cacheUpdateDue({ update_cache: true, cache_valid_time: 3600 }, { mtime: NOW - 60, now: NOW })).toBe(false)
    expect(cacheUpdateDue({ update_cache: true, cache_valid_time: 3600 }, { mtime: NOW - 7200, now: NOW })).toBe(true)
    expect(cacheUpdateDue({ update_cache: true, cache_valid_time: 0 }, { mtime: NOW, now: NOW })).toBe(true)
    expect(cacheUpdateDue({ cache_valid_time: 0 }, { mtime: 0, now: NOW })).toBe(false)
  })
})

describe('the apt module on a scripted Debian host', () => {
  it('installs everything missing in ONE apt-get call, non-interactive, waiting for the dpkg lock', async () => {
    const host = debian()
    const r = await runTask(host, 'apt', { name: ['jq', 'tree'] })
    expect(r.status).toBe('changed')
    const installs = host.ran(/^apt-get .*install/).filter((s) => !/-s /.test(s.text))
    expect(installs.map((s) => s.text)).toEqual([APT_GET + ' install -- jq'])
    expect(installs[0]?.env).toMatchObject({ DEBIAN_FRONTEND: 'noninteractive' })
    expect(r.diff).toEqual([{ header: 'apt packages', before: 'jq: (not installed)\nlibjq1: (not installed)\nlibonig5: (not installed)\n', after: 'jq: 1.6-2.1+deb12u3\nlibjq1: 1.6-2.1+deb12u3\nlibonig5: 6.9.8-1\n' }])
    expect(r.result).toMatchObject({ changed: true, cache_updated: false, cache_update_time: NOW - 60 })
  })

  it('is ok, in one round of reads, when everything is installed', async () => {
    const host = debian()
    const r = await runTask(host, 'apt', { name: 'tree', update_cache: true, cache_valid_time: 3600 })
    expect(r.status).toBe('ok')
    expect(host.ran(/apt-get/)).toEqual([])
  })

  it("fails on a name apt does not know with apt's own message, in check mode too", async () => {
    for (const check of [false, true]) {
      const host = debian()
      const r = await runTask(host, 'apt', { name: ['tree', 'nosuch'] }, { check })
      expect(r.status).toBe('failed')
      expect(r.msg).toBe('E: Unable to locate package nosuch')
      expect(host.ran(/^apt-get (?!.*-s )/)).toEqual([])
    }
  })

  it('updates a stale cache before installing, and not at all in check mode', async () => {
    const real = debian(7200).on(/apt-get -q update/, { stdout: 'Hit:1 http://deb.debian.org/debian bookworm InRelease\n' })
    const r = await runTask(real, 'apt', { name: 'jq', update_cache: true, cache_valid_time: 3600 })
    expect(r.status).toBe('changed')
    expect(real.sent.map((s) => s.text).filter((t) => /^(i=0; until apt-get|apt-get)/.test(t))).toEqual([
      'i=0; until apt-get -q update; do i=$((i+1)); [ $i -ge 3 ] && exit 1; sleep $i; done',
      APT_GET + ' install -- jq',
    ])
    const check = debian(7200)
    const c = await runTask(check, 'apt', { name: 'jq', update_cache: true, cache_valid_time: 3600 }, { check: true })
    expect(c.status).toBe('changed')
    expect(c.actions).toEqual(['update the apt cache', `install jq ${CANDIDATE}`])
    expect(check.ran(/apt-get/)).toEqual([])
  })

  it('treats update_cache alone as a task about the cache: changed only when it was due', async () => {
    expect((await runTask(debian(60), 'apt', { update_cache: true, cache_valid_time: 3600 })).status).toBe('ok')
    const stale = debian(7200).on(/apt-get -q update/, {})
    expect((await runTask(stale, 'apt', { update_cache: true, cache_valid_time: 3600 }, { check: true })).status).toBe('changed')
  })

  it('says in check mode that latest versions behind a due cache update are unknowable', async () => {
    const r = await runTask(debian(7200), 'apt', { name: 'tree', state: 'latest', update_cache: true }, { check: true })
    expect(r.status).toBe('skipped')
    expect(r.msg).toMatch(/cache is due for an update/)
  })

  it('purges and auto-removes in the same single call', async () => {
    const host = debian()
    const r = await runTask(host, 'apt', { name: 'tree', state: 'absent', purge: true, autoremove: true })
    expect(r.status).toBe('changed')
    expect(host.ran(/^apt-get (?!.*-s )/).map((s) => s.text)).toEqual([
      APT_GET + ' --purge --auto-remove remove -- tree',
    ])
  })

  it('lets a later task in check mode see the packages an earlier one would install', async () => {
    const host = debian()
    const [first, again, viaPackage] = await runTasks(host, [['apt', { name: 'jq' }], ['apt', { name: ['libjq1', 'jq'] }], ['package', { name: 'jq' }]], { check: true, facts: { ansible_pkg_mgr: 'apt' } })
    expect([first?.status, again?.status, viaPackage?.status]).toEqual(['changed', 'ok', 'ok'])
  })

  it('rejects specs apt cannot take before running anything', async () => {
    const host = debian()
    expect((await runTask(host, 'apt', { name: 'a=1=2' })).msg).toBe('invalid package spec: a=1=2')
    expect((await runTask(host, 'apt', { name: '-o' })).msg).toMatch(/invalid package name/)
    expect(host.sent).toEqual([])
  })
})

const installed = parseRpmQuery(fixture('rpm-q.txt'))
const updates = parseDnfCheckUpdate(fixture('dnf-check-update.txt'))

describe('rpm and dnf as they print', () => {
  it('reads installed packages, skipping the names rpm says are not installed', () => {
    expect(installed).toEqual([{ name: 'nginx', arch: 'x86_64', version: '1:1.20.1-14.el9' }])
  })

  it('reads the updates dnf check-update lists, not the obsoletes', () => {
    expect([...updates]).toEqual([
      ['nginx', '1:1.20.1-16.el9_4.1'],
      ['nginx-core', '1:1.20.1-16.el9_4.1'],
    ])
  })
})

describe("dnf decides with the package modules' rules", () => {
  it.each([
    ['present: installs only what is missing', ['nginx', 'nosuch'], 'present', { install: ['nosuch'], upgrade: [], remove: [] }],
    ['latest: upgrades what has an update', ['nginx'], 'latest', { install: [], upgrade: ['nginx'], remove: [] }],
    ['absent: removes what is installed', ['nginx', 'nosuch'], 'absent', { install: [], upgrade: [], remove: ['nginx'] }],
    ['present and installed: nothing', ['nginx'], 'present', { install: [], upgrade: [], remove: [] }],
  ] as const)('%s', (_what, names, state, expected) => {
    expect(decideDnf(names, state, installed, updates)).toMatchObject(expected)
  })

  it('builds one command line per task, refreshing metadata first when asked', () => {
    const d = decideDnf(['nginx', 'htop'], 'latest', installed, updates)
    expect(dnfCommands('dnf', d, true).map(String)).toEqual(['dnf -y makecache --refresh', 'dnf -y install -- htop', 'dnf -y upgrade -- nginx'])
  })
})

describe('the dnf module on a scripted RHEL host', () => {
  it('installs with one dnf call joined to nothing else', async () => {
    const host = new FakeHost([
      [/^LC_ALL=C rpm -q/, { stdout: fixture('rpm-q.txt'), code: 1 }],
      [/^dnf -y install/, {}],
    ])
    const r = await runTask(host, 'dnf', { name: ['nginx', 'htop'] })
    expect(r.status).toBe('changed')
    expect(host.ran(/dnf/).map((s) => s.text)).toEqual(['dnf -y install -- htop'])
  })

  it('fails with dnf’s own words', async () => {
    const host = new FakeHost([
      [/^LC_ALL=C rpm -q/, { stdout: 'package nosuch is not installed\n', code: 1 }],
      [/^dnf -y install/, { stderr: 'No match for argument: nosuch\nError: Unable to find a match: nosuch\n', code: 1 }],
    ])
    const r = await runTask(host, 'dnf', { name: 'nosuch' })
    expect(r.msg).toBe('No match for argument: nosuch\nError: Unable to find a match: nosuch')
  })
})

describe('the package module picks the host’s manager', () => {
  it('uses apt when facts say apt, with the apt module’s code', async () => {
    const host = new FakeHost([
      [/dpkg-query -W/, { stdout: fixture('dpkg-query-all.txt') }],
      [/update-success-stamp/, { stdout: '1 2\n' }],
    ])
    const r = await runTask(host, 'package', { name: 'tree' }, { facts: { ansible_pkg_mgr: 'apt' } })
    expect(r.status).toBe('ok')
    expect(host.ran(/command -v/)).toEqual([])
  })

  it('asks the host in one probe when facts were not gathered', async () => {
    const host = new FakeHost([
      [/for p in apt-get dnf5/, { stdout: 'dnf\n' }],
      [/^LC_ALL=C rpm -q/, { stdout: fixture('rpm-q.txt') }],
    ])
    expect((await runTask(host, 'package', { name: 'nginx' })).status).toBe('ok')
    expect(host.ran(/for p in/)).toHaveLength(1)
  })

  it('says which managers it knows when the host has another', async () => {
    const r = await runTask(new FakeHost([]), 'package', { name: 'x' }, { facts: { ansible_pkg_mgr: 'apk' } })
    expect(r.msg).toBe("package manager 'apk' is not supported by tsplay (apt, dnf, yum)")
  })
})
