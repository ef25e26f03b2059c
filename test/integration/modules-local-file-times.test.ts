/** file: modification/access times, chattr attributes, _diff_peek and Ansible's result fields, on the local host. */
import { execFileSync } from 'node:child_process'
import { readlinkSync, statSync, symlinkSync, utimesSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { describe, expect, it } from 'vitest'
import { converge, runTestModule, runTestTasks, tempDir } from '../helpers/module-harness.js'

/** What `date -d` gives for a local time here, as the module has the host compute it. */
const localEpoch = (text: string): number => Number(execFileSync('date', ['-d', text, '+%s']).toString().trim())

const lsattrWorks = (path: string): boolean => {
  try {
    execFileSync('chattr', ['+A', path])
    execFileSync('chattr', ['-A', path])
    return true
  } catch {
    return false
  }
}

describe('file times', () => {
  it('sets a modification time given in a format, predicted in check mode, then leaves it', async () => {
    const dir = tempDir()
    const path = join(dir, 'f')
    writeFileSync(path, 'x')
    const args = { path, modification_time: '202202081414.00', modification_time_format: '%Y%m%d%H%M.%S' }
    const { check, real, again } = await converge('file', args, dir)
    expect(statSync(path).mtimeMs / 1000).toBe(localEpoch('2022-02-08 14:14:00'))
    expect(check.result['diff']).toMatchObject({ after: { path, mtime: localEpoch('2022-02-08 14:14:00') } })
    expect(Object.keys((real.result['diff'] as { after: object }).after).length).toBeGreaterThan(1)
    expect(again.result['diff'], 'the path alone once nothing changes').toEqual({ before: { path }, after: { path } })
  })

  it('changes the access time with now, and touch with preserve for both is idempotent', async () => {
    const dir = tempDir()
    const path = join(dir, 'f')
    writeFileSync(path, 'x')
    utimesSync(path, 1000, 1000)
    const now = await runTestModule('file', { path, access_time: 'now' })
    expect(now.status).toBe('changed')
    expect(statSync(path).atimeMs).toBeGreaterThan(1000 * 1000)
    expect(statSync(path).mtimeMs, 'mtime stays').toBe(1000 * 1000)
    expect((await runTestModule('file', { path, state: 'touch', modification_time: 'preserve', access_time: 'preserve' })).status).toBe('ok')
    expect((await runTestModule('file', { path, state: 'touch' })).status, 'touch is always a change by default').toBe('changed')
  })

  it('fails with Ansible’s message on a time that does not match its format', async () => {
    const path = join(tempDir(), 'f')
    writeFileSync(path, 'x')
    const out = await runTestModule('file', { path, modification_time: 'yesterday' })
    expect(out.msg).toMatch(/^Error while obtaining timestamp for time yesterday using format %Y%m%d%H%M\.%S: /)
  })
})

describe('file attributes, _diff_peek and results', () => {
  it('adds and removes a chattr flag, with Ansible’s textual comparison', async () => {
    const dir = tempDir()
    const path = join(dir, 'f')
    writeFileSync(path, 'x')
    if (!lsattrWorks(path)) return
    const add = await runTestModule('file', { path, attributes: '+A' })
    expect(add.status).toBe('changed')
    expect(execFileSync('lsattr', ['-d', path]).toString()).toMatch(/^\S*A/)
    // '-A' always runs chattr, as Ansible's set_attributes_if_different.
    expect((await runTestModule('file', { path, attributes: '-A' })).status).toBe('changed')
    expect((await runTestModule('file', { path, attributes: '-A' })).status).toBe('changed')
    expect(execFileSync('lsattr', ['-d', path]).toString()).not.toMatch(/^\S*A/)
  })

  it('peeks whether a file looks binary, changing nothing', async () => {
    const dir = tempDir()
    writeFileSync(join(dir, 'bin'), Buffer.from([1, 0, 2]))
    writeFileSync(join(dir, 'txt'), 'text\n')
    const bin = await runTestModule('file', { path: join(dir, 'bin'), _diff_peek: true })
    expect(bin.result).toMatchObject({ appears_binary: true, changed: false })
    expect(bin.result['warnings']).toBeUndefined()
    expect((await runTestModule('file', { path: join(dir, 'txt'), _diff_peek: true })).result['appears_binary']).toBe(false)
  })

  it('adds the path’s mode and state to its result, and fails on a missing path as Ansible does', async () => {
    const dir = tempDir()
    const path = join(dir, 'baz.txt')
    const touched = await runTestModule('file', { path, state: 'touch', mode: '0644' })
    expect(touched.result).toMatchObject({ dest: path, state: 'file', mode: '0644', size: 0, changed: true })
    const ghost = await runTestModule('file', { path: join(dir, 'ghost') })
    expect(ghost.result).toMatchObject({ failed: true, state: 'absent', msg: `file (${join(dir, 'ghost')}) is absent, cannot continue` })
    expect((await runTestModule('file', { state: 'hard' })).msg).toBe('missing required arguments: path')
  })

  it('updates an existing link without src (its own target), and warns on a link to nothing with follow', async () => {
    const dir = tempDir()
    writeFileSync(join(dir, 'target'), 'x')
    symlinkSync('target', join(dir, 'link'))
    const out = await runTestModule('file', { path: join(dir, 'link'), state: 'link', mode: '0600' })
    expect(out.status).toBe('changed')
    expect((statSync(join(dir, 'target')).mode & 0o777).toString(8)).toBe('600')
    const dangling = await runTestModule('file', { path: join(dir, 'dl'), src: 'nowhere', state: 'link', force: true })
    expect(readlinkSync(join(dir, 'dl'))).toBe('nowhere')
    expect(dangling.result['warnings']).toEqual(['Cannot set fs attributes on a non-existent symlink target. follow should be set to False to avoid this.'])
  })

  it('plans a real task against the host, not against what an earlier check_mode task predicted', async () => {
    const dir = tempDir()
    const path = join(dir, 'link')
    const [check, real] = await runTestTasks([
      ['file', { path, src: '/nonexistent', state: 'link', force: true, follow: false }, { check: true }],
      ['file', { path, src: '/nonexistent', state: 'link', force: true, follow: false }],
    ])
    expect(check?.status).toBe('changed')
    expect(real?.status, 'the link was never made: the real task makes it').toBe('changed')
    expect(readlinkSync(path)).toBe('/nonexistent')
  })
})
