/** command, shell, wait_for and the controller-only modules on the local host. */
import { existsSync, writeFileSync } from 'node:fs'
import { createServer } from 'node:net'
import { join } from 'node:path'
import { describe, expect, it } from 'vitest'
import { runTestModule, tempDir } from '../helpers/module-harness.js'

describe('command', () => {
  it('is skipped in check mode, runs for real with Ansible’s result fields', async () => {
    const dir = tempDir()
    const args = { cmd: `touch ${join(dir, 'ran')}` }
    const check = await runTestModule('command', args, { check: true })
    expect(check).toMatchObject({ status: 'skipped', msg: 'Command would have run if not in check mode' })
    expect(existsSync(join(dir, 'ran'))).toBe(false)
    const real = await runTestModule('command', { cmd: 'printf "a\\nb\\n"' })
    expect(real.status).toBe('changed')
    expect(real.result).toMatchObject({ rc: 0, stdout: 'a\nb', stdout_lines: ['a', 'b'], stderr: '', cmd: ['printf', 'a\\nb\\n'] })
    expect(real.result['delta']).toMatch(/^0:00:00\.\d{6}$/)
    expect(real.result['start']).toMatch(/^\d{4}-\d\d-\d\d \d\d:\d\d:\d\d\.\d{6}$/)
  })

  it('skips when creates exists or removes does not, in check mode as for real', async () => {
    const dir = tempDir()
    writeFileSync(join(dir, 'done.flag'), '')
    for (const check of [true, false]) {
      const created = await runTestModule('command', { cmd: 'false', creates: join(dir, '*.flag') }, { check })
      expect(created).toMatchObject({ status: 'ok', result: { changed: false, stdout: `skipped, since ${join(dir, '*.flag')} exists`, rc: 0 } })
      const removed = await runTestModule('command', { cmd: 'false', removes: join(dir, 'gone') }, { check })
      expect(removed.status).toBe('ok')
    }
    const inline = await runTestModule('command', { cmd: `false creates=done.flag chdir=${dir}` })
    expect(inline.status).toBe('ok')
  })

  it('fails on a non-zero exit with rc, stdout and stderr', async () => {
    const out = await runTestModule('command', { cmd: 'ls /definitely/not/here' })
    expect(out.status).toBe('failed')
    expect(out.msg).toBe('non-zero return code')
    expect(out.result).toMatchObject({ rc: 2, failed: true })
    expect(String(out.result['stderr'])).toMatch(/No such file/)
  })

  it('never runs its text through a shell: metacharacters stay arguments', async () => {
    const dir = tempDir()
    const out = await runTestModule('command', { cmd: `echo a; touch ${join(dir, 'x')} $(id) \`id\` | cat`, expand_argument_vars: false })
    expect(out.result['stdout']).toBe(`a; touch ${join(dir, 'x')} $(id) \`id\` | cat`)
    expect(existsSync(join(dir, 'x'))).toBe(false)
  })

  it('expands $VARS and ~ like Ansible, leaving unset variables as written', async () => {
    const out = await runTestModule('command', { cmd: 'echo $HOME ${HOME}x ~ $TSPLAY_SURELY_UNSET ${TSPLAY_SURELY_UNSET}' })
    const home = process.env['HOME'] ?? ''
    expect(out.result['stdout']).toBe(`${home} ${home}x ${home} $TSPLAY_SURELY_UNSET \${TSPLAY_SURELY_UNSET}`)
  })

  it('passes argv words byte for byte, runs in chdir, feeds stdin', async () => {
    const dir = tempDir()
    const words = ["it's", '"q"', '$(x)', '-n', 'ü 😀', '']
    const argv = await runTestModule('command', { argv: ['printf', '[%s]', ...words], expand_argument_vars: false })
    expect(argv.result['stdout']).toBe(words.map((w) => `[${w}]`).join(''))
    expect((await runTestModule('command', { cmd: 'pwd', chdir: dir })).result['stdout']).toBe(dir)
    expect((await runTestModule('command', { cmd: 'cat', stdin: 'hi' })).result['stdout']).toBe('hi')
    expect((await runTestModule('command', { cmd: 'cat', stdin: 'hi', stdin_add_newline: false, strip_empty_ends: false })).result['stdout']).toBe('hi')
  })

  it('ignores executable with Ansible’s warning, and fails on a chdir it cannot enter as Ansible does', async () => {
    const out = await runTestModule('command', { cmd: 'ls /dev/null', executable: '/bogus' })
    expect(out.result).toMatchObject({ stdout: '/dev/null', warnings: [expect.stringContaining('no longer supported')] })
    const dir = join(tempDir(), 'nope')
    const bad = await runTestModule('command', { cmd: 'echo', chdir: dir })
    expect(bad).toMatchObject({ status: 'failed', msg: `Unable to change directory before execution: [Errno 2] No such file or directory: b'${dir}'` })
  })

  it('fails clearly on bad arguments and unbalanced quotes', async () => {
    expect(await runTestModule('command', {})).toMatchObject({ status: 'failed', msg: 'no command given', result: { rc: 256 } })
    expect((await runTestModule('command', { cmd: 'ls', argv: ['ls'] })).msg).toBe('only command or argv can be given, not both')
    expect((await runTestModule('command', { cmd: "echo 'oops" })).msg).toBe('cannot split the command into words: No closing quotation')
    expect((await runTestModule('command', { cmd: 'ls', chdirr: '/' })).msg).toMatch(/unknown argument 'chdirr' \(did you mean 'chdir'\?\)/)
  })
})

describe('shell', () => {
  it('runs the text as written: pipes, redirects, variables', async () => {
    const dir = tempDir()
    const out = await runTestModule('shell', { cmd: `echo "$((1+2))" | tr 3 x > out && cat out; echo err >&2`, chdir: dir })
    expect(out.result).toMatchObject({ stdout: 'x', stderr: 'err', rc: 0, cmd: `echo "$((1+2))" | tr 3 x > out && cat out; echo err >&2` })
    expect(existsSync(join(dir, 'out'))).toBe(true)
  })

  it('cannot escape chdir with a ; and honours executable', async () => {
    const out = await runTestModule('shell', { cmd: 'echo first; echo second', chdir: '/nonexistent-dir' })
    expect(out.status).toBe('failed')
    expect(out.result['stdout']).toBe('')
    const bash = await runTestModule('shell', { cmd: 'echo ${BASH_VERSION:+bash}', executable: '/bin/bash' })
    expect(bash.result['stdout']).toBe('bash')
  })

  it('honours creates= written at the end of the text', async () => {
    const dir = tempDir()
    writeFileSync(join(dir, 'flag'), '')
    expect((await runTestModule('shell', { cmd: `exit 1 creates=${join(dir, 'flag')}` })).status).toBe('ok')
  })
})

describe('wait_for', () => {
  it('waits for a file to appear, also in check mode (waiting writes nothing)', async () => {
    const dir = tempDir()
    const path = join(dir, 'ready')
    setTimeout(() => writeFileSync(path, 'pid=42 state=up\n'), 1200)
    const check = await runTestModule('wait_for', { path, timeout: 10, sleep: 0.2 }, { check: true })
    expect(check.status).toBe('ok')
    expect(Number(check.result['elapsed'])).toBeGreaterThanOrEqual(1)
    const found = await runTestModule('wait_for', { path, search_regex: 'pid=(?P<pid>\\d+)', timeout: 5 })
    expect(found.result).toMatchObject({ match_groups: ['42'], match_groupdict: { pid: '42' } })
  })

  it('fails with Ansible’s message (or msg) when the time is up', async () => {
    const path = join(tempDir(), 'never')
    const out = await runTestModule('wait_for', { path, timeout: 1 })
    expect(out.status).toBe('failed')
    expect(out.msg).toBe(`Timeout when waiting for file ${path}`)
    expect((await runTestModule('wait_for', { path: '/', state: 'absent', timeout: 1, msg: 'root stays' })).msg).toBe('root stays')
  })

  it('waits for a port to open and for one to be closed', async () => {
    const server = createServer((sock) => {
      // A bare connect-and-close probe resets the connection; that is not the test's concern.
      sock.on('error', () => {})
      sock.end('SSH-2.0-fake\n')
    })
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
    const address = server.address()
    const port = typeof address === 'object' && address ? address.port : 0
    try {
      expect((await runTestModule('wait_for', { port, timeout: 5 })).status).toBe('ok')
      expect((await runTestModule('wait_for', { port, search_regex: 'SSH-2\\.0', timeout: 5 })).status).toBe('ok')
      const stillOpen = await runTestModule('wait_for', { port, state: 'stopped', timeout: 1 })
      expect(stillOpen.msg).toBe(`Timeout when waiting for 127.0.0.1:${port} to stop.`)
    } finally {
      await new Promise((resolve) => server.close(resolve))
    }
    expect((await runTestModule('wait_for', { port, state: 'stopped', timeout: 5 })).status).toBe('ok')
  })

  it('with neither port nor path, just waits timeout seconds', async () => {
    const out = await runTestModule('wait_for', { timeout: 1 })
    expect(out.status).toBe('ok')
    expect(Number(out.result['elapsed'])).toBeGreaterThanOrEqual(1)
  })
})

describe('controller-only modules', () => {
  it('debug prints a message or a variable', async () => {
    expect((await runTestModule('debug', { msg: 'hi' })).result).toMatchObject({ msg: 'hi', changed: false })
    expect((await runTestModule('debug', {})).result['msg']).toBe('Hello world!')
    // As Ansible prints it: the var is rendered as "{{app.port}}" is, to text.
    expect((await runTestModule('debug', { var: 'app.port' }, { vars: { app: { port: 80 } } })).result).toMatchObject({ 'app.port': '80' })
    expect((await runTestModule('debug', { var: 'nope' })).result).toMatchObject({ nope: 'VARIABLE IS NOT DEFINED!' })
    // A var written as a template fails on any error, as Ansible's task arguments do; a bare name only on others.
    expect(await runTestModule('debug', { var: '{{ nope }}' })).toMatchObject({ status: 'failed', msg: expect.stringContaining("'nope' is undefined") })
    expect(await runTestModule('debug', { var: "{{ lookup('vars', 'x') }}" })).toMatchObject({ status: 'failed', msg: expect.stringContaining('No variable found with this name: x') })
    expect(await runTestModule('debug', { var: "'a' | regex_search('(')" })).toMatchObject({ status: 'failed', msg: expect.stringContaining('missing )') })
    expect((await runTestModule('debug', { msg: 'x', verbosity: 2 })).result).toMatchObject({ skipped: true })
  })

  it('assert passes or fails with fail_msg and the failing assertion', async () => {
    const vars = { n: 3, name: 'db1' }
    const ok = await runTestModule('assert', { that: ['n > 2', "name.startswith('db')"], success_msg: 'fine' }, { vars })
    expect(ok).toMatchObject({ status: 'ok', result: { msg: 'fine' } })
    const bad = await runTestModule('assert', { that: ['n > 2', 'n > 5'], fail_msg: 'n too small' }, { vars })
    expect(bad).toMatchObject({ status: 'failed', msg: 'n too small', result: { assertion: 'n > 5', evaluated_to: false } })
    expect((await runTestModule('assert', { that: 'n == 4' }, { vars })).msg).toBe('Assertion failed')
    expect((await runTestModule('assert', { that: ['undefined_thing'] }, { vars })).msg).toMatch(/The conditional check 'undefined_thing' failed/)
  })

  it('fail always fails', async () => {
    expect((await runTestModule('fail', {})).msg).toBe('Failed as requested from task')
    expect((await runTestModule('fail', { msg: 'stop' })).msg).toBe('stop')
  })

  it('set_fact returns every given key as ansible_facts', async () => {
    const outcome = await runTestModule('set_fact', { a: 1, b: [2], cacheable: true })
    expect(outcome.status).toBe('ok')
    // Ansible's set_fact marks cacheable facts for the strategy the same way.
    expect(outcome.result).toEqual({ changed: false, ansible_facts: { a: 1, b: [2] }, _ansible_facts_cacheable: true })
  })
})

describe('ping and pause', () => {
  it('ping answers pong or the data given, and crashes on request as Ansible’s does', async () => {
    expect((await runTestModule('ping', {})).result).toEqual({ changed: false, ping: 'pong' })
    expect((await runTestModule('ping', { data: 'x' }, { check: true })).result).toMatchObject({ ping: 'x' })
    expect(await runTestModule('ping', { data: 'crash' })).toMatchObject({ status: 'failed', msg: 'MODULE FAILURE\nSee stdout/stderr for the exact error', result: { rc: 1 } })
  })

  it('pause waits the seconds given, in check mode too, and says so as Ansible does', async () => {
    const started = Date.now()
    const out = await runTestModule('pause', { seconds: 1 }, { check: true })
    expect(Date.now() - started).toBeGreaterThanOrEqual(1000)
    expect(out.result).toMatchObject({ changed: false, rc: 0, delta: 1, echo: true, user_input: '' })
    expect(out.result['stdout']).toMatch(/^Paused for 1\.\d+ seconds$/)
  })
})

describe('setup', () => {
  it('gathers facts in one command, also in check mode, and filters them by pattern', async () => {
    const all = await runTestModule('setup', {}, { check: true })
    expect(all.status).toBe('ok')
    const facts = all.result['ansible_facts'] as Record<string, unknown>
    expect(facts['ansible_system']).toBe('Linux')
    expect(typeof facts['ansible_hostname']).toBe('string')
    const some = await runTestModule('setup', { filter: ['ansible_host*', 'ansible_syste?'] })
    expect(Object.keys(some.result['ansible_facts'] as object).sort()).toEqual(['ansible_hostname', 'ansible_system'])
  })

  it("filters with fnmatch's [!seq]: 'ansible_[!h]ostname' leaves out ansible_hostname", async () => {
    const some = await runTestModule('setup', { filter: ['ansible_[!h]ostname', 'ansible_syste[!x]'] })
    expect(Object.keys(some.result['ansible_facts'] as object)).toEqual(['ansible_system'])
  })
})
