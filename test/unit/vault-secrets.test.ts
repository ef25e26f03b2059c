import { afterEach, describe, expect, test } from 'vitest'
import type { FileDiff } from '../../engine/diff.js'
import type { RunEvent, TaskResultEvent } from '../../engine/events.js'
import { registerTaskSecrets } from '../../engine/exec/redact.js'
import { defineModule } from '../../engine/module.js'
import { renderDiff, noColor } from '../../engine/output/format.js'
import { JsonReporter } from '../../engine/output/json.js'
import { maskDiff } from '../../engine/output/mask-diff.js'
import { PlainReporter } from '../../engine/output/plain.js'
import { ScrubbingReporter } from '../../engine/output/scrub.js'
import { MASK, registerSecret, resetSecretsForTests, scrub, scrubDeep } from '../../engine/secrets.js'
import { sh } from '../../engine/quote.js'

afterEach(() => resetSecretsForTests())

describe('the secrets registry', () => {
  test('hides a secret wherever it sits in text, the longest first', () => {
    registerSecret('hunter2-long')
    registerSecret('hunter2')
    expect(scrub('a hunter2-long b hunter2 c')).toBe(`a ${MASK} b ${MASK} c`)
  })

  test('short secrets are hidden where a value is exactly the secret, not inside words', () => {
    registerSecret('abc')
    expect(scrub('abc')).toBe(MASK)
    expect(scrub('abcdef')).toBe('abcdef')
    expect(scrubDeep({ a: 'abc', b: ['abc'] })).toEqual({ a: MASK, b: [MASK] })
  })

  test('catches the forms a secret takes on the way out: JSON strings, shell quoting, lines', () => {
    registerSecret('it\'s "q"\nline-two-part')
    expect(scrub(JSON.stringify({ v: 'it\'s "q"\nline-two-part' }))).toBe(`{"v":"${MASK}"}`)
    expect(scrub(sh`echo ${'it\'s "q"\nline-two-part'}`.text)).toBe(`echo '${MASK}'`)
    expect(scrub('line-two-part')).toBe(MASK)
  })

  test('scrubDeep masks strings and keys, keeps numbers and the shape', () => {
    registerSecret('s3cret-value')
    const value = { rc: 0, cmd: ['echo', 's3cret-value'], nested: { 's3cret-value': true, n: 3306 } }
    expect(scrubDeep(value)).toEqual({ rc: 0, cmd: ['echo', MASK], nested: { [MASK]: true, n: 3306 } })
  })

  test('a number is hidden as a value, and inside text only when it is long enough to be a password', () => {
    registerSecret({ port: 3306, pin: 48213377 })
    expect(scrub('3306')).toBe(MASK)
    expect(scrub('checksum a3306f, pin 48213377')).toBe(`checksum a3306f, pin ${MASK}`)
  })

  test('registering a structure registers its values, not its keys', () => {
    registerSecret({ db_password: 'pw-from-vault', list: ['second-secret'], flag: true })
    expect(scrub('db_password=pw-from-vault second-secret true')).toBe(`db_password=${MASK} ${MASK} true`)
  })
})

describe('secrets a task brings in', () => {
  // No module marks an argument secret yet; this test-only one does.
  const mysqlUser = defineModule({
    name: 'test_mysql_user',
    description: 'test only',
    args: {
      name: { type: 'str', description: 'user' },
      password: { type: 'str', secret: true, aliases: ['pass'], description: 'password' },
      state: { type: 'str', choices: ['present', 'absent'], description: 'state' },
      path: { type: 'path', description: 'a file' },
    },
    plan: async () => ({ changed: false }),
  })

  test('an argument marked secret is hidden in all later output', () => {
    const args = { name: 'monitor', pass: 'Mon1tor-pw', state: 'present' }
    registerTaskSecrets(mysqlUser, args, args, false)
    expect(scrub('user monitor identified by Mon1tor-pw')).toBe(`user monitor identified by ${MASK}`)
  })

  test('under no_log the values templated into an argument are hidden, but not paths or fixed choices', () => {
    const raw = { name: '{{ sst_user }}', state: '{{ wanted }}', path: '{{ conf_dir }}' }
    registerTaskSecrets(mysqlUser, raw, { name: 'sst-user', state: 'present', path: '/etc/mysql/conf.d' }, true)
    expect(scrub('sst-user present /etc/mysql/conf.d')).toBe(`${MASK} present /etc/mysql/conf.d`)
  })

  test('under no_log the words a playbook spells out around a value stay readable in later output', () => {
    const command = defineModule({ name: 'test_shell', description: 'test only', args: { _raw_params: { type: 'str', description: 'the command' } }, plan: async () => ({ changed: false }) })
    registerTaskSecrets(command, { _raw_params: 'echo "{{ item }}" > /tmp/out' }, { _raw_params: 'echo "alpha-one-9" > /tmp/out' }, true)
    registerTaskSecrets(command, { _raw_params: 'echo transformed-output' }, { _raw_params: 'echo transformed-output' }, true)
    expect(scrub('TASK [echo transformed] alpha-one-9')).toBe(`TASK [echo transformed] ${MASK}`)
    expect(scrub('transformed-output')).toBe('transformed-output')
  })

  test('under no_log a list templated whole registers each of its values (the set_fact idiom of the roles)', () => {
    registerTaskSecrets(mysqlUser, { hidden: '{{ [a, b] }}', more: ['{{ c }}'] }, { hidden: ['Pw-One-1', 'Pw-Two-2'], more: ['Pw-Three-3'] }, true)
    expect(scrub('Pw-One-1 Pw-Two-2 Pw-Three-3 hidden')).toBe(`${MASK} ${MASK} ${MASK} hidden`)
  })
})

describe('diffs', () => {
  const diff: FileDiff = {
    header: '/etc/app.conf',
    before: 'user = app\npassword = old-unknown-pw\nport = 1\n',
    after: 'user = app\npassword = New-Vault-Pw\nport = 1\n',
  }

  test('a changed secret line reads as changed, without either value', () => {
    registerSecret('New-Vault-Pw')
    const text = renderDiff(diff, noColor)
    expect(text).toContain(`-password = ${MASK}`)
    expect(text).toContain(`+password = ${MASK}`)
    expect(text).toContain(' user = app')
    expect(text).not.toMatch(/old-unknown-pw|New-Vault-Pw/)
  })

  test('an old line replaced by a secret line is hidden whole when nothing leads up to the secret', () => {
    registerSecret('Whole-Line-Secret')
    const text = renderDiff({ header: 'f', before: 'a\nsome-old-token\nb\n', after: 'a\nWhole-Line-Secret\nb\n' }, noColor)
    expect(text).toContain(`-${MASK}`)
    expect(text).toContain(`+${MASK}`)
    expect(text).not.toContain('some-old-token')
  })

  test('as data (--json), both sides are masked the same way', () => {
    registerSecret('New-Vault-Pw')
    const masked = maskDiff(diff)
    expect(masked.before).toBe(`user = app\npassword = ${MASK}\nport = 1\n`)
    expect(masked.after).toBe(`user = app\npassword = ${MASK}\nport = 1\n`)
  })

  test('without secrets a diff is untouched', () => {
    expect(renderDiff(diff, noColor)).toContain('-password = old-unknown-pw')
  })
})

describe('reporters behind the scrubber', () => {
  const result = (overrides: Partial<TaskResultEvent> = {}): TaskResultEvent => ({
    kind: 'task:result',
    task: { name: 'set pw-Leaky-1', handler: false, module: 'debug' },
    host: 'db1',
    status: 'failed',
    ignored: false,
    msg: 'failed with pw-Leaky-1',
    diff: [{ header: 'f', before: 'x = 1\n', after: 'x = pw-Leaky-1\n' }],
    result: { msg: 'failed with pw-Leaky-1', cmd: ['echo', 'pw-Leaky-1'] },
    actions: ['write pw-Leaky-1'],
    durationMs: 1,
    ...overrides,
  })
  const events: RunEvent[] = [
    { kind: 'play:start', name: 'play', hosts: ['db1'], pos: { file: 'site.yml', line: 1, col: 1 } },
    { kind: 'task:start', task: { name: 'set pw-Leaky-1', handler: false } },
    { kind: 'log', host: 'db1', level: 4, message: "<db1> mysql -p'pw-Leaky-1'" },
    { kind: 'warning', message: 'value pw-Leaky-1 looks odd' },
    result(),
    { kind: 'task:item', result: result({ item: 'pw-Leaky-1', status: 'ok' }) },
    { kind: 'recap', stats: {} },
  ]

  test('plain output at -vvvv shows none of it', () => {
    registerSecret('pw-Leaky-1')
    const lines: string[] = []
    const reporter = new ScrubbingReporter(new PlainReporter({ verbosity: 4, write: (t) => lines.push(t) }))
    const stderr = captureStderr(() => events.forEach((e) => reporter.handle(e)))
    const out = lines.join('\n') + stderr
    expect(out).not.toContain('pw-Leaky-1')
    expect(out).toContain(`+x = ${MASK}`)
    expect(out).toContain(`failed with ${MASK}`)
  })

  test('the JSON document shows none of it', () => {
    registerSecret('pw-Leaky-1')
    let json = ''
    const reporter = new ScrubbingReporter(new JsonReporter((t) => (json += t)))
    events.forEach((e) => reporter.handle(e))
    void reporter.close()
    expect(json).not.toContain('pw-Leaky-1')
    expect(JSON.parse(json)).toMatchObject({ warnings: [`value ${MASK} looks odd`] })
  })
})

function captureStderr(fn: () => void): string {
  const original = process.stderr.write.bind(process.stderr)
  let text = ''
  process.stderr.write = ((chunk: string | Uint8Array) => {
    text += String(chunk)
    return true
  }) as typeof process.stderr.write
  try {
    fn()
  } finally {
    process.stderr.write = original
  }
  return text
}
