/**
 * systemd and service: the unit read (captured `systemctl show` outputs of a Debian 12 lab
 * host), Ansible's rules for found/enabled/running, the verbs a task needs, and check mode
 * planning against a unit file an earlier task would write.
 */
import { describe, expect, it } from 'vitest'
import { validateArgs } from '../../../engine/args.js'
import { ArgsError } from '../../../engine/errors.js'
import { parseSystemctlShow, parseSysvOutput, parseUnitOutput, type UnitState } from '../../../engine/facts/services.js'
import { decideUnit, isEnabled, unitAfter, unitFromFile, unitName, type UnitArgs } from '../../../modules/service/systemd-decide.js'
import { sysvCommand } from '../../../modules/service/service-sysv.js'
import { defaultModules } from '../../helpers/module-harness.js'
import { ABSENT, FakeHost, fixture, runTask, runTasks } from '../../helpers/fake-host.js'

const MARK = '@@tsplay:'

/** What the unit fact's script prints for a unit: show output, is-enabled output and rc, init script marks. */
function factOutput(show: string, enabled: string, enabledRc: number, extra: string[] = []): string {
  return `${show}\n${MARK}show 0\n${enabled}${enabled ? '\n' : ''}${MARK}enabled ${enabledRc}\n${extra.map((e) => `${MARK}${e}\n`).join('')}`
}

const ssh = parseUnitOutput(factOutput(fixture('systemctl-show-ssh.txt'), 'enabled', 0, ['initd']))
const journald = parseUnitOutput(factOutput(fixture('systemctl-show-static.txt'), 'static', 0))
const missing = parseUnitOutput(factOutput(fixture('systemctl-show-not-found.txt'), '', 1))
const masked = parseUnitOutput(factOutput(fixture('systemctl-show-masked.txt'), 'masked', 1))
const stopped: UnitState = { ...ssh, status: { ...ssh.status, ActiveState: 'inactive', SubState: 'dead' } }

describe('the unit read parses systemctl as it prints', () => {
  it('reads every property of systemctl show, Exec lines included', () => {
    expect(ssh.status).toMatchObject({ Id: 'ssh.service', LoadState: 'loaded', ActiveState: 'active', SubState: 'running', UnitFileState: 'enabled', MainPID: '57' })
    expect(ssh.status['ExecStart']).toMatch(/^\{ path=\/usr\/sbin\/sshd/)
    expect(ssh).toMatchObject({ showRc: 0, enabledOut: 'enabled', enabledRc: 0, initd: true, sysvEnabled: false })
  })

  it('keeps a multi-line Exec value whole and a Description that starts with { as one line, as Ansible does', () => {
    expect(parseSystemctlShow(['ExecStart={ path=/bin/x ;', '  argv[]=/bin/x }', 'Description={weird', 'Id=x.service'])).toEqual({
      ExecStart: '{ path=/bin/x ;\n  argv[]=/bin/x }',
      Description: '{weird',
      Id: 'x.service',
    })
  })

  it('reads a SysV service: script, status, rc.d link', () => {
    expect(parseSysvOutput('exists\nstatus 0\nenabled\n')).toEqual({ exists: true, running: true, enabled: true })
    expect(parseSysvOutput('status 3\n')).toEqual({ exists: false, running: false, enabled: false })
  })

  it('names a unit as systemctl does', () => {
    expect(unitName('ssh')).toBe('ssh.service')
    expect(unitName('docker.socket')).toBe('docker.socket')
    expect(unitName('getty@tty1.service')).toBe('getty@tty1.service')
  })
})

describe("systemd decides with Ansible's rules", () => {
  it.each([
    ['enabled', 0, true],
    ['static', 0, true],
    ['generated', 0, true],
    ['indirect', 0, false],
    ['alias', 0, false],
    ['disabled', 1, false],
    ['masked', 1, false],
  ] as const)('is-enabled %s (exit %i) counts as enabled: %s', (out, rc, enabled) => {
    expect(isEnabled({ ...ssh, enabledOut: out, enabledRc: rc, initd: false })).toBe(enabled)
  })

  const cases: [string, UnitState, Omit<UnitArgs, 'name'>, string[]][] = [
    ['running, wanted started', ssh, { state: 'started' }, []],
    ['stopped, wanted started', stopped, { state: 'started' }, ['start']],
    ['running, wanted stopped', ssh, { state: 'stopped' }, ['stop']],
    ['running, restarted always acts', ssh, { state: 'restarted' }, ['restart']],
    ['running, reloaded always acts', ssh, { state: 'reloaded' }, ['reload']],
    ['stopped, reloaded starts it', stopped, { state: 'reloaded' }, ['start']],
    ['disabled, wanted enabled and started', { ...stopped, enabledOut: 'disabled', enabledRc: 1, initd: false }, { enabled: true, state: 'started' }, ['enable', 'start']],
    ['static counts as enabled', journald, { enabled: true }, []],
    ['masked, wanted unmasked', masked, { masked: false }, ['unmask']],
    ['missing, wanted masked', missing, { masked: true }, ['mask']],
    ['missing, wanted stopped', missing, { state: 'stopped' }, []],
    ['missing, wanted disabled', missing, { enabled: false }, []],
  ]
  it.each(cases)('%s', (_what, unit, args, verbs) => {
    const d = decideUnit(unit, { name: 'x', ...args })
    expect(d.failed).toBeUndefined()
    expect(d.verbs).toEqual(verbs)
  })

  it("fails on a unit that does not exist with Ansible's message and systemd's words", () => {
    expect(decideUnit(missing, { name: 'nosuch', state: 'started' }).failed).toBe('Could not find the requested service nosuch: host (Unit nosuch.service not found.)')
    expect(decideUnit(missing, { name: 'nosuch', enabled: true }).failed).toMatch(/^Could not find the requested service nosuch/)
  })

  it('fails on a unit file systemd cannot load, but not on a masked unit', () => {
    const broken = { ...ssh, status: { ...ssh.status, LoadError: 'org.freedesktop.systemd1.BadUnitSetting "Unit x.service has a bad unit file setting."' } }
    expect(decideUnit(broken, { name: 'x', state: 'started' }).failed).toBe("Error loading unit file 'x': Unit x.service has a bad unit file setting.")
    expect(decideUnit(masked, { name: 'sudo', state: 'stopped' }).failed).toBeUndefined()
  })

  it('reports state and enabled as Ansible does (the wanted values), status as read', () => {
    const d = decideUnit(stopped, { name: 'ssh', state: 'restarted', enabled: true })
    expect(d.result).toMatchObject({ name: 'ssh', state: 'started', enabled: true })
    expect(d.result['status']).toBe(stopped.status)
  })

  it('predicts the unit after its verbs', () => {
    const after = unitAfter({ ...stopped, enabledOut: 'disabled', enabledRc: 1 }, ['enable', 'start'])
    expect(after.status).toMatchObject({ ActiveState: 'active', UnitFileState: 'enabled' })
    expect(isEnabled(after)).toBe(true)
  })

  it('reads a unit file systemd does not know yet: disabled with an [Install] section, static without', () => {
    const withInstall = unitFromFile('app.service', '/etc/systemd/system/app.service', '[Unit]\nDescription=a\n[Service]\nExecStart=/bin/true\n[Install]\nWantedBy=multi-user.target\n')
    expect(withInstall.status).toMatchObject({ LoadState: 'loaded', ActiveState: 'inactive', UnitFileState: 'disabled' })
    expect(isEnabled(withInstall)).toBe(false)
    expect(isEnabled(unitFromFile('b.service', '/x', '[Service]\nExecStart=/bin/true\n'))).toBe(true)
  })
})

const UNIT = '[Unit]\nDescription=refapp\n[Service]\nExecStart=/bin/sleep infinity\n[Install]\nWantedBy=multi-user.target\n'

/** A systemd host where `ssh` runs and `refapp` is not installed (its unit file absent). */
function systemdHost(): FakeHost {
  return new FakeHost([
    [/u=ssh\.service/, { stdout: factOutput(fixture('systemctl-show-ssh.txt'), 'enabled', 0, ['initd']) }],
    [/u=\S+\.service/, (text) => ({ stdout: factOutput(fixture('systemctl-show-not-found.txt').replaceAll('nosuch', /u=(\S+)\.service/.exec(text)?.[1] ?? ''), '', 1) })],
    [/p=\/etc\/systemd\/system\/refapp\.service/, ABSENT],
    [/p=\/\S+\.service/, ABSENT],
    [/p=/, ABSENT],
    // The systemctl verbs (daemon-reload, enable, start, reload, ...) succeed.
    [/^systemctl /, {}],
  ])
}

describe('the systemd module on a scripted host', () => {
  it('is ok, with one read, for a running enabled unit', async () => {
    const host = systemdHost()
    const r = await runTask(host, 'systemd', { name: 'ssh', state: 'started', enabled: true })
    expect(r.status).toBe('ok')
    expect(host.sent).toHaveLength(1)
    expect(r.result).toMatchObject({ name: 'ssh', state: 'started', enabled: true, status: { ActiveState: 'active' } })
  })

  it('counts daemon_reload alone as a change, and runs it', async () => {
    const host = systemdHost()
    const r = await runTask(host, 'systemd', { daemon_reload: true })
    expect(r.status).toBe('changed')
    expect(host.sent.map((s) => s.text)).toEqual(['systemctl daemon-reload'])
  })

  it('reloads a running service every time it is asked (a handler)', async () => {
    const host = systemdHost()
    const r = await runTask(host, 'service', { name: 'ssh', state: 'reloaded' }, { facts: { ansible_service_mgr: 'systemd' } })
    expect(r.status).toBe('changed')
    expect(host.ran(/^systemctl reload/).map((s) => s.text)).toEqual(['systemctl reload -- ssh.service'])
    expect(r.diff[0]).toMatchObject({ before: 'state: active\nenabled: enabled\n', after: 'state: active (reloaded)\nenabled: enabled\n' })
  })

  it('fails on a unit that is nowhere, and is ok stopping it', async () => {
    const r = await runTask(systemdHost(), 'systemd', { name: 'refapp', state: 'started' })
    expect(r.status).toBe('failed')
    expect(r.msg).toBe('Could not find the requested service refapp: host (Unit refapp.service not found.)')
    expect((await runTask(systemdHost(), 'systemd', { name: 'refapp', state: 'stopped' })).status).toBe('ok')
  })

  it('in check mode, plans start and enable for a unit an earlier copy would write, after a daemon-reload', async () => {
    const host = systemdHost()
    const outcomes = await runTasks(
      host,
      [
        ['copy', { dest: '/etc/systemd/system/refapp.service', content: UNIT, mode: '0644' }],
        ['systemd', { daemon_reload: true }],
        ['systemd', { name: 'refapp', enabled: true, state: 'started' }],
        ['systemd', { name: 'refapp', state: 'started' }],
      ],
      { check: true },
    )
    expect(outcomes.map((o) => o.status)).toEqual(['changed', 'changed', 'changed', 'ok'])
    expect(outcomes[2]?.actions).toEqual(['systemctl enable refapp.service', 'systemctl start refapp.service'])
    expect(host.ran(/^systemctl|^p=.*mktemp/)).toEqual([])
  })

  it('runs the verbs in order with --no-block when asked, and names the failing one', async () => {
    const host = systemdHost().on(/u=app\.service/, { stdout: factOutput(fixture('systemctl-show-not-found.txt').replace('not-found', 'loaded').replace(/^LoadError=.*$/m, ''), 'disabled', 1) })
    host.on(/^systemctl --no-block start/, { stderr: 'Job for app.service failed.\n', code: 1 })
    const r = await runTask(host, 'systemd', { name: 'app', enabled: true, state: 'started', no_block: true })
    expect(host.ran(/^systemctl/).map((s) => s.text)).toEqual(['systemctl --no-block enable -- app.service', 'systemctl --no-block start -- app.service'])
    expect(r.status).toBe('failed')
    expect(r.msg).toBe('Unable to start service app: Job for app.service failed.')
  })

  it('rejects bad arguments when the playbook loads: a state outside the choices, a user scope, a missing name', () => {
    const systemd = defaultModules().find('systemd')
    if (!systemd) throw new Error('no systemd module')
    expect(() => validateArgs(systemd, { name: 'x', state: 'bogus' }, { allowTemplates: true })).toThrow(ArgsError)
    expect(() => validateArgs(systemd, { name: 'x', state: 'started', scope: 'user' }, { allowTemplates: true })).toThrow(/must be one of: system/)
    expect(() => validateArgs(systemd, { name: 'x' }, { allowTemplates: true })).toThrow(/one of these arguments is required/)
    const service = defaultModules().find('service')
    if (!service) throw new Error('no service module')
    expect(() => validateArgs(service, { state: 'started' }, { allowTemplates: true })).toThrow(/missing required argument 'name'/)
  })
})

describe('the service module on SysV init', () => {
  it('starts and enables through the init script and update-rc.d', async () => {
    const host = new FakeHost([
      [/^n=legacy/, { stdout: 'exists\nstatus 3\n' }],
      [/service legacy start|update-rc\.d legacy/, {}],
    ])
    const r = await runTask(host, 'service', { name: 'legacy', state: 'started', enabled: true }, { facts: { ansible_service_mgr: 'sysvinit' } })
    expect(r.status).toBe('changed')
    expect(host.ran(/update-rc\.d|service legacy/).map((s) => s.text)).toEqual([sysvCommand('legacy', 'enable').text, sysvCommand('legacy', 'start').text])
    expect(r.result).toMatchObject({ name: 'legacy', state: 'started', enabled: true })
  })

  it('detects the service manager in one probe when facts were not gathered', async () => {
    const host = new FakeHost([
      [/run\/systemd\/system/, { stdout: 'init\n' }],
      [/^n=legacy/, { stdout: 'exists\nstatus 0\nenabled\n' }],
    ])
    expect((await runTask(host, 'service', { name: 'legacy', state: 'started', enabled: true })).status).toBe('ok')
  })
})
