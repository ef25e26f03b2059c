/**
 * The command line a connection runs, and the sudo and su dialogues, driven with fake streams:
 * no process, no sudo. Proves the password is sent only when asked and stdin only after sudo
 * or su let us in.
 */
import { execFileSync } from 'node:child_process'
import { PassThrough } from 'node:stream'
import { describe, expect, it, vi } from 'vitest'
import { BecomeError, SU_ESCALATION_TIMEOUT_MS, prepareCommand, superviseCommand, type CommandExit } from '../../engine/connection/session.js'
import type { ExecOptions } from '../../engine/connection/types.js'
import { BECOME_PROMPT, SU_PROMPT_LOCALIZATIONS, suPromptLength } from '../../engine/connection/become.js'
import { wrapCommand } from '../../engine/connection/wrap.js'
import { sh } from '../../engine/quote.js'

describe('wrapCommand', () => {
  it('runs the command through sh, replacing the calling shell', () => {
    expect(wrapCommand(sh`echo hi`).text).toBe(`exec /bin/sh -c 'echo hi'`)
  })

  it('puts env and cwd inside the shell, one statement per line', () => {
    const line = wrapCommand(sh`ls`, { env: { A: "it's" }, cwd: '/tmp/x y' }).text
    expect(line.startsWith('exec /bin/sh -c ')).toBe(true)
    expect(unquote(line.slice('exec /bin/sh -c '.length))).toBe(`export A='it'\\''s'\ncd -P -- '/tmp/x y' || exit\nls`)
    expect(() => wrapCommand(sh`ls`, { env: { 'A B': 'x' } })).toThrow(/invalid environment variable name/)
  })

  it('uses sudo -n without a password and -S with our prompt with one, never the password itself', () => {
    const plain = wrapCommand(sh`id`, { become: { user: 'root', method: 'sudo' } }).text
    expect(plain).toMatch(/^exec sudo -H -n -u root -- \/bin\/sh -c /)
    const withPw = wrapCommand(sh`id`, { become: { user: 'root', method: 'sudo', password: 'hunter2', flags: ['-E'] } }, 'MARK').text
    expect(withPw).toContain(`sudo -H -S -p '${BECOME_PROMPT}' '-E' -u root --`)
    expect(withPw).not.toContain('hunter2')
    expect(withPw).toMatch(/-c 'echo MARK\nid'$/)
  })

  it('uses su -l -s /bin/sh USER -c with the shell line as one argument, never the password', () => {
    const line = wrapCommand(sh`id`, { become: { user: 'root', method: 'su', password: 'hunter2' }, env: { A: "it's" } }, 'MARK').text
    expect(line.startsWith('exec su -l -s /bin/sh root -c ')).toBe(true)
    expect(line).not.toContain('hunter2')
    const shell = unquote(line.slice('exec su -l -s /bin/sh root -c '.length))
    expect(shell.startsWith('exec /bin/sh -c ')).toBe(true)
    expect(unquote(shell.slice('exec /bin/sh -c '.length))).toBe(`echo MARK\nexport A='it'\\''s'\nid`)
  })

  it('puts become_flags after its own, so Ansible\'s usual `-` or `-s /bin/bash` work, and refuses a user that reads as a flag', () => {
    const line = wrapCommand(sh`id`, { become: { user: 'bob', method: 'su', flags: ['-s', '/bin/bash'] } }, 'MARK').text
    expect(line).toMatch(/^exec su -l -s \/bin\/sh '-s' \/bin\/bash bob -c /)
    expect(wrapCommand(sh`id`, { become: { user: 'bob', method: 'su', flags: ['-'] } }, 'MARK').text).toMatch(/^exec su -l -s \/bin\/sh '-' bob -c /)
    expect(() => wrapCommand(sh`id`, { become: { user: '-c', method: 'su' } }, 'MARK')).toThrow(/invalid become user '-c'/)
  })
})

describe("su's password prompt", () => {
  const lines = [
    'Password: ', 'password:', "root's Password: ", 'Mot de passe : ', 'Passwort: ', 'パスワード：', 'Пароль: ', '密码：', '口令:', '口令',
    'Password', 'Passwords do not match', 'Enter Password: ', 'su: Authentication failure', 'Changing password for root.', 'Current password: ', '',
  ]

  it('is recognised on exactly the lines Ansible 2.14\'s su plugin recognises', () => {
    const script = [
      'import json, sys',
      'from ansible.plugins.loader import become_loader',
      "su = become_loader.get('su'); su.set_options()",
      'print(json.dumps([su.check_password_prompt(l.encode()) for l in json.loads(sys.argv[1])]))',
    ].join('\n')
    const ansible = JSON.parse(execFileSync('/usr/bin/python3', ['-c', script, JSON.stringify(lines)], { encoding: 'utf8' })) as boolean[]
    expect(lines.map((l) => suPromptLength(l) > 0)).toEqual(ansible)
    expect(ansible.filter(Boolean).length).toBeGreaterThan(5)
  })

  it('knows every word of Ansible\'s list, and spans the colon so it can be cut from stderr', () => {
    expect(SU_PROMPT_LOCALIZATIONS).toHaveLength(32)
    for (const word of SU_PROMPT_LOCALIZATIONS) expect(suPromptLength(`${word}: x`), word).toBe(word.length + 2)
    expect(suPromptLength('Mot de passe : x')).toBe('Mot de passe : '.length)
  })
})

/** Undoes POSIX quoting of one word made of '...' runs and backslash escapes. */
function unquote(word: string): string {
  return word.replace(/'([^']*)'|\\(.)/gs, (_, quoted: string | undefined, escaped: string | undefined) => quoted ?? escaped ?? '')
}

/** A fake sudo'd process: we play sudo by writing to its stdout/stderr. */
function fakeRun(options: ExecOptions) {
  const stdin = new PassThrough()
  const stdout = new PassThrough()
  const stderr = new PassThrough()
  const written: string[] = []
  stdin.on('data', (b: Buffer) => written.push(b.toString('utf8')))
  let stdinEnded = false
  stdin.on('end', () => (stdinEnded = true))
  let exit: (e: CommandExit) => void = () => undefined
  const exited = new Promise<CommandExit>((resolve) => (exit = resolve))
  const prepared = prepareCommand(sh`cat`, options)
  const result = superviseCommand({ stdin, stdout, stderr, kill: () => exit({ code: null }) }, exited, prepared, options, 'web1')
  const marker = `${prepared.marker ?? ''}\n`
  const tick = (): Promise<void> => new Promise((r) => setImmediate(r))
  return { stdout, stderr, written, marker, result, tick, exit, stdinEnded: () => stdinEnded }
}

/** After the marker: the data went to the command's stdin, its stderr passes through, its stdout is the result. */
async function endsWithDataAndWarning(run: ReturnType<typeof fakeRun>): Promise<void> {
  await run.tick()
  expect(run.written).toEqual(['pw\n', 'DATA'])
  run.stderr.write('warning from the command\n')
  await run.tick()
  run.exit({ code: 0 })
  expect(await run.result).toMatchObject({ stdout: 'DATA', stderr: 'warning from the command\n', code: 0 })
}

describe('the sudo dialogue', () => {
  const become = (password?: string) => ({ user: 'root', method: 'sudo' as const, ...(password ? { password } : {}) })

  it('answers the prompt, then sends stdin once the marker shows, and strips both', async () => {
    const run = fakeRun({ become: become('pw'), stdin: 'DATA' })
    run.stderr.write(`We trust you have received the usual lecture.\n${BECOME_PROMPT}`)
    await run.tick()
    expect(run.written).toEqual(['pw\n'])
    run.stdout.write(run.marker)
    run.stdout.write('DATA')
    await endsWithDataAndWarning(run)
    expect(run.stdinEnded()).toBe(true)
  })

  it('holds stdin back until the marker even when sudo never asks (cached or NOPASSWD)', async () => {
    const run = fakeRun({ become: become('pw'), stdin: 'DATA' })
    await run.tick()
    expect(run.written).toEqual([])
    run.stdout.write(run.marker.slice(0, 5)) // the marker may arrive in pieces
    await run.tick()
    expect(run.written).toEqual([])
    run.stdout.write(`${run.marker.slice(5)}out`)
    await run.tick()
    expect(run.written).toEqual(['DATA'])
    run.exit({ code: 0 })
    expect((await run.result).stdout).toBe('out')
  })

  it('gives up at the second prompt and reports an incorrect password without echoing it', async () => {
    const run = fakeRun({ become: become('s3cret'), stdin: 'DATA' })
    run.stderr.write(BECOME_PROMPT)
    await run.tick()
    run.stderr.write(`Sorry, try again.\n${BECOME_PROMPT}`)
    await run.tick()
    expect(run.stdinEnded()).toBe(true)
    expect(run.written).toEqual(['s3cret\n'])
    run.exit({ code: 1 })
    const err = await run.result.catch((e: unknown) => e)
    expect(err).toBeInstanceOf(BecomeError)
    expect((err as Error).message).toBe('sudo: incorrect password for become user root on host web1')
  })

  it("turns sudo's own refusal into a BecomeError, but a failing command into a result", async () => {
    const refused = fakeRun({ become: become() })
    refused.stderr.write('sudo: a password is required\n')
    await refused.tick()
    refused.exit({ code: 1 })
    await expect(refused.result).rejects.toThrow(/a password is required for become user root on host web1/)

    const failing = fakeRun({ become: become() })
    failing.stdout.write(failing.marker)
    failing.stderr.write('cat: x: No such file\n')
    await failing.tick()
    failing.exit({ code: 1 })
    expect(await failing.result).toMatchObject({ code: 1, stderr: 'cat: x: No such file\n' })
  })
})

describe('the su dialogue', () => {
  const become = (password?: string, user = 'root') => ({ user, method: 'su' as const, ...(password ? { password } : {}) })

  it('answers su\'s prompt on stdin, then sends stdin once the marker shows, and strips the prompt and login chatter', async () => {
    const run = fakeRun({ become: become('pw'), stdin: 'DATA' })
    run.stderr.write('Password: ')
    await run.tick()
    expect(run.written).toEqual(['pw\n'])
    run.stdout.write(`printed by a login profile\n${run.marker}DATA`)
    await endsWithDataAndWarning(run)
  })

  it('answers a prompt in the host\'s language', async () => {
    const run = fakeRun({ become: become('pw') })
    run.stderr.write('Mot de passe : ')
    await run.tick()
    expect(run.written).toEqual(['pw\n'])
  })

  it('reports a wrong password as "Incorrect su password" without echoing it', async () => {
    const run = fakeRun({ become: become('s3cret'), stdin: 'DATA' })
    run.stderr.write('Password: ')
    await run.tick()
    run.stderr.write('su: Authentication failure\n')
    await run.tick()
    run.exit({ code: 1 })
    const err = await run.result.catch((e: unknown) => e)
    expect(err).toBeInstanceOf(BecomeError)
    expect((err as Error).message).toBe('Incorrect su password for become user root on host web1')
    expect(run.written).toEqual(['s3cret\n'])
  })

  it('closes stdin at once when su asks and there is no password, and says it is missing', async () => {
    const run = fakeRun({ become: become(undefined, 'bob') })
    run.stderr.write('Password: ')
    await run.tick()
    expect(run.stdinEnded()).toBe(true)
    expect(run.written).toEqual([])
    run.stderr.write('su: Authentication failure\n')
    run.exit({ code: 1 })
    await expect(run.result).rejects.toThrow('Missing su password for become user bob on host web1; set ansible_become_password (or --ask-become-pass)')
  })

  it('gives up, instead of hanging, on a prompt it does not recognise', async () => {
    vi.useFakeTimers({ toFake: ['setTimeout', 'clearTimeout'] })
    try {
      const run = fakeRun({ become: become('pw') })
      run.stderr.write('Passphrase du compte : ')
      await run.tick()
      expect(run.written).toEqual([])
      vi.advanceTimersByTime(SU_ESCALATION_TIMEOUT_MS)
      await expect(run.result).rejects.toThrow(/^su did not let us in within 30 s for become user root on host web1 \(a password prompt tsplay does not recognise\?\): Passphrase du compte :$/)
    } finally {
      vi.useRealTimers()
    }
  })

  it('lets a command print "Password:" once su has let it in', async () => {
    const run = fakeRun({ become: become('pw') })
    run.stdout.write(run.marker)
    await run.tick()
    run.stderr.write('Password: not a prompt now\n')
    await run.tick()
    run.exit({ code: 0 })
    expect(await run.result).toMatchObject({ stderr: 'Password: not a prompt now\n', code: 0 })
    expect(run.written).toEqual([]) // su never asked: the password is not sent
  })
})
