/**
 * The lvs-keepalived role on real lab hosts over SSH (test/fixtures/lb-keepalived/lab: lbk1 and
 * lbk2 in `lvs`, lbkc a client on their network, lbkw1/lbkw2 the real servers the configuration
 * names): keepalived converges from fresh hosts, a second run changes nothing, check mode predicts
 * a VIP label change exactly and writes nothing, the VIP is on the MASTER only and only its MAC
 * answers ARP for it, it fails over to the BACKUP when keepalived stops and comes back (preempt) or
 * stays (nopreempt). This kernel has no IPVS: keepalived runs VRRP-only here, and the traffic path
 * through the director is a test that runs only where /proc/net/ip_vs exists.
 */
import { execFileSync } from 'node:child_process'
import { existsSync } from 'node:fs'
import { join } from 'node:path'
import { setTimeout as sleep } from 'node:timers/promises'
import { beforeAll, describe, expect, it } from 'vitest'
import { changes, ROOT, totalChanged, tsplay, tsplayJson } from '../helpers/cli.js'
import { freshHosts, useLab } from './harness.js'

const INVENTORY = join(ROOT, 'test', 'fixtures', 'lb-keepalived', 'lab')
const PLAYBOOK = join(ROOT, 'test', 'fixtures', 'lb-keepalived', 'directors.yml')
const DIRECTORS = ['lbk1', 'lbk2']
const VIP = '198.18.250.100'
const CONFIG = '/etc/keepalived/keepalived.conf'
/** Containers share the machine's kernel: the lab hosts have IPVS exactly when the machine has. */
const IPVS = existsSync('/proc/net/ip_vs')

useLab(INVENTORY)

function onHost(host: string, args: string[]): string {
  return execFileSync('docker', ['exec', `tsplay-lab-lbk-${host}`, ...args], { stdio: 'pipe' }).toString()
}
const sh = (host: string, script: string): string => onHost(host, ['sh', '-c', script])
/** The VIP's line of `ip -o addr show` on a host ('' where it is not). */
const vipLine = (host: string): string => onHost(host, ['ip', '-o', '-4', 'addr', 'show']).split('\n').find((l) => l.includes(` ${VIP}/`)) ?? ''
const holders = (): string[] => DIRECTORS.filter((h) => vipLine(h) !== '')
const mac = (host: string): string => onHost(host, ['cat', '/sys/class/net/eth0/address']).trim().toLowerCase()

/** Waits until the VIP is on exactly `host` (or on it at all); returns the milliseconds it took. */
async function vipMovesTo(host: string, limitMs: number, only = true): Promise<number> {
  const started = Date.now()
  while (Date.now() - started < limitMs) {
    if (only ? holders().join() === host : holders().includes(host)) return Date.now() - started
    await sleep(100)
  }
  throw new Error(`the VIP is on [${holders().join(', ')}] after ${limitMs} ms, not on ${host}`)
}

/** The MACs that answer a broadcast ARP request for the VIP from the client. */
function arpAnswers(): string[] {
  // -b: every probe is a broadcast, so every host that would answer gets the chance to.
  const out = sh('lbkc', `arping -b -c 3 -w 5 -I eth0 ${VIP} || true`)
  return [...new Set([...out.matchAll(/reply from [\d.]+ \[([0-9A-Fa-f:]+)\]/g)].map((m) => (m[1] ?? '').toLowerCase()))]
}

async function converge(extra: string[] = []): Promise<Awaited<ReturnType<typeof tsplayJson>>> {
  return tsplayJson(['run', PLAYBOOK, '-i', INVENTORY, '--diff', ...extra], { timeoutMs: 600_000 })
}

beforeAll(async () => {
  // Fresh directors: keepalived is installed on hosts that have never had it.
  await freshHosts('lvs', INVENTORY)
}, 900_000)

describe('the lvs-keepalived role on the lab', { timeout: 600_000 }, () => {
  it('converges fresh directors: keepalived runs, VRRP-only with a warning on this kernel without IPVS', async () => {
    const started = Date.now()
    const r = await converge()
    expect(r.code, r.stdout.slice(-3000) + r.stderr).toBe(0)
    console.log(`lvs-keepalived on fresh directors: ${((Date.now() - started) / 1000).toFixed(1)} s`)
    for (const h of DIRECTORS) {
      expect(onHost(h, ['systemctl', 'is-active', 'keepalived']), h).toBe('active\n')
      expect(onHost(h, ['grep', '^DAEMON_ARGS=', '/etc/default/keepalived']), h).toBe(IPVS ? 'DAEMON_ARGS=""\n' : 'DAEMON_ARGS="-P"\n')
    }
    if (!IPVS) expect(r.stdout).toContain("WARNING: lbk1's kernel has no IPVS (/proc/net/ip_vs is absent")
  })

  it('renders one virtual server on the VIP with a health-checked real_server per nginx host, accepted by keepalived -t', () => {
    const conf = onHost('lbk2', ['cat', CONFIG])
    expect(conf).toMatch(/vrrp_instance VI_1 \{\n {4}state BACKUP\n {4}interface eth0\n {4}virtual_router_id 51\n {4}priority 100\n/)
    expect(conf).toContain(`${VIP}/24 brd 198.18.250.255 dev eth0 label eth0:vip\n`)
    expect(conf).toContain(`virtual_server ${VIP} 80 {\n    delay_loop 6\n    lb_algo wrr\n    lb_kind DR\n    persistence_timeout 50\n    protocol TCP\n`)
    for (const address of ['198.18.250.41', '198.18.250.42']) {
      expect(conf).toContain(`real_server ${address} 80 {\n        weight 1\n        HTTP_GET {\n            url {\n                path /do_not_delete/lvs.html\n                status_code 200\n            }\n            connect_port 80\n            connect_timeout 3\n            retry 3\n            delay_before_retry 3\n`)
    }
    expect(conf.match(/real_server /g)).toHaveLength(2)
    expect(conf).not.toContain('nopreempt')
    sh('lbk2', `keepalived -t -f ${CONFIG}`)
  })

  it('puts the VIP, with its label, on the MASTER only', async () => {
    await vipMovesTo('lbk1', 10_000)
    expect(vipLine('lbk1')).toMatch(new RegExp(`inet ${VIP}/24 brd 198\\.18\\.250\\.255 scope global secondary eth0:vip`))
    expect(vipLine('lbk2')).toBe('')
  })

  it('changes nothing on a second run', async () => {
    const r = await converge()
    expect(r.code).toBe(0)
    expect(totalChanged(r.json), JSON.stringify(changes(r.json))).toBe(0)
  })

  it('--check --diff predicts exactly what a new VIP label changes, writes nothing, and the real run does that', async () => {
    const before = DIRECTORS.map((h) => onHost(h, ['cat', CONFIG]))
    const pids = DIRECTORS.map((h) => onHost(h, ['systemctl', 'show', '-p', 'MainPID', '--value', 'keepalived']))
    const check = await converge(['--check', '-e', 'lvs_vip_label=eth0:web'])
    expect(check.code).toBe(0)
    const predicted = changes(check.json)
    expect(predicted).toEqual(DIRECTORS.flatMap((h) => [`lvs-keepalived : reload keepalived: ${h}`, `lvs-keepalived : the keepalived configuration: ${h}`]).sort())
    const template = check.json.plays[0]?.tasks.find((t) => t.task.name.endsWith('the keepalived configuration'))
    expect(JSON.stringify(template?.hosts['lbk1']?.['diff'])).toMatch(/label eth0:vip\\n.*label eth0:web\\n/)
    expect(DIRECTORS.map((h) => onHost(h, ['cat', CONFIG]))).toEqual(before)
    expect(vipLine('lbk1')).toContain(' eth0:vip')

    const real = await converge(['-e', 'lvs_vip_label=eth0:web'])
    expect(real.code).toBe(0)
    expect(changes(real.json)).toEqual(predicted)
    // A reload, not a restart: the MASTER keeps its process and its VIP, now with the new label.
    expect(DIRECTORS.map((h) => onHost(h, ['systemctl', 'show', '-p', 'MainPID', '--value', 'keepalived']))).toEqual(pids)
    expect(vipLine('lbk1')).toContain(' eth0:web')
    expect(holders()).toEqual(['lbk1'])

    const back = await converge()
    expect(back.code).toBe(0)
    expect(vipLine('lbk1')).toContain(' eth0:vip')
  })

  it('answers ARP for the VIP from the MASTER only', () => {
    sh('lbkc', 'command -v arping >/dev/null || { apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq iputils-arping >/dev/null; }')
    expect(arpAnswers()).toEqual([mac('lbk1')])
  })

  it('moves the VIP to the BACKUP when keepalived stops on the MASTER, and back when it returns (preempt)', async () => {
    sh('lbk1', 'systemctl stop keepalived')
    const failover = await vipMovesTo('lbk2', 3 * 1000 + 1000)
    console.log(`failover (keepalived stopped on the MASTER): ${failover} ms`)
    expect(arpAnswers()).toEqual([mac('lbk2')])
    sh('lbk1', 'systemctl start keepalived')
    const back = await vipMovesTo('lbk1', 10_000)
    console.log(`preempt (keepalived started again on the MASTER): ${back} ms`)
    expect(arpAnswers()).toEqual([mac('lbk1')])
  })

  it('moves the VIP to the BACKUP within the VRRP timeout when the MASTER dies without a word (SIGKILL)', async () => {
    // No priority-0 advert from a killed keepalived: the BACKUP waits for master_down_interval
    // (3 x advert_int + skew, under 4 s with advert_int 1).
    sh('lbk1', 'systemctl kill -s KILL keepalived')
    const failover = await vipMovesTo('lbk2', 3 * 1000 + 1000 + 1000, false)
    console.log(`failover (MASTER killed): ${failover} ms`)
    sh('lbk1', 'systemctl stop keepalived; systemctl start keepalived')
    await vipMovesTo('lbk1', 10_000)
  })

  it('with lvs_preempt=false renders nopreempt and BACKUP everywhere, and the VIP stays where it went', async () => {
    const r = await converge(['-e', 'lvs_preempt=false'])
    expect(r.code, r.stdout.slice(-3000)).toBe(0)
    const conf = onHost('lbk1', ['cat', CONFIG])
    expect(conf).toMatch(/state BACKUP\n[\s\S]*priority 150\n {4}advert_int 1\n {4}nopreempt\n/)
    expect(holders()).toEqual(['lbk1'])
    sh('lbk1', 'systemctl stop keepalived')
    await vipMovesTo('lbk2', 4_000)
    sh('lbk1', 'systemctl start keepalived')
    // Three times the time the preempting director took to take the VIP back: it must stay.
    await sleep(6_000)
    expect(holders()).toEqual(['lbk2'])

    const back = await converge()
    expect(back.code).toBe(0)
    expect(onHost('lbk1', ['cat', CONFIG])).not.toContain('nopreempt')
    await vipMovesTo('lbk1', 10_000)
  })

  it("refuses a configuration keepalived's own test rejects, leaving the running one in place", async () => {
    const before = onHost('lbk1', ['cat', CONFIG])
    const r = await converge(['-e', 'lvs_virtual_router_id=300'])
    expect(r.code).toBe(2)
    expect(JSON.stringify(r.json)).toContain("VRID '300' not valid - must be between 1 & 255")
    expect(onHost('lbk1', ['cat', CONFIG])).toBe(before)
    expect(sh('lbk1', 'ls -a /etc/keepalived')).not.toContain('.tsplay')
    expect(holders()).toEqual(['lbk1'])
  })

  it('passes tsplay test roles/lvs-keepalived (converge, idempotence, check mode, verify)', async () => {
    const r = await tsplay(['test', join(ROOT, 'roles', 'lvs-keepalived'), '-i', INVENTORY, '--hosts', 'lvs', '--json'], { timeoutMs: 600_000 })
    const report = JSON.parse(r.stdout) as { passed: boolean; steps: { name: string; status: string; reason?: string }[] }
    expect(report.steps.map((s) => `${s.name}: ${s.status}${s.reason ? ` (${s.reason})` : ''}`)).toEqual(['converge: passed', 'idempotence: passed', 'check: passed', 'verify: passed'])
    expect(r.code).toBe(0)
  })

  it.skipIf(!IPVS)('forwards client -> VIP -> director -> real server by DR (skipped here: /proc/net/ip_vs is absent, the kernel has no IPVS)', async () => {
    // The real servers as the nginx-realserver role makes them, by hand: the VIP on lo, silent for
    // ARP, and the health page served on port 80.
    for (const h of ['lbkw1', 'lbkw2']) {
      sh(h, `ip addr add ${VIP}/32 dev lo label lo:vip 2>/dev/null; sysctl -qw net.ipv4.conf.all.arp_ignore=1 net.ipv4.conf.all.arp_announce=2 net.ipv4.conf.lo.arp_ignore=1 net.ipv4.conf.lo.arp_announce=2`)
      sh(h, `mkdir -p /srv/www/do_not_delete && echo ${h} > /srv/www/do_not_delete/lvs.html && echo ${h} > /srv/www/index.html && (systemd-run --unit lbk-web -p WorkingDirectory=/srv/www python3 -m http.server 80 || systemctl restart lbk-web)`)
    }
    const ipvs = async (): Promise<string> => onHost('lbk1', ['ipvsadm', '-Ln'])
    const deadline = Date.now() + 30_000
    while (!((await ipvs()).match(/-> 198\.18\.250\.4[12]:80 +Route/g)?.length === 2) && Date.now() < deadline) await sleep(1_000)
    expect(await ipvs()).toMatch(new RegExp(`TCP  ${VIP.replaceAll('.', '\\.')}:80 wrr persistent 50[\\s\\S]*-> 198\\.18\\.250\\.41:80 +Route[\\s\\S]*-> 198\\.18\\.250\\.42:80 +Route`))
    const body = sh('lbkc', `python3 -c "import urllib.request; print(urllib.request.urlopen('http://${VIP}/', timeout=5).read().decode().strip())"`).trim()
    expect(['lbkw1', 'lbkw2']).toContain(body)
  })
})
