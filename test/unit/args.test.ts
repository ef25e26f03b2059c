import { describe, expect, it } from 'vitest'
import { keepWrittenText, validateArgs } from '../../engine/args.js'
import { defineModule } from '../../engine/module.js'
import lineinfile from '../../modules/file/lineinfile.js'
import mysqlUser from '../../modules/mysql/mysql_user.js'

const mod = defineModule({
  name: 'demo',
  description: 'a module for tests',
  args: {
    path: { type: 'path', required: true, aliases: ['dest', 'name'], description: 'the path' },
    state: { type: 'str', choices: ['present', 'absent'], default: 'present', description: 'state' },
    mode: { type: 'mode', description: 'mode' },
    count: { type: 'int', description: 'count' },
    force: { type: 'bool', default: false, description: 'force' },
    names: { type: 'list', elements: 'str', description: 'names' },
    label: { type: 'str', description: 'a string' },
    content: { type: 'str', description: 'content' },
    src: { type: 'path', description: 'src' },
  },
  mutuallyExclusive: [['content', 'src']],
  requiredIf: [['state', 'absent', ['label']]],
  plan: async () => ({ changed: false }),
})

const check = (args: Record<string, unknown>) => validateArgs(mod, args, { allowTemplates: true, pos: { file: 'site.yml', line: 3, col: 7 } })

describe('argument validation', () => {
  it('applies defaults and aliases and coerces types as Ansible does', () => {
    expect(check({ dest: '/x', force: 'yes', count: '3', names: 'a, b,c', mode: 0o644 })).toEqual({
      path: '/x',
      state: 'present',
      force: true,
      count: 3,
      names: ['a', 'b', 'c'],
      mode: '0644',
    })
    expect(check({ path: '/x', mode: '755' })['mode']).toBe('0755')
    expect(check({ path: '/x', mode: 'u=rw,g=r' })['mode']).toBe('u=rw,g=r')
  })

  it('keeps a string argument as the user wrote it, even where YAML 1.1 saw a boolean', () => {
    const written = { label: 'on', dest: '0644', count: '010', names: ['yes', 'b'] }
    const kept = keepWrittenText(mod, { dest: 420, label: true, count: 8, force: true, names: [true, 'b'] }, (key, i) => {
      const text = written[key as keyof typeof written]
      return i === undefined ? (typeof text === 'string' ? text : undefined) : text?.[i]
    })
    // An int or bool argument keeps its value; strings (an alias too, and list items) the text.
    expect(kept).toEqual({ dest: '0644', label: 'on', count: 8, force: true, names: ['yes', 'b'] })
  })

  it('writes a boolean that becomes a string argument as Python does: True/False', () => {
    const given = { path: '/x', label: true, content: false, names: [true] }
    expect(validateArgs(mod, given, { allowTemplates: false })).toMatchObject({ label: 'True', content: 'False', names: ['True'] })
  })

  it('names file, line, column and the fix in every error', () => {
    expect(() => check({ path: '/x', stat: 'present' })).toThrow("site.yml:3:7: module 'demo': unknown argument 'stat' (did you mean 'state'?)")
    expect(() => check({ path: '/x', state: 'gone' })).toThrow("argument 'state' must be one of: present, absent; got 'gone'")
    expect(() => check({})).toThrow("missing required argument 'path'")
    expect(() => check({ path: '/x', count: 'many' })).toThrow("argument 'count' must be an integer; got string 'many'")
    expect(() => check({ path: '/x', force: 'maybe' })).toThrow("argument 'force' must be a boolean")
    expect(() => check({ path: '/x', mode: 'rwxrwxrwx' })).toThrow("argument 'mode' must be an octal mode")
    expect(() => check({ path: '/x', content: 'a', src: 'b' })).toThrow('mutually exclusive: content, src')
    expect(() => check({ path: '/x', state: 'absent' })).toThrow('state is absent but these arguments are missing: label')
    expect(() => check({ path: '/x', dest: '/y' })).toThrow("argument 'path' is given twice")
  })

  it('leaves templated values for run time at load time only', () => {
    expect(check({ path: '/x', count: '{{ n }}' })['count']).toBe('{{ n }}')
    expect(() => validateArgs(mod, { path: '/x', count: '{{ n }}' }, { allowTemplates: false })).toThrow('must be an integer')
  })
})

describe("a module's rules across arguments (checkArgs) are part of its schema", () => {
  const modules = { lineinfile, mysql_user: mysqlUser }
  const atLoad = (name: keyof typeof modules, args: Record<string, unknown>) => () => validateArgs(modules[name], args, { allowTemplates: true, pos: { file: 'site.yml', line: 5, col: 7 } })

  it('lineinfile: a state without the arguments it needs fails at load, with the file and line', () => {
    expect(atLoad('lineinfile', { path: '/x', regexp: '^a' })).toThrow("site.yml:5:7: module 'lineinfile': line is required with state=present")
    expect(atLoad('lineinfile', { path: '/x', state: 'absent' })).toThrow('one of line, search_string, or regexp is required with state=absent')
    expect(atLoad('lineinfile', { path: '/x', line: 'a', backrefs: true })).toThrow('regexp is required with backrefs=true')
  })

  it('lineinfile: a value still a template at load is judged when the task runs, not before', () => {
    expect(atLoad('lineinfile', { path: '/x', line: '{{ wanted }}' })()).toMatchObject({ line: '{{ wanted }}' })
    expect(atLoad('lineinfile', { path: '/x', state: '{{ s }}' })()).toMatchObject({ state: '{{ s }}' })
  })

  it("mysql_user: a priv that is neither Ansible's text nor a mapping fails at load", () => {
    expect(atLoad('mysql_user', { name: 'u', priv: ['db.*:ALL'] })).toThrow("module 'mysql_user': priv must be a string (db.table:PRIVS/...) or a mapping")
    expect(atLoad('mysql_user', { name: 'u', priv: { 'db.*': 'ALL' } })()).toMatchObject({ priv: { 'db.*': 'ALL' } })
  })
})
