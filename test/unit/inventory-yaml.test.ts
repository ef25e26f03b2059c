import { mkdtemp, writeFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { describe, expect, test } from 'vitest'
import { InventoryError } from '../../engine/errors.js'
import { formatInventoryList, loadInventory } from '../../engine/inventory/index.js'

const fixture = (name: string): string => fileURLToPath(new URL(`../fixtures/inventory/${name}`, import.meta.url))

async function inventoryFrom(name: string, text: string): Promise<Awaited<ReturnType<typeof loadInventory>>> {
  const dir = await mkdtemp(join(tmpdir(), 'tsplay-inv-'))
  await writeFile(join(dir, name), text)
  return loadInventory([join(dir, name)])
}

describe('YAML inventory', () => {
  test('reads the same inventory as its INI twin (ansible-inventory --list)', async () => {
    const ini = await loadInventory([fixture('equivalent/hosts.ini')])
    const yaml = await loadInventory([fixture('equivalent/hosts.yml')])
    expect(formatInventoryList(yaml)).toBe(formatInventoryList(ini))
    expect(formatInventoryList(yaml, { export: true })).toBe(formatInventoryList(ini, { export: true }))
  })

  test('host keys hold ranges and ports; empty hosts and groups are fine', async () => {
    const inv = await inventoryFrom('hosts.yml', 'all:\n  hosts:\n    node[a:b]:2200:\n  children:\n    empty:\n')
    expect([...inv.hosts.keys()]).toEqual(['nodea', 'nodeb'])
    expect(inv.hosts.get('nodeb')?.vars).toEqual({ ansible_port: 2200 })
    expect(inv.groups.get('empty')?.hosts).toEqual([])
    // Listed directly under all, the hosts are also ungrouped, as in Ansible.
    expect(inv.select('ungrouped')).toEqual(['nodea', 'nodeb'])
  })

  test('top-level groups other than all become children of all', async () => {
    const inv = await inventoryFrom('hosts.yaml', 'web:\n  hosts:\n    web1:\ndb:\n  hosts: db1\n')
    expect(inv.groups.get('all')?.children).toEqual(['ungrouped', 'web', 'db'])
    expect(inv.select('db')).toEqual(['db1'])
  })

  test('a file without extension holding a YAML inventory is read as YAML', async () => {
    const inv = await inventoryFrom('hosts', 'all:\n  children:\n    web:\n      hosts:\n        web1:\n          x: [1, 2]\n')
    expect(inv.hosts.get('web1')?.vars).toEqual({ x: [1, 2] })
  })

  test('YAML 1.1 scalars, as Ansible reads them', async () => {
    const inv = await inventoryFrom('hosts.yml', 'all:\n  hosts:\n    h:\n      a: yes\n      b: 0644\n      c: "0644"\n')
    expect(inv.hosts.get('h')?.vars).toEqual({ a: true, b: 420, c: '0644' })
  })

  test('JSON inventories are YAML too', async () => {
    const inv = await inventoryFrom('hosts.json', '{"all": {"children": {"web": {"hosts": {"web1": {"p": 1}}}}}}')
    expect(inv.hosts.get('web1')?.vars).toEqual({ p: 1 })
  })

  test('unexpected keys in a group are warnings, as in Ansible', async () => {
    const inv = await inventoryFrom('hosts.yml', 'all:\n  host:\n    web1:\n  hosts:\n    web2:\n')
    expect(inv.warnings).toEqual([expect.stringMatching(/hosts\.yml:2:3: skipping 'host' in group 'all'/)])
    expect([...inv.hosts.keys()]).toEqual(['web2'])
  })
})

describe('YAML inventory errors name file, line and column', () => {
  const fails = async (path: string, message: RegExp): Promise<void> => {
    const err: unknown = await loadInventory([path]).catch((e: unknown) => e)
    expect(err).toBeInstanceOf(InventoryError)
    expect((err as Error).message).toMatch(message)
  }

  test('a syntax error', () => fails(fixture('errors/bad-yaml.yml'), /bad-yaml\.yml:\d+:\d+: YAML syntax error/))
  test('hosts written as a list', () =>
    fails(fixture('errors/bad-structure.yml'), /bad-structure\.yml:4:7: 'hosts' of group 'web' must be a mapping, got a list/))
  test('a plugin configuration', () => fails(fixture('errors/plugin.yml'), /plugin\.yml:1:1: 'plugin: amazon\.aws\.aws_ec2' is an inventory plugin/))
  test('host vars that are not a mapping', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'tsplay-inv-'))
    await writeFile(join(dir, 'h.yml'), 'all:\n  hosts:\n    web1: 10.0.0.1\n')
    await fails(join(dir, 'h.yml'), /h\.yml:3:5: host 'web1' in group 'all' must have a mapping of variables/)
  })
  test('a bad range in a host key', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'tsplay-inv-'))
    await writeFile(join(dir, 'h.yml'), 'all:\n  hosts:\n    web[1:x]:\n')
    await fails(join(dir, 'h.yml'), /h\.yml:3:5: bad host range '\[1:x\]'/)
  })
})
