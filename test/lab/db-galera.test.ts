/**
 * The database tier on real lab hosts over SSH (test/fixtures/db/lab: db1-db3 in `galera`,
 * dbapp and dbproxy in `maxscale`): playbooks/db.yml forms a Galera cluster from fresh hosts and
 * puts its proxy in front (MaxScale's configuration on dbapp; on dbproxy, db_proxy=haproxy, the
 * lab's substitute: HAProxy with a Galera check on MaxScale's port), the app account logs in from
 * another host, directly and through the proxy, a second run changes nothing, `tsplay test` passes
 * on the three roles, check mode predicts a configuration change and the restarts or the reload it
 * causes without making them, the proxy moves clients to a backup node when the active one stops,
 * and the cluster comes back from one node stopped, from all stopped (bootstrapping from the node
 * that stopped last, so no row is lost) and from all crashed. No password shows anywhere.
 */
import { execFileSync } from 'node:child_process'
import { join } from 'node:path'
import { beforeAll, describe, expect, it } from 'vitest'
import { nativePasswordHash } from '../../engine/facts/mysql-sql.js'
import { changes, ROOT, totalChanged, tsplay, tsplayJson, type JsonRun } from '../helpers/cli.js'
import { attempt, timeUntilEqual } from '../helpers/poll.js'
import { ALL_STEPS_PASSED, freshHosts, groupVarValues, roleTestSteps, useLab } from './harness.js'

const INVENTORY = join(ROOT, 'test', 'fixtures', 'db', 'lab')
const PLAYBOOK = join(ROOT, 'playbooks', 'db.yml')
const NODES = ['db1', 'db2', 'db3']
const SECRETS = groupVarValues(INVENTORY, 'galera')
const outputs: string[] = []

useLab(INVENTORY)

function onHost(host: string, args: string[], input?: string): string {
  return execFileSync('docker', ['exec', '-i', `tsplay-lab-db-${host}`, ...args], { stdio: 'pipe', ...(input !== undefined ? { input } : {}) }).toString()
}
const sql = (host: string, text: string): string => onHost(host, ['mysql', '-NB'], text)
const status = (host: string): string =>
  sql(host, "SHOW GLOBAL STATUS WHERE Variable_name IN ('wsrep_cluster_size', 'wsrep_local_state_comment')").trim().split('\n').sort().join('\n') + '\n'
const HEALTHY = 'wsrep_cluster_size\t3\nwsrep_local_state_comment\tSynced\n'
const PROXY = { address: '198.18.6.22', port: 4105 }

/** SQL as the cattle account from dbapp (the app server) over TCP; its password reaches a private option file through stdin. */
function asCattle(address: string, text: string, port = 3306): string {
  const script = 'f=$(mktemp); cat > "$f"; mysql --defaults-extra-file="$f" --connect-timeout=2 -h "$1" -P "$2" -NBe "$3"; r=$?; rm -f "$f"; exit $r'
  return onHost('dbapp', ['sh', '-c', script, 'sh', address, String(port), text], '[client]\nuser=cattle\npassword="lab-cattle-Secret#3"\n')
}
const throughProxy = (text: string, port = PROXY.port): string => asCattle(PROXY.address, text, port)
/** The node a new connection through the proxy reaches ('' while none does). */
const proxiedNode = (port = PROXY.port): string => attempt(() => throughProxy('SELECT @@wsrep_node_name', port).trim())
/** Waits until new connections through the proxy (on `port`) reach `node`. */
const proxyReaches = (node: string, limitMs: number, port = PROXY.port): Promise<number> => timeUntilEqual(`the node behind the proxy's port ${port}`, () => proxiedNode(port), node, limitMs)
const pidOf = (host: string, unit: string): string => onHost(host, ['systemctl', 'show', '-p', 'MainPID', '--value', unit])

async function run(extra: string[] = []): Promise<Awaited<ReturnType<typeof tsplayJson>>> {
  const r = await tsplayJson(['run', PLAYBOOK, '-i', INVENTORY, '--diff', ...extra], { timeoutMs: 900_000 })
  outputs.push(r.stdout, r.stderr)
  return r
}

/** The hosts a task changed, as `host` or `host -> delegate`. */
function changedBy(json: JsonRun, task: string): string[] {
  const found = json.plays.flatMap((p) => p.tasks).filter((t) => t.task.name.endsWith(task))
  return found.flatMap((t) => Object.entries(t.hosts).filter(([, r]) => r['status'] === 'changed').map(([h, r]) => (r['delegated_to'] ? `${h} -> ${String(r['delegated_to'])}` : h)))
}
const delegates = (json: JsonRun, task: string): string[] => changedBy(json, task).map((h) => h.split(' -> ').pop() ?? h)

beforeAll(async () => {
  // Fresh nodes: the cluster is formed from hosts that have never run MariaDB.
  await freshHosts('galera:dbproxy', INVENTORY)
}, 900_000)

// A run on fresh hosts installs MariaDB: with an empty apt cache (as in CI) that is downloads too.
describe('playbooks/db.yml on the lab', { timeout: 600_000 }, () => {
  it('forms a 3-node cluster from fresh hosts: every node Synced, in a cluster of 3', async () => {
    const started = Date.now()
    const r = await run()
    expect(r.code, r.stdout.slice(-3000) + r.stderr).toBe(0)
    console.log(`db.yml on fresh hosts: ${((Date.now() - started) / 1000).toFixed(1)} s`)
    expect(delegates(r.json, 'bootstrap a new primary component on the chosen node (galera_new_cluster)')).toEqual(['db1'])
    for (const node of NODES) expect(status(node), node).toBe(HEALTHY)
  })

  it('replicates: a row written on the first node is read on the third', () => {
    sql('db1', "CREATE TABLE IF NOT EXISTS cattle.drill (id INT PRIMARY KEY, v VARCHAR(40)); REPLACE INTO cattle.drill VALUES (1, 'written on db1');")
    expect(sql('db3', 'SET SESSION wsrep_sync_wait = 1; SELECT v FROM cattle.drill WHERE id = 1;')).toBe('written on db1\n')
  })

  it('lets the cattle account log in over TCP from another host, seeing only its database', async () => {
    const client = await tsplay(['run', join(ROOT, 'test', 'fixtures', 'db', 'client.yml'), '-i', INVENTORY], { timeoutMs: 300_000 })
    expect(client.code, client.stdout + client.stderr).toBe(0)
    expect(asCattle('198.18.6.12', 'SHOW DATABASES')).toBe('cattle\ninformation_schema\n')
  })

  it('puts HAProxy on dbproxy (db_proxy=haproxy) and MaxScale on dbapp: the cattle account logs in through dbproxy:4105 and lands on the first node', () => {
    expect(onHost('dbproxy', ['systemctl', 'is-active', 'haproxy'])).toBe('active\n')
    expect(onHost('dbproxy', ['sh', '-c', 'test -e /etc/maxscale.cnf && echo present || echo absent'])).toBe('absent\n')
    expect(onHost('dbapp', ['sh', '-c', 'test -e /etc/haproxy/haproxy.cfg && echo present || echo absent'])).toBe('absent\n')
    expect(throughProxy('SELECT @@wsrep_node_name; SHOW DATABASES')).toBe('db1\ncattle\ninformation_schema\n')
    const cfg = onHost('dbproxy', ['cat', '/etc/haproxy/haproxy.cfg'])
    expect(cfg).toContain('    server db1 198.18.6.11:3306 check\n    server db2 198.18.6.12:3306 check backup\n    server db3 198.18.6.13:3306 check backup\n')
    expect(cfg).toMatch(/default-server inter 2s fall 2 rise 2 /)
    // The monitor password is in a file only HAProxy's user reads, not in the configuration.
    expect(onHost('dbproxy', ['stat', '-c', '%a %U', '/etc/haproxy/galera-check.cnf'])).toBe('600 haproxy\n')
    expect(cfg).not.toContain('lab-monitor-Secret')
  })

  it("gives the monitor account exactly MaxScale's grants, and renders MaxScale's configuration", () => {
    const grants = sql('db2', "SHOW GRANTS FOR 'maxscale'@'%'").replace(/ IDENTIFIED BY PASSWORD '[^']*'/, '').trim().split('\n').sort()
    const tables = ['columns_priv', 'db', 'global_priv', 'procs_priv', 'proxies_priv', 'roles_mapping', 'tables_priv', 'user']
    expect(grants).toEqual(['GRANT SHOW DATABASES, SLAVE MONITOR ON *.* TO `maxscale`@`%`', ...tables.map((t) => `GRANT SELECT ON \`mysql\`.\`${t}\` TO \`maxscale\`@\`%\``)].sort())
    const cnf = onHost('dbapp', ['cat', '/etc/maxscale.cnf'])
    expect(cnf).toContain('[db3]\ntype = server\naddress = 198.18.6.13\nport = 3306\npriority = 3\n')
    expect(cnf).toMatch(/module = galeramon[\s\S]*router = readwritesplit[\s\S]*port = 4105/)
  })

  it('changes nothing on a second run', async () => {
    const r = await run()
    expect(r.code).toBe(0)
    expect(totalChanged(r.json), changes(r.json).join('\n')).toBe(0)
  })

  it('passes tsplay test on the three roles (converge, idempotence, check mode, verify)', async () => {
    for (const [role, hosts] of [['mariadb-galera', 'galera'], ['maxscale', 'dbapp'], ['galera-haproxy', 'dbproxy']] as const) {
      expect(await roleTestSteps(role, INVENTORY, hosts, outputs), role).toEqual(ALL_STEPS_PASSED)
    }
  })

  it('--check --diff after a variable change shows the config diff and the rolling restart, and makes neither', async () => {
    const pid = (n: string): string => pidOf(n, 'mariadb')
    const before = NODES.map(pid)
    const r = await run(['--check', '-e', 'galera_slave_threads=8'])
    expect(r.code).toBe(0)
    const config = r.json.plays[0]?.tasks.find((t) => t.task.name.endsWith('the server and Galera configuration'))
    expect(JSON.stringify(config?.hosts['db2']?.['diff'])).toMatch(/wsrep_slave_threads = 4\\n.*wsrep_slave_threads = 8/)
    expect(delegates(r.json, 'restart the node for its new configuration')).toEqual(NODES)
    expect(NODES.map(pid)).toEqual(before)
    expect(onHost('db2', ['grep', 'slave_threads', '/etc/mysql/mariadb.conf.d/60-galera.cnf'])).toBe('wsrep_slave_threads = 4\n')
  })

  it('--check --diff on a new listen port shows the proxy configuration diff and the reload, and makes neither; the real run reloads', async () => {
    const config = onHost('dbproxy', ['cat', '/etc/haproxy/haproxy.cfg'])
    const pid = pidOf('dbproxy', 'haproxy')
    const check = await run(['--check', '--limit', 'dbproxy', '-e', 'galera_haproxy_listen_port=4106'])
    expect(check.code).toBe(0)
    expect(changes(check.json)).toEqual(['galera-haproxy : reload haproxy: dbproxy', 'galera-haproxy : the HAProxy configuration: dbproxy'])
    const template = check.json.plays.flatMap((p) => p.tasks).find((t) => t.task.name.endsWith('the HAProxy configuration'))
    expect(JSON.stringify(template?.hosts['dbproxy']?.['diff'])).toMatch(/bind 0\.0\.0\.0:4105\\n.*bind 0\.0\.0\.0:4106\\n/)
    expect(onHost('dbproxy', ['cat', '/etc/haproxy/haproxy.cfg'])).toBe(config)
    expect(pidOf('dbproxy', 'haproxy')).toBe(pid)
    expect(proxiedNode(4106)).toBe('')

    const real = await run(['--limit', 'dbproxy', '-e', 'galera_haproxy_listen_port=4106'])
    expect(real.code).toBe(0)
    expect(changes(real.json)).toEqual(changes(check.json))
    // A reload, not a restart: the master process stays, its new worker listens on the new port.
    expect(pidOf('dbproxy', 'haproxy')).toBe(pid)
    await proxyReaches('db1', 5_000, 4106)
    const back = await run(['--limit', 'dbproxy'])
    expect(back.code).toBe(0)
    await proxyReaches('db1', 5_000)
  })

  it("sends no clients to a node that runs but is not Synced: the proxy's check reads Galera's state, not the port", async () => {
    expect(proxiedNode()).toBe('db1')
    // Desynced, db1 still accepts connections, but its wsrep_local_state is 2 (Donor/Desynced).
    sql('db1', 'SET GLOBAL wsrep_desync = ON')
    try {
      await proxyReaches('db2', 10_000)
    } finally {
      sql('db1', 'SET GLOBAL wsrep_desync = OFF')
    }
    await proxyReaches('db1', 10_000)
  })

  it('moves clients through the proxy to a backup node within seconds when the active node stops, and back when it rejoins', async () => {
    throughProxy("CREATE TABLE IF NOT EXISTS cattle.proxy_drill (id INT PRIMARY KEY, v VARCHAR(40)); REPLACE INTO cattle.proxy_drill VALUES (1, 'written through the proxy');")
    expect(proxiedNode()).toBe('db1')
    onHost('db1', ['systemctl', 'stop', 'mariadb'])
    const failover = await proxyReaches('db2', 10_000)
    console.log(`proxy failover (mariadb stopped on db1): ${failover} ms`)
    expect(throughProxy('SET SESSION wsrep_sync_wait = 1; SELECT v FROM cattle.proxy_drill WHERE id = 1')).toBe('written through the proxy\n')
    throughProxy("REPLACE INTO cattle.proxy_drill VALUES (2, 'written while db1 was down');")

    onHost('db1', ['systemctl', 'start', 'mariadb'])
    await timeUntilEqual("db1's cluster status", () => attempt(() => status('db1')), HEALTHY, 60_000)
    const failback = await proxyReaches('db1', 10_000)
    console.log(`proxy failback (db1 Synced again): ${failback} ms`)
    expect(throughProxy('SET SESSION wsrep_sync_wait = 1; SELECT id FROM cattle.proxy_drill ORDER BY id')).toBe('1\n2\n')
  })

  it('restarts a stopped node, which rejoins the cluster', async () => {
    onHost('db2', ['systemctl', 'stop', 'mariadb'])
    const r = await run()
    expect(r.code).toBe(0)
    expect(delegates(r.json, "the node's MariaDB is started and enabled (it joins by IST or SST)")).toEqual(['db2'])
    for (const node of NODES) expect(status(node), node).toBe(HEALTHY)
  })

  it('after all nodes stopped, bootstraps from the one that stopped last: no row is lost', async () => {
    onHost('db1', ['systemctl', 'stop', 'mariadb'])
    sql('db2', "REPLACE INTO cattle.drill VALUES (2, 'db1 down');")
    onHost('db2', ['systemctl', 'stop', 'mariadb'])
    sql('db3', "REPLACE INTO cattle.drill VALUES (3, 'only db3 has it');")
    onHost('db3', ['systemctl', 'stop', 'mariadb'])
    const r = await run()
    expect(r.code, r.stdout.slice(-3000)).toBe(0)
    expect(delegates(r.json, 'bootstrap a new primary component on the chosen node (galera_new_cluster)')).toEqual(['db3'])
    for (const node of NODES) {
      expect(status(node), node).toBe(HEALTHY)
      expect(sql(node, 'SET SESSION wsrep_sync_wait = 1; SELECT id FROM cattle.drill ORDER BY id;'), node).toBe('1\n2\n3\n')
    }
  })

  it('after all nodes crashed (seqno -1), recovers their positions and brings the cluster back', async () => {
    sql('db2', "REPLACE INTO cattle.drill VALUES (4, 'before the crash');")
    // Killed and left down (as after a power cut): stopping cancels systemd's automatic restart.
    for (const node of NODES) onHost(node, ['sh', '-c', 'systemctl kill -s KILL mariadb; sleep 1; systemctl stop mariadb'])
    const r = await run()
    expect(r.code, r.stdout.slice(-3000)).toBe(0)
    expect(changedBy(r.json, 'recover the last committed position of a node that stopped uncleanly (seqno -1)').sort()).toEqual(NODES)
    for (const node of NODES) {
      expect(status(node), node).toBe(HEALTHY)
      expect(sql(node, 'SET SESSION wsrep_sync_wait = 1; SELECT COUNT(*) FROM cattle.drill;'), node).toBe('4\n')
    }
  })

  it('says clearly that MaxScale cannot be installed where its repository cannot be reached', async () => {
    const r = await run(['--limit', 'maxscale', '-e', '{"maxscale_install": true}'])
    expect(r.code).toBe(2)
    expect(JSON.stringify(r.json)).toContain("cannot reach MariaDB's MaxScale repository https://dlm.mariadb.com/repo/maxscale/latest/debian")
  })

  it('never shows a password or its hash, in any output of this file', () => {
    const text = outputs.join('\n')
    for (const secret of SECRETS) {
      expect(text).not.toContain(secret)
      expect(text).not.toContain(nativePasswordHash(secret))
    }
  })
})
