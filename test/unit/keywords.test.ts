/** The pure parts of the task keywords: boolean rules, connection precedence, sessions, throttle, module_defaults. */
import { describe, expect, it } from 'vitest'
import { connectionSpec, createHostRun } from '../../engine/exec/hosts.js'
import { flag, wholeNumber } from '../../engine/exec/keywords.js'
import { defaultRunOptions } from '../../engine/exec/options.js'
import { Throttle } from '../../engine/exec/throttle.js'
import { toBoolean } from '../../engine/playbook/attrs.js'
import { moduleDefaultsOf } from '../../engine/playbook/module-defaults.js'
import { VarScope } from '../../engine/vars.js'

const scope = new VarScope([{ source: 'test', vars: { yes_word: 'yes', t: 't', one: 1, maybe: 'maybe', n: '3' } }])

describe('keyword values', () => {
  it("convert as Ansible's strict booleans, literal or rendered", () => {
    expect(['yes', 'on', 'y', 't', 'true', '1', 1, true].map(toBoolean)).toEqual(Array(8).fill(true))
    expect(['no', 'off', 'n', 'f', 'false', '0', 0, false].map(toBoolean)).toEqual(Array(8).fill(false))
    expect(toBoolean('maybe')).toBeUndefined()
    expect(flag(scope, 'ignore_errors', '{{ yes_word }}')).toBe(true)
    expect(flag(scope, 'ignore_errors', '{{ t }}')).toBe(true)
    expect(flag(scope, 'ignore_errors', '{{ one == 2 }}')).toBe(false)
    expect(flag(scope, 'ignore_errors', undefined)).toBeUndefined()
    expect(() => flag(scope, 'no_log', '{{ maybe }}')).toThrow("the field 'no_log' has an invalid value ({{ maybe }}), and could not be converted to a bool")
    expect(wholeNumber(scope, 'throttle', '{{ n }}')).toBe(3)
    expect(() => wholeNumber(scope, 'timeout', '{{ maybe }}')).toThrow("the field 'timeout' has an invalid value ({{ maybe }}): it must render to a whole number, got 'maybe'")
  })
})

describe('connectionSpec', () => {
  const vars = (v: Record<string, unknown>) => (name: string) => v[name]
  const options = defaultRunOptions({ user: 'cli-user' })

  it('host variables beat the keywords, which beat -u and -c, as in Ansible', () => {
    expect(connectionSpec('h', vars({}), options, { remoteUser: 'kw', port: 2200 })).toMatchObject({ user: 'kw', port: 2200, kind: 'ssh' })
    expect(connectionSpec('h', vars({ ansible_user: 'inv', ansible_port: 22 }), options, { remoteUser: 'kw', port: 2200 })).toMatchObject({ user: 'inv', port: 22 })
    expect(connectionSpec('h', vars({}), options, {})).toMatchObject({ user: 'cli-user', port: 22 })
    expect(connectionSpec('h', vars({}), options, { connection: 'local' }).kind).toBe('local')
    expect(connectionSpec('h', vars({ ansible_connection: 'ssh' }), options, { connection: 'local' }).kind).toBe('ssh')
    expect(connectionSpec('h', vars({ ansible_connection: 'local' }), options, { connection: 'ssh' }).kind).toBe('local')
    expect(connectionSpec('h', vars({}), defaultRunOptions({ connection: 'ssh' }), { connection: 'local' }).kind).toBe('local')
    expect(connectionSpec('h', vars({}), defaultRunOptions({ connection: 'local' }), {}).kind).toBe('local')
    // A -c no host uses is never looked at (Ansible's template target passes `-c ansible_managed.cfg`).
    expect(connectionSpec('h', vars({ ansible_connection: 'local' }), defaultRunOptions({ connection: 'ansible_managed.cfg' }), {}).kind).toBe('local')
    expect(connectionSpec('h', vars({ ansible_connection: 'ansible.builtin.paramiko_ssh' }), options, {}).kind).toBe('ssh')
  })

  it("names the connection plugin tsplay lacks, rather than reaching the host some other way", () => {
    expect(() => connectionSpec('h', vars({ ansible_connection: 'docker' }), options, {})).toThrow("the connection plugin 'docker' was not found")
  })
})

describe('sessions of a host', () => {
  it('are one per (connection, user, port): the same keywords reuse it, others open their own', async () => {
    const asked: unknown[] = []
    const host = createHostRun('h', (keywords) => {
      asked.push(keywords)
      return connectionSpec('h', () => undefined, defaultRunOptions({ connection: 'local' }), keywords)
    })
    const a = await host.state.connect()
    const b = await host.session({ remoteUser: 'x' }).connect()
    expect(b).toBe(a) // local: one session whoever the user
    expect(host.session({}).facts).toBe(host.state.facts)
    const view = host.session({ port: 2 })
    host.state.facts = { replaced: true }
    expect(view.facts).toEqual({ replaced: true })
    await host.close()
    expect(asked).toEqual([{}, { remoteUser: 'x' }])
  })
})

describe('Throttle', () => {
  it('admits at most the limit of hosts to a task, the rest in arrival order, each task on its own', async () => {
    const throttle = new Throttle()
    const order: string[] = []
    const leaveA = await throttle.enter('t', 2)
    const leaveB = await throttle.enter('t', 2)
    const otherTask = await throttle.enter('u', 1)
    const c = throttle.enter('t', 2).then((leave) => (order.push('c'), leave))
    const d = throttle.enter('t', 2).then((leave) => (order.push('d'), leave))
    await new Promise((r) => setTimeout(r, 5))
    expect(order).toEqual([])
    leaveA()
    leaveA() // leaving twice frees one place only
    await new Promise((r) => setTimeout(r, 5))
    expect(order).toEqual(['c'])
    leaveB()
    ;(await d)()
    ;(await c)()
    otherTask()
    expect(order).toEqual(['c', 'd'])
  })
})

describe('module_defaults', () => {
  it('take a mapping or a list of them; group/ names, templated names and non-mappings are refused', () => {
    expect(moduleDefaultsOf({ copy: { mode: '0644' } }, undefined, 'module_defaults')[0]?.entries).toEqual({ copy: { mode: '0644' } })
    expect(moduleDefaultsOf([{ a: {} }, { b: '{{ x }}' }], undefined, 'module_defaults').map((d) => d.entries)).toEqual([{ a: {} }, { b: '{{ x }}' }])
    expect(() => moduleDefaultsOf({ 'group/aws': {} }, undefined, 'module_defaults')).toThrow('action groups')
    expect(() => moduleDefaultsOf({ '{{ m }}': {} }, undefined, 'module_defaults')).toThrow('cannot be a template')
    expect(() => moduleDefaultsOf({ copy: 'text' }, undefined, 'module_defaults')).toThrow('must be a mapping')
    expect(() => moduleDefaultsOf('copy', undefined, 'module_defaults')).toThrow('must be a mapping')
  })
})
