import { describe, expect, it } from 'vitest'
import { expectedHeader, expectedOf, writeFileAtomic, writeScript } from '../../engine/files/write.js'
import { CommandError, ModuleError } from '../../engine/errors.js'
import { createApplyContext } from '../../engine/module-context.js'
import { sh, type ShellCommand } from '../../engine/quote.js'
import { FakeHost } from '../helpers/fake-host.js'
import { predictedInfo } from '../../engine/files/predict.js'
import { parsePathOutput } from '../../engine/files/stat.js'

const HELLO_SHA256 = '5891b5b522d5df086d0ff0b110fbd9d21bb4fc7163af34d08286a2e846f6be03'

describe('the atomic write script', () => {
  it('quotes the path and refers to the temporary file only through a variable', () => {
    const text = writeScript(`/etc/it's $(x)`, { validate: 'visudo -cf %s', mode: '0440', owner: 'root', backup: true }).text
    expect(text).toContain(`p='/etc/it'\\''s $(x)'`)
    expect(text).toContain('visudo -cf "$TSPLAY_TMP"')
    expect(text).toContain('chmod -- 0440 "$t"')
    expect(text).toContain(`trap '[ -z "$t" ] || rm -f -- "$t"' EXIT`)
    expect(text).toContain(`trap 'exit 129' HUP INT TERM PIPE`)
    expect(text.indexOf('mv -f -- "$t" "$p"')).toBeGreaterThan(text.indexOf('visudo'))
  })

  it('sends the length and sha256 ahead of the content on stdin, never on the command line (ps on the host would show them)', async () => {
    const sent: { command?: ShellCommand; stdin?: string | Buffer } = {}
    const exec = async (command: ShellCommand, options?: { stdin?: string | Buffer }) => {
      Object.assign(sent, { command, stdin: options?.stdin })
      return { stdout: '', stdoutBytes: Buffer.alloc(0), stderr: '', code: 0 }
    }
    await writeFileAtomic(exec, '/etc/motd', 'hello\n', {})
    expect(sent.stdin?.toString()).toBe(`6 ${HELLO_SHA256}\nhello\n`)
    expect(sent.command?.text).not.toContain(HELLO_SHA256)
    expect(expectedHeader(expectedOf(Buffer.from('hello\n'))).toString()).toBe(`6 ${HELLO_SHA256}\n`)
  })

  it('checks length and sha256 right after receiving, before anything else touches the file', () => {
    const text = writeScript('/etc/motd', { validate: 'test -s %s', mode: '0644', backup: true }).text
    const steps = ['read -r n h', 'cat > "$t"', 'm=$(wc -c < "$t")', 'if ! [ $m -eq "$n" ]', 'c=$(sha256sum < "$t")', 'if [ "${c%% *}" != "$h" ]']
    const at = steps.map((step) => text.indexOf(step))
    expect(at.every((i) => i >= 0), steps.join(' / ')).toBe(true)
    expect([...at].sort((a, b) => a - b)).toEqual(at)
    // A part is never chmod-ed, validated, backed up or renamed.
    const checked = at[at.length - 1] ?? 0
    for (const later of ['chmod --', 'TSPLAY_TMP=', 'cp -p', 'mv -f']) expect(text.indexOf(later), later).toBeGreaterThan(checked)
  })

  it('counts bytes, not characters', () => {
    expect(expectedOf(Buffer.from('über\n', 'utf8')).size).toBe(6)
  })

  it('takes the temporary file under its trap, so no signal finds it untracked', () => {
    const text = writeScript('/x', {}).text
    expect(text.indexOf('trap ')).toBeLessThan(text.indexOf('mktemp'))
    expect(text.indexOf('trap - EXIT')).toBeGreaterThan(text.indexOf('mv -f'))
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

describe("apply's ctx.run: a failed command is one CommandError", () => {
  const contextOn = (host: FakeHost) =>
    createApplyContext({
      host: { name: host.host, connect: async () => host, facts: {}, factCache: new Map() },
      check: false,
      diff: false,
      task: { name: 't', noLog: false },
      become: undefined,
      vars: { get: () => undefined, has: () => false, names: () => [] },
      evaluate: () => undefined,
      template: () => undefined,
      findControllerFile: (_kind, src) => src,
      renderTemplate: async () => '',
      log: () => undefined,
    })

  it('carries the command, rc, stdout and stderr, and the module its words; exec leaves the exit code to the module', async () => {
    const ctx = contextOn(new FakeHost([[/^false/, { stdout: 'out\n', stderr: 'boom\n', code: 3 }]]))
    const err = await ctx.run(sh`false ${'a b'}`, { failure: (out) => `it failed: ${out.stderr.trim()}` }).catch((e: unknown) => e)
    expect(err).toBeInstanceOf(CommandError)
    expect(err).toBeInstanceOf(ModuleError)
    expect(err).toMatchObject({ message: 'it failed: boom', command: "false 'a b'", rc: 3, stdout: 'out\n', stderr: 'boom\n', result: { rc: 3, stdout: 'out\n', stderr: 'boom\n' } })
    expect((await ctx.exec(sh`false`)).code).toBe(3)
  })

  it("says the command's stderr, or its exit code, when the module gives no words", async () => {
    const ctx = contextOn(new FakeHost([[/^quiet/, { code: 2 }], [/^loud/, { stderr: 'no such thing\n', code: 1 }]]))
    await expect(ctx.run(sh`quiet`)).rejects.toThrow('exit code 2')
    await expect(ctx.run(sh`loud`)).rejects.toThrow('no such thing')
  })
})
