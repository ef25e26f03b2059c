/**
 * Check mode across tasks: a later task plans against what earlier tasks would have done
 * (their predictions), so a whole play's --check run reports what the real run then does.
 */
import { existsSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { describe, expect, it } from 'vitest'
import { fingerprint } from '../helpers/fingerprint.js'
import { runTestTasks, tempDir } from '../helpers/module-harness.js'

describe('check mode predicts a whole sequence of file tasks', () => {
  it('a directory, a copy into it, a line in the copy, a mode, a link, a stat: same outcome as the real run', async () => {
    const dir = tempDir()
    const conf = join(dir, 'etc', 'app.conf')
    const tasks = [
      ['file', { path: join(dir, 'etc'), state: 'directory', mode: '0750' }],
      ['copy', { dest: conf, content: 'a=1\n' }],
      ['lineinfile', { path: conf, regexp: '^a=', line: 'a=2' }],
      ['lineinfile', { path: conf, line: 'b=1' }],
      ['file', { path: conf, mode: '0600' }],
      ['file', { path: join(dir, 'current.conf'), state: 'link', src: conf }],
      ['lineinfile', { path: join(dir, 'current.conf'), line: 'c=1' }],
      ['copy', { dest: conf, content: 'a=2\nb=1\nc=1\n' }],
      ['stat', { path: conf }],
      ['file', { path: join(dir, 'etc'), state: 'absent' }],
      ['stat', { path: join(dir, 'etc') }],
    ] as const
    const before = fingerprint(dir)
    const check = await runTestTasks(tasks, { check: true, baseDir: '/' })
    expect(fingerprint(dir)).toBe(before)
    expect(existsSync(join(dir, 'etc'))).toBe(false)
    const real = await runTestTasks(tasks, { check: false, baseDir: '/' })
    expect(check.map((o) => o.status)).toEqual(real.map((o) => o.status))
    expect(check.map((o) => o.diff)).toEqual(real.map((o) => o.diff))
    expect(real.map((o) => o.status)).toEqual(['changed', 'changed', 'changed', 'changed', 'changed', 'changed', 'changed', 'ok', 'ok', 'changed', 'ok'])
    const statOf = (o: (typeof real)[number]): unknown => o.result['stat']
    expect(statOf(check[8]!)).toMatchObject({ exists: true, mode: '0600', size: 12, checksum: (statOf(real[8]!) as { checksum: string }).checksum })
    expect(statOf(check[10]!)).toEqual({ exists: false, path: join(dir, 'etc') })
  })

  it('in check mode, lineinfile on a file an earlier copy would create does not fail', async () => {
    const dir = tempDir()
    writeFileSync(join(dir, 'keep'), '')
    const path = join(dir, 'new.conf')
    const outcomes = await runTestTasks(
      [
        ['copy', { dest: path, content: 'x=1\n' }],
        ['lineinfile', { path, line: 'y=2' }],
      ],
      { check: true, baseDir: '/' },
    )
    expect(outcomes.map((o) => o.status)).toEqual(['changed', 'changed'])
    expect(outcomes[1]?.diff[0]).toMatchObject({ before: 'x=1\n', after: 'x=1\ny=2\n' })
  })
})

describe('check mode and command creates=', () => {
  it('sees a file an earlier task would create, so the command is predicted skipped, as it then is', async () => {
    const dir = tempDir()
    const flag = join(dir, 'installed.flag')
    const tasks = [
      ['copy', { dest: flag, content: 'yes\n' }],
      ['command', { cmd: `touch ${join(dir, 'ran')}`, creates: flag }],
    ] as const
    const check = await runTestTasks(tasks, { check: true, baseDir: '/' })
    const real = await runTestTasks(tasks, { check: false, baseDir: '/' })
    expect(check.map((o) => o.status)).toEqual(['changed', 'ok'])
    expect(real.map((o) => o.status)).toEqual(['changed', 'ok'])
    expect(existsSync(join(dir, 'ran'))).toBe(false)
  })
})
