/**
 * The whole site on ten lab hosts shaped as inventory/lab (test/fixtures/site/lab: the same groups
 * and group_vars, on a subnet of its own): playbooks/site.yml from fresh hosts builds all four
 * tiers, a second run changes nothing, and the health report is green. `--check --diff` with one
 * variable changed in each tier predicts exactly what the real run then changes, task by task and
 * host by host, and a scan of the hosts' files shows it wrote nothing. Then each tier's drill: a
 * Galera node lost, the whole cluster stopped, the VIP's MASTER lost, an nginx real server lost,
 * a Rancher server lost; after each the report is green again and a re-run changes nothing. The
 * times it prints are the ones docs/roles-*.md give. Last, a second app reuses three of the roles
 * behind the same load balancers without fighting the site (test/lab/site-app2.ts).
 */
import { execFileSync } from 'node:child_process'
import { join } from 'node:path'
import { beforeAll, describe, expect, it } from 'vitest'
import { changes, ROOT, runProcess, totalChanged, tsplayJson, type JsonRun } from '../helpers/cli.js'
import { timeUntil, until } from '../helpers/poll.js'
import { freshHosts, groupVarValues, useLab } from './harness.js'
import { app2Tests } from './site-app2.js'

const INVENTORY = join(ROOT, 'test', 'fixtures', 'site', 'lab')
const SITE = join(ROOT, 'playbooks', 'site.yml')
const GALERA = ['galera1', 'galera2', 'galera3']
const ALL_HOSTS = [...GALERA, 'lb1', 'lb2', 'web1', 'web2', 'rancher1', 'rancher2', 'agent1']
const VIP = '198.18.247.100'
/** One variable of each tier, changed for the check-mode prediction and kept for the runs after it. */
const CHANGED = {
  galera_slave_threads: 6,
  lvs_vip_label: 'eth0:web',
  rancher_server_java_opts: '-Xms128m -Xmx320m',
  storage_gluster_opts: 'defaults,noatime',
}
let extra: string[] = []
/** The lab's passwords (vaulted in inventory/lab's group_vars), which no output may show. */
const LVS_AUTH_PASS = groupVarValues(INVENTORY, 'lvs').find((v) => String(v).startsWith('tsplab'))
const SECRETS = [...groupVarValues(INVENTORY, 'galera'), String(LVS_AUTH_PASS)]
const outputs: string[] = []

useLab(INVENTORY)

function onHost(host: string, args: string[]): string {
  return execFileSync('docker', ['exec', `tsplay-lab-site-${host}`, ...args], { stdio: 'pipe' }).toString()
}
const sh = (host: string, script: string): string => onHost(host, ['sh', '-c', script])

async function run(playbook = SITE, more: string[] = []): Promise<Awaited<ReturnType<typeof tsplayJson>>> {
  const r = await tsplayJson(['run', playbook, '-i', INVENTORY, '--diff', ...extra, ...more], { timeoutMs: 900_000 })
  outputs.push(r.stdout, r.stderr)
  return r
}
/** The site run that repairs a drill's damage: it must succeed, and the time it took is the drill's recovery. */
async function repair(what: string): Promise<JsonRun> {
  const started = Date.now()
  const r = await run()
  expect(r.code, r.stdout.slice(-4000) + r.stderr).toBe(0)
  console.log(`${what}: site.yml repaired it in ${seconds(started)}`)
  return r.json
}
const seconds = (since: number): string => `${((Date.now() - since) / 1000).toFixed(1)} s`

/** scripts/health.mjs on this lab, as "ok|FAIL check [host]" lines (details dropped) and its exit code. */
async function health(): Promise<{ code: number | null; lines: string[]; text: string }> {
  const r = await runProcess(process.execPath, [join(ROOT, 'scripts', 'health.mjs'), '-i', INVENTORY, ...extra])
  outputs.push(r.stdout, r.stderr)
  const lines = r.stdout.trim().split('\n').map((l) => l.replace(/^(ok|FAIL) +(.*?\]).*$/, '$1 $2'))
  return { code: r.code, lines, text: r.stdout }
}
const HEALTH_CHECKS = 12
async function expectHealthy(): Promise<void> {
  const report = await health()
  expect(report.code, report.text).toBe(0)
  expect(report.text).toContain(`health: ${HEALTH_CHECKS} of ${HEALTH_CHECKS} checks passed`)
}
/** A second site run right after a repair changes nothing. */
async function expectConverged(): Promise<void> {
  const r = await run()
  expect(r.code, r.stdout.slice(-3000)).toBe(0)
  expect(totalChanged(r.json), changes(r.json).join('\n')).toBe(0)
}

/**
 * The files of the hosts' root file systems changed (content or metadata) since `mark()`: what a
 * check run must leave empty. Left out are what the running services write all the time (MariaDB's
 * data, glusterd's state and the lab's Gluster bricks, logs and the journal, /run, /tmp); docker's volume and the Gluster
 * mounts are other file systems (-xdev).
 */
const MARK = '/root/.tsplay-site-mark'
const LIVE_DATA = ['/proc', '/sys', '/dev', '/run', '/tmp', '/var/log', '/var/lib/mysql', '/var/lib/glusterd', '/var/lib/gluster-lab']
const mark = (): void => ALL_HOSTS.forEach((h) => sh(h, `touch ${MARK}`))
function writtenSinceMark(host: string): string[] {
  const prune = LIVE_DATA.map((p) => `-path ${p} -prune -o`).join(' ')
  return sh(host, `find / -xdev ${prune} \\( -newer ${MARK} -o -cnewer ${MARK} \\) ! -path ${MARK} -print`).split('\n').filter(Boolean)
}

/** A Galera node's "size state", e.g. "3 Synced". */
function galeraStatus(host: string): string {
  const rows = onHost(host, ['mysql', '-NBe', "SHOW GLOBAL STATUS WHERE Variable_name IN ('wsrep_cluster_size', 'wsrep_local_state_comment')"])
  const status = Object.fromEntries(rows.trim().split('\n').map((r) => r.split('\t')))
  return `${status['wsrep_cluster_size'] ?? '?'} ${status['wsrep_local_state_comment'] ?? '?'}`
}
const vipHolders = (): string[] => ['lb1', 'lb2'].filter((h) => onHost(h, ['ip', '-o', '-4', 'addr', 'show']).includes(` ${VIP}/`))
const ping = (from: string, url: string): string => onHost(from, ['curl', '-fsS', '--max-time', '5', url])
/** The hosts a task (named by its end) changed, from `changes`'s "role : task: host" lines. */
function changedTasks(json: JsonRun, task: string): string[] {
  return changes(json).filter((c) => c.slice(0, c.lastIndexOf(': ')).endsWith(task)).map((c) => c.slice(c.lastIndexOf(': ') + 2))
}

/** The hosts a task changed, by where it ran: its delegate where it was delegated (the Galera role runs on one node for another). */
function changedOn(json: JsonRun, task: string): string[] {
  const results = json.plays.flatMap((p) => p.tasks).filter((t) => t.task.name.endsWith(task)).flatMap((t) => Object.entries(t.hosts))
  return results.filter(([, r]) => r['status'] === 'changed').map(([host, r]) => String(r['delegated_to'] ?? host))
}

beforeAll(async () => {
  await freshHosts('all', INVENTORY)
}, 900_000)

describe('playbooks/site.yml: the whole stack on the ten hosts of inventory/lab', { timeout: 900_000 }, () => {
  it('converges from fresh hosts, and a second run changes nothing on any host', async () => {
    const started = Date.now()
    const first = await run()
    expect(first.code, first.stdout.slice(-4000) + first.stderr).toBe(0)
    console.log(`site.yml (4 tiers) on 10 fresh hosts: ${seconds(started)}`)
    const again = Date.now()
    const second = await run()
    expect(second.code).toBe(0)
    console.log(`site.yml converged re-run: ${seconds(again)}`)
    expect(Object.keys(second.json.stats).sort()).toEqual([...ALL_HOSTS].sort())
    expect(totalChanged(second.json), changes(second.json).join('\n')).toBe(0)
  })

  it('reports the whole stack healthy, read from the hosts', async () => {
    const report = await health()
    expect(report.code, report.text).toBe(0)
    expect(report.lines).toEqual([
      'ok the VIP is held by exactly one director [localhost]',
      ...GALERA.map((n) => `ok Galera node [${n}]`),
      'ok Rancher server /ping [rancher1]',
      'ok Rancher server /ping [rancher2]',
      'ok nginx real server /ping [web1]',
      'ok nginx real server /ping [web2]',
      'ok Rancher agent registered and connected [agent1]',
      ...['agent1', 'web1', 'web2'].map((h) => `ok shared storage [${h}]`),
      `health: ${HEALTH_CHECKS} of ${HEALTH_CHECKS} checks passed`,
    ])
    // The marker crossed the Gluster volume, and into a container on the docker host.
    expect(report.text).toMatch(/shared storage \[agent1\] +\/mnt\/shared: the marker written on \w+ read here and in a container/)
  })

  it('--check --diff with one variable changed per tier predicts exactly what the real run changes, and writes nothing', async () => {
    const vars = ['-e', JSON.stringify(CHANGED)]
    mark()
    const check = await run(SITE, ['--check', ...vars])
    expect(check.code, check.stdout.slice(-3000)).toBe(0)
    for (const host of ALL_HOSTS) expect(writtenSinceMark(host), `written on ${host} by --check`).toEqual([])
    const predicted = changes(check.json)
    // Each tier's change is there: Galera's config with a rolling restart, keepalived's config with
    // a reload, the Rancher servers recreated, the Gluster mounts made again with the new option.
    expect(changedTasks(check.json, 'the server and Galera configuration')).toEqual(GALERA)
    expect(changedTasks(check.json, 'the keepalived configuration')).toEqual(['lb1', 'lb2'])
    expect(changedTasks(check.json, 'the Rancher server container')).toEqual(['rancher1', 'rancher2'])
    expect(changedTasks(check.json, 'the GlusterFS volumes are mounted (fstab and live)')).toEqual(['agent1', 'web1', 'web2'])

    const started = Date.now()
    const real = await run(SITE, vars)
    expect(real.code, real.stdout.slice(-3000)).toBe(0)
    console.log(`site.yml applying one change per tier: ${seconds(started)}`)
    expect(changes(real.json)).toEqual(predicted)
    extra = vars
    expect(sh('galera2', 'grep wsrep_slave_threads /etc/mysql/mariadb.conf.d/60-galera.cnf')).toBe('wsrep_slave_threads = 6\n')
    expect(onHost('lb1', ['ip', '-o', '-4', 'addr', 'show', 'to', VIP])).toContain('eth0:web')
    expect(onHost('rancher2', ['docker', 'inspect', '--format', '{{json .Config.Env}}', 'rancher-server-v1.6.13'])).toContain('-Xmx320m')
    expect(onHost('web1', ['findmnt', '-n', '-o', 'OPTIONS', '/mnt/shared']).split(',')).toContain('noatime')
    await expectHealthy()
    await expectConverged()
  })

  it('drill: a Galera node lost rejoins the cluster on a run', async () => {
    sh('galera2', 'systemctl kill -s KILL mariadb; sleep 1; systemctl stop mariadb')
    await until('the cluster down to 2', () => galeraStatus('galera1') === '2 Synced')
    expect((await health()).code).toBe(1)
    const json = await repair('Galera node lost')
    expect(changedOn(json, "the node's MariaDB is started and enabled (it joins by IST or SST)"), changes(json).join('\n')).toEqual(['galera2'])
    for (const node of GALERA) expect(galeraStatus(node), node).toBe('3 Synced')
    await expectHealthy()
    await expectConverged()
  })

  it('drill: the whole cluster stopped is bootstrapped from the node that stopped last', async () => {
    for (const node of GALERA) onHost(node, ['systemctl', 'stop', 'mariadb'])
    const json = await repair('whole Galera cluster stopped')
    expect(changedOn(json, 'bootstrap a new primary component on the chosen node (galera_new_cluster)')).toEqual(['galera3'])
    for (const node of GALERA) expect(galeraStatus(node), node).toBe('3 Synced')
    await expectHealthy()
    await expectConverged()
  })

  it("drill: the VIP moves to the BACKUP when the MASTER's keepalived stops, and returns on a run", async () => {
    expect(vipHolders()).toEqual(['lb1'])
    onHost('lb1', ['systemctl', 'stop', 'keepalived'])
    const failover = await timeUntil('the VIP on lb2', () => vipHolders().join() === 'lb2', 10_000)
    console.log(`VIP failover (keepalived stopped on the MASTER): ${failover} ms`)
    await expectHealthy()
    const started = Date.now()
    await repair("the MASTER's keepalived lost")
    const back = await timeUntil('the VIP back on lb1', () => vipHolders().join() === 'lb1', 15_000)
    console.log(`VIP back on the MASTER: ${seconds(started)} after the run started (${back} ms after it ended)`)
    await expectHealthy()
    await expectConverged()
  })

  it('drill: an nginx real server lost leaves the other serving; a run starts it again', async () => {
    onHost('web1', ['systemctl', 'stop', 'nginx'])
    expect(ping('agent1', 'http://web2/ping')).toBe('pong')
    const report = await health()
    expect(report.code).toBe(1)
    expect(report.lines).toContain('FAIL nginx real server /ping [web1]')
    await repair('nginx real server lost')
    expect(ping('agent1', 'http://web1/ping')).toBe('pong')
    await expectHealthy()
    await expectConverged()
  })

  it('drill: a Rancher server lost leaves the other serving through nginx; a run starts it again', async () => {
    onHost('rancher1', ['docker', 'stop', 'rancher-server-v1.6.13'])
    for (let i = 0; i < 4; i++) expect(ping('agent1', 'http://web1/ping')).toBe('pong')
    const report = await health()
    expect(report.code).toBe(1)
    expect(report.lines).toContain('FAIL Rancher server /ping [rancher1]')
    const json = await repair('Rancher server lost')
    expect(changedTasks(json, 'the Rancher server container'), changes(json).join('\n')).toEqual(['rancher1'])
    await until('the agent registered again', () => sh('agent1', 'docker ps --format "{{.Names}}"').includes('rancher-agent'))
    await expectHealthy()
    await expectConverged()
  })

  it('never shows a password, in any output of the site runs, the check runs and the reports', () => {
    expect(SECRETS).toHaveLength(5)
    const text = outputs.join('\n')
    for (const secret of SECRETS) expect(text).not.toContain(secret)
  })

  // A second app behind the same load balancers, reusing three of the site's roles (test/fixtures/app2).
  app2Tests({ inventory: INVENTORY, onHost, run })
})
