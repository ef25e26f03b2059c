/**
 * sysctl: ansible.posix.sysctl's rules for the file (how lines are read, rewritten and
 * compared) and for the live value (word by word), and what the module runs.
 */
import { describe, expect, it } from 'vitest'
import { decideSysctl, fileValue, normalizeSysctlValue, rewriteSysctlFile, sameSysctlValue } from '../../../modules/sysctl/sysctl-file.js'
import { ABSENT, FakeHost, fileReply, runTask, runTasks, type Reply } from '../../helpers/fake-host.js'

const FILE = '/etc/sysctl.d/60-refapp.conf'

describe('sysctl values and files, as Ansible reads and writes them', () => {
  it('turns booleans into 1/0 and trims the rest', () => {
    expect(['yes', 'True', 'on', '1'].map(normalizeSysctlValue)).toEqual(['1', '1', '1', '1'])
    expect(['no', 'off', 'False'].map(normalizeSysctlValue)).toEqual(['0', '0', '0'])
    expect(normalizeSysctlValue(' 20000 60999 ')).toBe('20000 60999')
  })

  it('compares live values word by word: the kernel prints tabs', () => {
    expect(sameSysctlValue('20000\t60999', '20000 60999')).toBe(true)
    expect(sameSysctlValue('32768\t60999', '20000 60999')).toBe(false)
    expect(sameSysctlValue(null, '1')).toBe(false)
  })

  it('reads the value the file sets, spaces around = or not, the last line winning', () => {
    expect(fileValue('# c\nnet.core.somaxconn = 512\nnet.core.somaxconn=1024\n', 'net.core.somaxconn')).toBe('1024')
    expect(fileValue('; net.core.somaxconn=1\n', 'net.core.somaxconn')).toBeNull()
  })

  it.each([
    ['', 'net.core.somaxconn', '1024', 'present', 'net.core.somaxconn=1024\n'],
    ['# keep\n\nnet.a = 1\nnet.b=2\n', 'net.a', '5', 'present', '# keep\n\nnet.a=5\nnet.b=2\n'],
    ['net.a=1\nnet.a=2\nnet.b=3', 'net.a', '9', 'present', 'net.a=9\nnet.b=3\n'],
    ['net.a=1\nnet.b=3\n', 'net.a', '', 'absent', 'net.b=3\n'],
    ['  net.b = 3  \n', 'net.c', '4', 'present', 'net.b=3\nnet.c=4\n'],
  ] as const)('rewrites %j for %s=%s (%s) as %j', (before, name, value, state, after) => {
    expect(rewriteSysctlFile(before, name, value, state)).toBe(after)
  })

  const base = { name: 'net.core.somaxconn', value: '1024', state: 'present' as const, reload: true, sysctl_set: false }
  it.each([
    ['not in the file', base, null, '4096', { changed: true, write: true, setLive: false, reload: true }],
    ['in the file, live value right', base, '1024', '1024', { changed: false, write: false, setLive: false, reload: false }],
    ['in the file, live value wrong: reload fixes it', base, '1024', '4096', { changed: true, write: false, setLive: false, reload: true }],
    ['in the file, live wrong, no reload: nothing to do', { ...base, reload: false }, '1024', '4096', { changed: false, write: false, setLive: false, reload: false }],
    ['sysctl_set sets the live value', { ...base, reload: false, sysctl_set: true }, '1024', '4096', { changed: true, write: false, setLive: true, reload: false }],
    ['absent and in the file', { ...base, state: 'absent' as const }, '1024', '1024', { changed: true, write: true, setLive: false, reload: true }],
    ['absent and not in the file', { ...base, state: 'absent' as const }, null, '1024', { changed: false, write: false, setLive: false, reload: false }],
  ] as const)('%s', (_what, args, inFile, live, decision) => {
    expect(decideSysctl(args, inFile, live)).toEqual(decision)
  })
})

/** A host whose sysctl file holds `content` (absent when undefined) and whose kernel has `live`. */
function host(content: string | undefined, live: Record<string, string>): FakeHost {
  return new FakeHost([
    [/p=\/etc\/sysctl\.d\/60-refapp\.conf/, content === undefined ? ABSENT : fileReply(content)],
    [/sysctl -n (\S+)/, (text): Reply => {
      const name = /sysctl -n (\S+)/.exec(text)?.[1] ?? ''
      return name in live ? { stdout: `${live[name]}\n` } : { stderr: `sysctl: cannot stat /proc/sys/${name}`, code: 255 }
    }],
    // Loading the file and setting a live value succeed.
    [/^sysctl -[pw] /, {}],
  ])
}

describe('the sysctl module on a scripted host', () => {
  it('writes the file atomically and loads it, with a diff of the file and of the live value', async () => {
    const h = host(undefined, { 'net.ipv4.ip_local_port_range': '32768\t60999' })
    const r = await runTask(h, 'sysctl', { name: 'net.ipv4.ip_local_port_range', value: '20000 60999', sysctl_file: FILE })
    expect(r.status).toBe('changed')
    expect(r.diff).toEqual([
      { header: FILE, before: '', after: 'net.ipv4.ip_local_port_range=20000 60999\n', beforeHeader: `${FILE} (absent)` },
      { header: 'sysctl net.ipv4.ip_local_port_range (live value)', before: '32768\t60999\n', after: '20000 60999\n' },
    ])
    expect(h.written()).toEqual(['net.ipv4.ip_local_port_range=20000 60999\n'])
    expect(h.ran(/^sysctl /).map((s) => s.text)).toEqual([`sysctl -p ${FILE}`])
  })

  it('is ok when the file and the live value agree, tabs and all', async () => {
    const h = host('net.ipv4.ip_local_port_range=20000 60999\n', { 'net.ipv4.ip_local_port_range': '20000\t60999' })
    expect((await runTask(h, 'sysctl', { name: 'net.ipv4.ip_local_port_range', value: '20000 60999', sysctl_file: FILE })).status).toBe('ok')
    expect(h.ran(/mktemp|^sysctl -p/)).toEqual([])
  })

  it('sets the live value with sysctl -w, the value one word, when sysctl_set asks', async () => {
    const h = host('net.ipv4.ip_local_port_range=20000 60999\n', { 'net.ipv4.ip_local_port_range': '32768\t60999' })
    await runTask(h, 'sysctl', { name: 'net.ipv4.ip_local_port_range', value: '20000 60999', sysctl_file: FILE, sysctl_set: true, reload: false })
    expect(h.ran(/^sysctl /).map((s) => s.text)).toEqual(["sysctl -w 'net.ipv4.ip_local_port_range=20000 60999'"])
  })

  it('in check mode, a loop of keys into one file shows each key added to what the earlier ones would write', async () => {
    const h = host(undefined, { 'net.core.somaxconn': '4096', 'net.ipv4.tcp_fin_timeout': '60' })
    const outcomes = await runTasks(
      h,
      [
        ['sysctl', { name: 'net.core.somaxconn', value: 1024, sysctl_file: FILE }],
        ['sysctl', { name: 'net.ipv4.tcp_fin_timeout', value: 30, sysctl_file: FILE }],
        ['sysctl', { name: 'net.core.somaxconn', value: 1024, sysctl_file: FILE }],
      ],
      { check: true },
    )
    expect(outcomes.map((o) => o.status)).toEqual(['changed', 'changed', 'ok'])
    expect(outcomes[1]?.diff[0]).toMatchObject({ before: 'net.core.somaxconn=1024\n', after: 'net.core.somaxconn=1024\nnet.ipv4.tcp_fin_timeout=30\n' })
    expect(h.ran(/mktemp|^sysctl -[pw]/)).toEqual([])
  })

  it('fails when the kernel refuses the file, with its words', async () => {
    const h = host(undefined, { 'net.core.somaxconn': '4096' }).on(/^sysctl -p/, { stderr: 'sysctl: setting key "net.core.somaxconn": Invalid argument\n' })
    const r = await runTask(h, 'sysctl', { name: 'net.core.somaxconn', value: 'x', sysctl_file: FILE })
    expect(r.status).toBe('failed')
    expect(r.msg).toBe('Failed to reload sysctl: sysctl: setting key "net.core.somaxconn": Invalid argument\n')
  })

  it('requires a value with state=present', async () => {
    const r = await runTask(host(undefined, {}), 'sysctl', { name: 'net.core.somaxconn' })
    expect(r.status).toBe('failed')
    expect(r.msg).toMatch(/state is present but these arguments are missing: value/)
  })
})
