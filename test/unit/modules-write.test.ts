import { describe, expect, it } from 'vitest'
import { expectedOf, writeScript } from '../../engine/files/write.js'
import { predictedInfo } from '../../engine/files/predict.js'
import { parsePathOutput } from '../../engine/files/stat.js'

const HELLO = expectedOf(Buffer.from('hello\n'))

describe('the atomic write script', () => {
  it('quotes the path and refers to the temporary file only through a variable', () => {
    const text = writeScript(`/etc/it's $(x)`, { validate: 'visudo -cf %s', mode: '0440', owner: 'root', backup: true }, HELLO).text
    expect(text).toContain(`p='/etc/it'\\''s $(x)'`)
    expect(text).toContain('visudo -cf "$TSPLAY_TMP"')
    expect(text).toContain('chmod -- 0440 "$t"')
    expect(text).toContain(`trap '[ -z "$t" ] || rm -f -- "$t"' EXIT`)
    expect(text).toContain(`trap 'exit 129' HUP INT TERM PIPE`)
    expect(text.indexOf('mv -f -- "$t" "$p"')).toBeGreaterThan(text.indexOf('visudo'))
  })

  it('carries the length and sha256 of the content, and checks both before anything else touches the file', () => {
    expect(HELLO).toEqual({ size: 6, sha256: '5891b5b522d5df086d0ff0b110fbd9d21bb4fc7163af34d08286a2e846f6be03' })
    const text = writeScript('/etc/motd', { validate: 'test -s %s', mode: '0644', backup: true }, HELLO).text
    const sizeCheck = text.indexOf('[ $n -eq 6 ]')
    const sumCheck = text.indexOf(`!= 5891b5b522d5df086d0ff0b110fbd9d21bb4fc7163af34d08286a2e846f6be03`)
    expect(text.indexOf('cat > "$t"')).toBeLessThan(sizeCheck)
    expect(sizeCheck).toBeLessThan(sumCheck)
    expect(text).toContain('h=$(sha256sum < "$t")')
    // A part is never chmod-ed, validated, backed up or renamed.
    for (const later of ['chmod --', 'TSPLAY_TMP=', 'cp -p', 'mv -f']) expect(text.indexOf(later), later).toBeGreaterThan(sumCheck)
  })

  it('counts bytes, not characters', () => {
    expect(expectedOf(Buffer.from('über\n', 'utf8')).size).toBe(6)
  })

  it('takes the temporary file under its trap, so no signal finds it untracked', () => {
    const text = writeScript('/x', {}, HELLO).text
    expect(text.indexOf('trap ')).toBeLessThan(text.indexOf('mktemp'))
    expect(text.indexOf('trap - EXIT')).toBeGreaterThan(text.indexOf('mv -f'))
  })

  it('refuses a validate command without %s, a malformed mode and a malformed expectation', () => {
    expect(() => writeScript('/x', { validate: 'true' }, HELLO)).toThrow('validate must contain %s: true')
    expect(() => writeScript('/x', { mode: 'u+q' }, HELLO)).toThrow(/invalid mode/)
    expect(() => writeScript('/x', {}, { size: 6, sha256: "x'; rm -rf /" })).toThrow(/invalid expected content/)
    expect(() => writeScript('/x', {}, { size: -1, sha256: HELLO.sha256 })).toThrow(/invalid expected content/)
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
