import { fileURLToPath } from 'node:url'
import { describe, expect, test } from 'vitest'
import { InventoryError } from '../../engine/errors.js'
import { loadInventory } from '../../engine/inventory/index.js'

const fixture = (name: string): string => fileURLToPath(new URL(`../fixtures/inventory/${name}`, import.meta.url))
const merged = (layers: { vars: Record<string, unknown> }[]): Record<string, unknown> => Object.assign({}, ...layers.map((l) => l.vars))

describe('group_vars and host_vars', () => {
  test('file, extensionless and JSON forms are read for groups and hosts', async () => {
    const inv = await loadInventory([fixture('equivalent/hosts.ini')])
    expect(inv.groups.get('db')?.vars).toEqual({ db_engine: 'mariadb', db_port: 3306 })
    expect(inv.groups.get('prod')?.vars.level).toBe('prod-file')
    // host_vars/db-a.example.com: no extension, and the host name has dots.
    expect(inv.hosts.get('db-a.example.com')?.vars).toEqual({ backup: 'no', rack: 'r1' })
  })

  test('a folder is merged file by file in sorted order, recursively, skipping backups, hidden and other extensions', async () => {
    const inv = await loadInventory([fixture('equivalent/hosts.ini')])
    const web = inv.groups.get('web')?.vars
    expect(web).toMatchObject({ level: 'web-file', packages: ['nginx'], web_dir_order: 'second', deep: true })
    expect(web).not.toHaveProperty('broken')
    expect(inv.hosts.get('lb0')?.vars).toEqual({ weight: 20 })
  })

  test('layers run all < parent < child < host, group_vars/all above every inline group var (Ansible)', async () => {
    const inv = await loadInventory([fixture('equivalent/hosts.ini')])
    const layers = inv.varLayers('web1')
    expect(layers.map((l) => l.source.replace(/^.*fixtures\/inventory\//, ''))).toEqual([
      'group all',
      'group prod',
      'group web',
      'equivalent/group_vars/all.yml',
      'equivalent/group_vars/prod',
      'equivalent/group_vars/web',
      'host web1',
      'equivalent/host_vars/web1.yml',
    ])
    expect(merged(layers).level).toBe('web1-file')
    expect(merged(inv.varLayers('web2')).level).toBe('web-file')
    expect(merged(inv.varLayers('lb3')).level).toBe('prod-file')
    expect(merged(inv.varLayers('bastion')).level).toBe('all-file')
  })

  test("a playbook folder's vars rank above the inventory's", async () => {
    const inv = await loadInventory([fixture('equivalent/hosts.ini')])
    await inv.addVarsDir(fixture('playbook'))
    expect(merged(inv.varLayers('bastion')).level).toBe('play-all')
    expect(merged(inv.varLayers('web3')).level).toBe('play-web')
    expect(merged(inv.varLayers('web2')).level).toBe('play-web2')
    // Inventory host_vars still beat playbook group_vars; inventory group_vars/prod beats playbook group_vars/all.
    expect(merged(inv.varLayers('web1')).level).toBe('web1-file')
    expect(merged(inv.varLayers('lb3')).level).toBe('prod-file')
    expect(inv.groups.get('web')?.vars.level).toBe('play-web')
    expect(inv.hosts.get('web2')?.vars).toEqual({ ansible_user: 'deploy', level: 'play-web2' })
  })

  test('groups of the same depth apply in name order, unless ansible_group_priority says otherwise', async () => {
    const inv = await loadInventory([fixture('order/hosts')])
    expect(inv.hosts.get('multi')?.groups).toEqual(['all', 'gamma', 'alpha', 'beta'])
    expect(merged(inv.varLayers('multi')).color).toBe('beta')
    expect(inv.groups.get('gamma')?.vars).toEqual({ color: 'gamma' })
  })

  test('a vars file that is not a mapping is an error naming the file and line', async () => {
    const err: unknown = await loadInventory([fixture('errors/badvars/hosts')]).catch((e: unknown) => e)
    expect(err).toBeInstanceOf(InventoryError)
    expect((err as Error).message).toMatch(/badvars\/group_vars\/all\.yml:2:1: a vars file must hold a mapping/)
  })
})

describe('localhost', () => {
  test('an unlisted localhost is selectable, local, and in no group of the inventory', async () => {
    const inv = await loadInventory([fixture('equivalent/hosts.ini')])
    expect(inv.select('localhost')).toEqual(['localhost'])
    expect(inv.hosts.has('localhost')).toBe(false)
    expect(inv.select('all')).not.toContain('localhost')
    expect(merged(inv.varLayers('localhost'))).toMatchObject({ ansible_connection: 'local', level: 'all-file' })
  })

  test('a listed localhost is an ordinary host (no implied local connection)', async () => {
    const inv = await loadInventory(['localhost,'])
    expect(inv.hosts.get('localhost')).toEqual({ name: 'localhost', vars: {}, groups: ['all', 'ungrouped'] })
  })

  test('unknown hosts have no layers', async () => {
    const inv = await loadInventory([fixture('equivalent/hosts.ini')])
    expect(() => inv.varLayers('nosuch')).toThrow(InventoryError)
  })
})
