/**
 * dnf and package: rpm/dnf output parsing and decisions (the lab has no RPM hosts, so these
 * tests are all dnf has), and `package` choosing apt or dnf from the host's facts or one probe.
 */
import { describe, expect, it } from 'vitest'
import { parseDnfCheckUpdate, parseRpmQuery } from '../../engine/facts/rpm.js'
import { decideDnf, dnfCommands } from '../../modules/_shared/pkg-dnf.js'
import { FakeHost, fixture, runTask } from '../fixtures/system/fake-host.js'

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
    const host = new FakeHost([[/^LC_ALL=C rpm -q/, { stdout: fixture('rpm-q.txt'), code: 1 }]])
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
