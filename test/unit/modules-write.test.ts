import { describe, expect, it } from 'vitest'
import { writeScript } from '../../engine/files/write.js'
import { predictedInfo } from '../../engine/files/predict.js'
import { parsePathOutput } from '../../engine/files/stat.js'

describe('the atomic write script', () => {
  it('quotes the path and refers to the temporary file only through a variable', () => {
    const text = writeScript(`/etc/it's $(x)`, { validate: 'visudo -cf %s', mode: '0440', owner: 'root', backup: true }).text
    expect(text).toContain(`p='/etc/it'\\''s $(x)'`)
    expect(text).toContain('visudo -cf "$TSPLAY_TMP"')
    expect(text).toContain('chmod -- 0440 "$t"')
    expect(text).toContain(`trap 'rm -f -- "$t"' EXIT`)
    expect(text.indexOf('mv -f -- "$t" "$p"')).toBeGreaterThan(text.indexOf('visudo'))
  })

  it('refuses a validate command without %s and a malformed mode', () => {
    expect(() => writeScript('/x', { validate: 'true' })).toThrow('validate must contain %s: true')
    expect(() => writeScript('/x', { mode: 'u+q' })).toThrow(/invalid mode/)
  })
})

describe('check-mode predictions', () => {
  const absent = parsePathOutput({ stdoutBytes: Buffer.from('field umask 4\n0027\nabsent\n'), stderr: '', code: 0 }, { path: '/n' })
  it('describe a new file as a later read would see it', () => {
    const info = predictedInfo('/n', absent, { state: 'file', content: Buffer.from('hi\n'), owner: 'www', ids: { ownerId: 33 } })
    expect(info.state).toBe('file')
    expect(info.stat).toMatchObject({ exists: true, isreg: true, mode: '0640', size: 3, pw_name: 'www', uid: 33, checksum: '55ca6286e3e4f4fba5d0448333fa99fc5a404a73' })
    expect(info.content?.toString()).toBe('hi\n')
  })
  it('describe removal and links', () => {
    expect(predictedInfo('/n', absent, { state: 'absent' }).stat).toEqual({ exists: false, path: '/n' })
    expect(predictedInfo('/l', absent, { state: 'link', linkTarget: 'a b' }).stat).toMatchObject({ islnk: true, lnk_target: 'a b' })
  })
})
