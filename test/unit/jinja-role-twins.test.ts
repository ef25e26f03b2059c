/** The .j2 twin of a flagship role's EJS template renders the same bytes with the same vars. */
import { join } from 'node:path'
import { describe, expect, test } from 'vitest'
import { renderTemplateFile } from '../../engine/exec/jinja-file.js'
import { VarScope } from '../../engine/vars.js'

const roles = join(import.meta.dirname, '../../roles')
const node = (address: string): Record<string, unknown> => ({ ansible_host: address })
const galera = {
  ansible_managed: 'Ansible managed',
  hostvars: { db1: node('10.0.0.1'), db2: { galera_node_address: '10.0.0.12' }, db3: { ansible_default_ipv4: { address: '10.0.0.3' } } },
  groups: { galera: ['db1', 'db2', 'db3'] },
  galera_group: 'galera',
  galera_cluster_address: '',
  mariadb_bind_address: '0.0.0.0',
  mariadb_port: 3306,
  mariadb_open_files_limit: 65535,
  galera_platform: { provider: '/usr/lib/galera/libgalera_smm.so' },
  galera_cluster_name: 'prod',
  galera_node_name: 'db1',
  galera_node_address: '10.0.0.1',
  galera_slave_threads: 4,
  galera_sst_method: 'mariabackup',
}

const check = { ansible_managed: 'Ansible managed', galera_haproxy_monitor_user: 'mon', galera_haproxy_monitor_password: 'p"a\\ss' }

describe('role template twins', () => {
  test.each([
    ['mariadb-galera/templates/galera.cnf', galera],
    ['galera-haproxy/templates/galera-check.cnf', check],
  ])('%s.j2 renders as %s.ejs', (name, vars) => {
    const scope = new VarScope([{ source: 'test', vars }])
    const ejs = renderTemplateFile(join(roles, `${name}.ejs`), scope)
    expect(ejs).toMatch(/gcomm:\/\/10.0.0.1,10.0.0.12,10.0.0.3|password = "p\\"a\\\\ss"/)
    expect(renderTemplateFile(join(roles, `${name}.j2`), scope)).toBe(ejs)
  })
})
