import { fileURLToPath } from 'node:url'
import { describe, expect, test } from 'vitest'
import { OptionsError } from '../../engine/errors.js'
import { formatInventoryGraph, formatInventoryList, implicitLocalhost, loadInventory } from '../../engine/inventory/index.js'

const fixture = (name: string): string => fileURLToPath(new URL(`../fixtures/inventory/${name}`, import.meta.url))

describe('ansible-inventory --graph', () => {
  test('draws groups, children first, then hosts', async () => {
    const inv = await loadInventory([fixture('equivalent/hosts.ini')])
    expect(formatInventoryGraph(inv, 'prod')).toBe(
      [
        '@prod:',
        '  |--@lb:',
        '  |  |--lb0',
        '  |  |--lb3',
        '  |  |--lb6',
        '  |--@app:',
        '  |  |--@web:',
        '  |  |  |--web1',
        '  |  |  |--web2',
        '  |  |  |--web3',
        '  |  |  |--web-extra',
        '  |  |--@db:',
        '  |  |  |--db01',
        '  |  |  |--db02',
        '  |  |  |--db03',
        '  |  |  |--db-a.example.com',
        '  |  |  |--db-b.example.com',
        '  |  |  |--db-c.example.com',
      ].join('\n'),
    )
    const all = formatInventoryGraph(inv).split('\n')
    expect(all.slice(0, 3)).toEqual(['@all:', '  |--@ungrouped:', '  |  |--bastion'])
    expect(all.slice(-2)).toEqual(['  |--@types:', '  |  |--typed'])
  })

  test('shows an empty ungrouped group, as Ansible does', async () => {
    const inv = await loadInventory([fixture('order/hosts')])
    expect(formatInventoryGraph(inv)).toBe(
      ['@all:', '  |--@ungrouped:', '  |--@beta:', '  |  |--multi', '  |--@alpha:', '  |  |--multi', '  |--@gamma:', '  |  |--multi'].join('\n'),
    )
  })

  test('a name that is not a group is an options error', async () => {
    const inv = await loadInventory(['web1,'])
    expect(() => formatInventoryGraph(inv, 'web1')).toThrow(OptionsError)
  })
})

describe('ansible-inventory --list', () => {
  test('prints groups and merged hostvars as Ansible\'s JSON (sorted keys, 4 spaces)', async () => {
    const inv = await loadInventory([fixture('order/hosts')])
    expect(formatInventoryList(inv)).toBe(`{
    "_meta": {
        "hostvars": {
            "multi": {
                "color": "beta"
            }
        }
    },
    "all": {
        "children": [
            "ungrouped",
            "beta",
            "alpha",
            "gamma"
        ]
    },
    "alpha": {
        "hosts": [
            "multi"
        ]
    },
    "beta": {
        "hosts": [
            "multi"
        ]
    },
    "gamma": {
        "hosts": [
            "multi"
        ]
    }
}`)
  })

  test('--export keeps group vars in groups and only host-level vars in hostvars', async () => {
    const inv = await loadInventory([fixture('equivalent/hosts.ini')])
    const list = JSON.parse(formatInventoryList(inv, { export: true })) as Record<string, { vars?: unknown; hosts?: unknown }>
    expect(list.db).toEqual({ hosts: ['db01', 'db02', 'db03', 'db-a.example.com', 'db-b.example.com', 'db-c.example.com'], vars: { db_engine: 'mariadb', db_port: 3306 } })
    expect(list._meta).toMatchObject({ hostvars: { web1: { ansible_user: 'deploy', level: 'web1-file' } } })
  })
})

test('implicitLocalhost is a local connection in all', () => {
  expect(implicitLocalhost()).toEqual({ name: 'localhost', vars: { ansible_connection: 'local' }, groups: ['all'] })
})
