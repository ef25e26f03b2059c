import { mkdir, mkdtemp, symlink, writeFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { describe, expect, test } from 'vitest'
import { InventoryError } from '../../engine/errors.js'
import { loadInventory } from '../../engine/inventory/index.js'

const fixture = (name: string): string => fileURLToPath(new URL(`../fixtures/inventory/${name}`, import.meta.url))

describe('a folder as inventory', () => {
  test('reads every file, sorted and recursively, INI or YAML by content', async () => {
    const inv = await loadInventory([fixture('dir')])
    expect([...inv.hosts.keys()]).toEqual(['web1', 'web2', 'db1', 'web3', 'standalone', 'lb1'])
    expect(inv.groups.get('prod')?.children).toEqual(['web', 'db'])
    expect(inv.select('web')).toEqual(['web1', 'web2', 'web3'])
    expect(inv.select('ungrouped')).toEqual(['standalone'])
  })

  test('a host listed in several files keeps merged vars, later files winning', async () => {
    const inv = await loadInventory([fixture('dir')])
    expect(inv.hosts.get('web1')?.vars).toEqual({ role: 'edge', weight: 5 })
  })

  test('skips backups, hidden files and the extensions Ansible ignores, and warns about a script that is not executable', async () => {
    const inv = await loadInventory([fixture('dir')])
    // README.md, *.bak, *~, *.retry, *.cfg and .hidden would each fail to parse if read.
    expect(inv.warnings).toEqual([expect.stringMatching(/06-script: skipped, an inventory script must be executable to be run \(chmod \+x /)])
  })

  test('reads group_vars/ and host_vars/ inside the folder', async () => {
    const inv = await loadInventory([fixture('dir')])
    expect(inv.groups.get('all')?.vars).toEqual({ site: 'lab2', dns: ['10.0.0.53'] })
    expect(inv.hosts.get('db1')?.vars).toEqual({ ansible_host: '10.0.1.1', ansible_user: 'dbadmin' })
  })
})

describe('comma lists', () => {
  test('name ungrouped hosts, with optional ports', async () => {
    const inv = await loadInventory(['web1, web2:2222,'])
    expect([...inv.hosts.keys()]).toEqual(['web1', 'web2'])
    expect(inv.hosts.get('web2')?.vars).toEqual({ ansible_port: 2222 })
    expect(inv.select('ungrouped')).toEqual(['web1', 'web2'])
  })

  test('a single host needs its trailing comma', async () => {
    const inv = await loadInventory(['db1,'])
    expect(inv.select('all')).toEqual(['db1'])
  })
})

describe('several sources', () => {
  test('merge: a host ungrouped in one source and grouped in another is no longer ungrouped', async () => {
    const inv = await loadInventory(['web1,', fixture('dir/01-web.ini')])
    expect(inv.select('ungrouped')).toEqual([])
    expect(inv.hosts.get('web1')?.groups).toEqual(['all', 'web'])
  })
})

describe('sources that cannot be read', () => {
  test('a path that does not exist', async () => {
    await expect(loadInventory(['no/such/inventory'])).rejects.toThrow(/inventory 'no\/such\/inventory' does not exist/)
  })

  test('an unreadable file names the file', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'tsplay-inv-'))
    await mkdir(join(dir, 'inv'))
    await writeFile(join(dir, 'inv', 'a.ini'), 'web1\n')
    // A symlink pointing at itself cannot be opened, even by root.
    await symlink('loop.ini', join(dir, 'inv', 'loop.ini'))
    const err: unknown = await loadInventory([join(dir, 'inv')]).catch((e: unknown) => e)
    expect(err).toBeInstanceOf(InventoryError)
    expect((err as Error).message).toMatch(/cannot read .*inv\/loop\.ini: ELOOP/)
  })

  test('an ansible-vault encrypted file is reported, not misread', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'tsplay-inv-'))
    await writeFile(join(dir, 'hosts'), '$ANSIBLE_VAULT;1.1;AES256\n6162\n')
    await expect(loadInventory([join(dir, 'hosts')])).rejects.toThrow(/encrypted with ansible-vault/)
  })
})
