import { fileURLToPath } from 'node:url'
import { beforeAll, describe, expect, test } from 'vitest'
import { InventoryError } from '../../engine/errors.js'
import { loadInventory, type Inventory } from '../../engine/inventory/index.js'

const fixture = (name: string): string => fileURLToPath(new URL(`../fixtures/inventory/${name}`, import.meta.url))

let inv: Inventory
beforeAll(async () => {
  inv = await loadInventory([fixture('equivalent/hosts.ini')])
})

const WEB = ['web1', 'web2', 'web3', 'web-extra']
const DB = ['db01', 'db02', 'db03', 'db-a.example.com', 'db-b.example.com', 'db-c.example.com']
const LB = ['lb0', 'lb3', 'lb6']

describe('host patterns', () => {
  test('all and * select every listed host in inventory order', () => {
    const every = ['bastion', ...WEB, ...DB, ...LB, 'typed']
    expect(inv.select('all')).toEqual(every)
    expect(inv.select('*')).toEqual(every)
  })

  test('a group selects its hosts and its child groups\' hosts', () => {
    expect(inv.select('web')).toEqual(WEB)
    expect(inv.select('app')).toEqual([...WEB, ...DB])
    expect(inv.select('db01')).toEqual(['db01'])
  })

  test('union with ":" or ",", results in inventory order', () => {
    expect(inv.select('lb:web')).toEqual([...WEB, ...LB])
    expect(inv.select('lb, web, bastion')).toEqual(['bastion', ...WEB, ...LB])
  })

  test('intersection and exclusion', () => {
    expect(inv.select('app:&web')).toEqual(WEB)
    expect(inv.select('prod:!db')).toEqual([...WEB, ...LB])
    expect(inv.select('web:!web-extra')).toEqual(['web1', 'web2', 'web3'])
    // Exclusions apply after every union, wherever they are written.
    expect(inv.select('!web1:web')).toEqual(['web2', 'web3', 'web-extra'])
    // With no plain part, exclusion starts from all.
    expect(inv.select('!prod')).toEqual(['bastion', 'typed'])
  })

  test('globs match group and host names', () => {
    expect(inv.select('web*')).toEqual(WEB)
    expect(inv.select('db-?.example.com')).toEqual(DB.slice(3))
    expect(inv.select('lb[!6]')).toEqual(['lb0', 'lb3'])
    // As Ansible, digits in brackets after a name are a subscript, not a glob set.
    expect(inv.select('lb[2]')).toEqual(['lb6'])
  })

  test('~ starts a regular expression, anchored at the start as Python re.match', () => {
    expect(inv.select('~db-[ab]\\.')).toEqual(['db-a.example.com', 'db-b.example.com'])
    expect(inv.select('~(?i)WEB\\d')).toEqual(['web1', 'web2', 'web3'])
    expect(inv.select('~example')).toEqual([])
  })

  test('subscripts pick hosts of a group: one, from the end, inclusive slices', () => {
    expect(inv.select('web[0]')).toEqual(['web1'])
    expect(inv.select('web[-1]')).toEqual(['web-extra'])
    expect(inv.select('web[1:2]')).toEqual(['web2', 'web3'])
    expect(inv.select('db[4:]')).toEqual(['db-b.example.com', 'db-c.example.com'])
    expect(inv.select('web[9]')).toEqual([])
  })

  test('unknown parts select nothing and are reported for a warning', () => {
    expect(inv.select('nosuch')).toEqual([])
    expect(inv.select('web:nosuch')).toEqual(WEB)
    expect(inv.unmatched('web:nosuch:!gone')).toEqual(['nosuch', '!gone'])
    expect(inv.unmatched('all')).toEqual([])
  })

  test('localhost is selectable without being listed', () => {
    expect(inv.select('localhost')).toEqual(['localhost'])
    expect(inv.select('bastion,localhost')).toEqual(['bastion', 'localhost'])
    expect(inv.unmatched('localhost')).toEqual([])
  })

  test('a broken regular expression is an error', () => {
    expect(() => inv.select('~web(')).toThrow(InventoryError)
  })
})
