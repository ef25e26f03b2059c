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

const lvsDefaults = {
  ansible_managed: 'Ansible managed',
  hostvars: { web1: { ansible_host: '10.0.1.11', lvs_weight: 3 }, web2: { lvs_real_server_address: '10.0.1.12' }, web3: { ansible_default_ipv4: { address: '10.0.1.13' } }, web4: {} },
  groups: { nginx: ['web1', 'web2', 'web3', 'web4'] },
  lvs_real_server_group: 'nginx',
  lvs_vrrp_instance: 'VI_1', lvs_router_id: 'lb1', lvs_state: 'MASTER', lvs_priority: 150, lvs_interface: 'eth0',
  lvs_virtual_router_id: 51, lvs_advert_int: 1, lvs_auth_type: 'PASS', lvs_auth_pass: 'changeme',
  lvs_preempt: true, lvs_vip: '10.0.1.100', lvs_vip_prefix: 24, lvs_vip_broadcast: '', lvs_vip_device: 'eth0', lvs_vip_label: 'eth0:1',
  lvs_virtual_servers: [{ port: 80 }], lvs_https: false, lvs_https_port: 443,
  lvs_delay_loop: 6, lvs_lb_algo: 'wrr', lvs_lb_kind: 'DR', lvs_persistence_timeout: 50, lvs_protocol: 'TCP', lvs_real_server_weight: 1,
  lvs_health_check_path: '/do_not_delete/lvs.html', lvs_health_check_status: 200, lvs_connect_port: 80, lvs_connect_timeout: 3, lvs_retry: 3, lvs_delay_before_retry: 3,
}
// No preemption (every director BACKUP), a /27 VIP, a per-server override and the HTTPS server.
const lvsBackup = { ...lvsDefaults, lvs_preempt: 'no', lvs_vip: '192.168.7.77', lvs_vip_prefix: '27', lvs_virtual_servers: [{ port: 8080, lb_algo: 'rr', retry: null }], lvs_https: 'yes' }
const lvsBroadcast = { ...lvsDefaults, lvs_vip_broadcast: '10.0.1.255', lvs_vip_prefix: 16 }

describe('role template twins', () => {
  test.each([
    ['mariadb-galera/templates/galera.cnf', galera],
    ['galera-haproxy/templates/galera-check.cnf', check],
    ['lvs-keepalived/templates/keepalived.conf', lvsDefaults],
    ['lvs-keepalived/templates/keepalived.conf', lvsBackup],
    ['lvs-keepalived/templates/keepalived.conf', lvsBroadcast],
  ])('%s.j2 renders as %s.ejs', (name, vars) => {
    const scope = new VarScope([{ source: 'test', vars }])
    const ejs = renderTemplateFile(join(roles, `${name}.ejs`), scope)
    expect(ejs).toMatch(/gcomm:\/\/10.0.0.1,10.0.0.12,10.0.0.3|password = "p\\"a\\\\ss"|real_server 10.0.1.13 (80|8080) /)
    expect(renderTemplateFile(join(roles, `${name}.j2`), scope)).toBe(ejs)
  })
})
