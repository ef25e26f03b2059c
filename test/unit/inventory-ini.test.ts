import { fileURLToPath } from 'node:url'
import { describe, expect, test } from 'vitest'
import { InventoryError } from '../../engine/errors.js'
import { loadInventory } from '../../engine/inventory/index.js'

const fixture = (name: string): string => fileURLToPath(new URL(`../fixtures/inventory/${name}`, import.meta.url))

describe('INI inventory', () => {
  test('hosts before any section are ungrouped, and every host is in all', async () => {
    const inv = await loadInventory([fixture('equivalent/hosts.ini')])
    expect(inv.groups.get('ungrouped')?.hosts).toEqual(['bastion'])
    expect(inv.hosts.get('bastion')?.groups).toEqual(['all', 'ungrouped'])
    expect(inv.select('all')).toHaveLength(15)
  })

  test('ranges expand with padding, letters and steps, in file order', async () => {
    const inv = await loadInventory([fixture('equivalent/hosts.ini')])
    expect([...inv.hosts.keys()]).toEqual([
      'bastion', 'web1', 'web2', 'web3', 'web-extra', 'db01', 'db02', 'db03',
      'db-a.example.com', 'db-b.example.com', 'db-c.example.com', 'lb0', 'lb3', 'lb6', 'typed',
    ])
    // Vars on a range line go to every host of the range.
    expect(inv.hosts.get('web3')?.vars.ansible_user).toBe('deploy')
  })

  test('a port written after the host name becomes ansible_port', async () => {
    const inv = await loadInventory([fixture('equivalent/hosts.ini')])
    expect(inv.hosts.get('web-extra')?.vars).toMatchObject({ ansible_port: 2222, ansible_host: '10.0.0.9' })
  })

  test('quoted values keep their spaces', async () => {
    const inv = await loadInventory([fixture('equivalent/hosts.ini')])
    expect(inv.hosts.get('web-extra')?.vars).toMatchObject({ motd: 'hello world', owner: 'ops team' })
  })

  test('host-line values are typed as Ansible types them, quoted scalars stay strings', async () => {
    const inv = await loadInventory([fixture('equivalent/hosts.ini')])
    expect(inv.hosts.get('typed')?.vars).toEqual({
      count: 3,
      ratio: 1.5,
      flag: false,
      nothing: null,
      hex: 31,
      mode: '0644', // a leading zero is no Python 3 number: the text stays
      quoted: '42',
      word: 'True',
      listq: [1, 'two'],
      dict: { a: 1 },
      secret: 'p#ss', // Ansible's "'...'" idiom for keeping a value as written
      neg: -5,
      cut: 'ab', // '#' starts a comment, even inside a word
    })
  })

  test(':vars values are typed too, and a comment after a non-literal stays in the text', async () => {
    const inv = await loadInventory([fixture('equivalent/hosts.ini')])
    expect(inv.groups.get('web')?.vars).toMatchObject({
      http_port: 8080,
      server_name: 'example.com',
      enabled: true,
      port_commented: 80,
      comment_kept: 'blah # Ansible keeps this text: only literals lose a trailing comment',
    })
  })

  test(':children nest three levels deep, forward references included', async () => {
    const inv = await loadInventory([fixture('equivalent/hosts.ini')])
    expect(inv.groups.get('prod')?.children).toEqual(['lb', 'app'])
    expect(inv.groups.get('app')?.children).toEqual(['web', 'db'])
    expect(inv.groups.get('web')?.parents).toEqual(['app'])
    expect(inv.groups.get('web')?.depth).toBe(3)
    expect(inv.hosts.get('web1')?.groups).toEqual(['all', 'prod', 'app', 'web'])
    expect(inv.groups.get('all')?.children).toEqual(['ungrouped', 'prod', 'types'])
  })
})

describe('INI inventory errors name the file and line', () => {
  const fails = async (name: string, message: RegExp): Promise<void> => {
    const err: unknown = await loadInventory([fixture(`errors/${name}`)]).catch((e: unknown) => e)
    expect(err).toBeInstanceOf(InventoryError)
    expect((err as Error).message).toMatch(message)
  }

  test('a range that runs backwards', () => fails('bad-range.ini', /bad-range\.ini:4:3: bad host range '\[3:1\]' in 'db\[3:1\]': it begins after it ends/))
  test('a zero-padded range whose ends differ in width', () => fails('bad-padding.ini', /bad-padding\.ini:2:1: .*same width/))
  test('a misspelt child group', () => fails('undefined-child.ini', /undefined-child\.ini:6:1: \[prod:children\] lists 'wbe', which is not a group/))
  test(':vars for a group never declared', () => fails('vars-without-group.ini', /vars-without-group\.ini:4:1: \[dbs:vars\] is for a group that is never declared/))
  test('an unknown section type', () => fails('unknown-section.ini', /unknown-section\.ini:3:1: section \[web:hostz\] has an unknown type/))
  test('a word that is not key=value after a host', () => fails('bad-host-var.ini', /bad-host-var\.ini:2:28: expected key=value after the host name, got 'oops'/))
  test('an unclosed quote', () => fails('unclosed-quote.ini', /unclosed-quote\.ini:2:1: cannot read host line: no closing quotation/))
  test('groups that contain each other', () => fails('loop.ini', /loop\.ini:4:1: making 'a' a child of 'b' creates a loop/))
})
