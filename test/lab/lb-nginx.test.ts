/**
 * The nginx real servers of the load-balancer tier on real lab hosts over SSH
 * (test/fixtures/lb-nginx/lab: lbnw1-2 in `nginx`, lbnr1-2 the upstream `rancher_server` hosts
 * running test/fixtures/lb-nginx/ws.py, lbnc the client). From fresh real servers the role
 * puts the VIP on lo with its label, sets the DR ARP settings live and in a file, and nginx
 * proxies plain requests and websockets to the upstream; a second run changes nothing; check mode
 * predicts a weight or label change exactly; one upstream down leaves the other answering; a
 * second playbook reuses the role for another app beside the first; `state: absent` takes the
 * VIP off lo. The director side (keepalived, VRRP) is another test file's.
 */
import { execFileSync } from 'node:child_process'
import { join } from 'node:path'
import { beforeAll, describe, expect, it } from 'vitest'
import { ROOT, totalChanged, tsplay, tsplayJson, type JsonRun } from '../helpers/cli.js'
import { freshHosts, useLab } from './harness.js'

const FIXTURES = join(ROOT, 'test', 'fixtures', 'lb-nginx')
const INVENTORY = join(FIXTURES, 'lab')
const PLAYBOOK = join(FIXTURES, 'nginx.yml')
const APP2 = join(FIXTURES, 'app2.yml')
const REAL = { lbnw1: '198.18.251.31', lbnw2: '198.18.251.32' }
const UPSTREAMS = ['lbnr1', 'lbnr2']
const VIP = '198.18.251.100'
const SITE = '/etc/nginx/conf.d/rancher.conf'

useLab(INVENTORY)

function onHost(host: string, args: string[]): string {
  return execFileSync('docker', ['exec', `tsplay-lab-lbn-${host}`, ...args], { stdio: 'pipe' }).toString()
}
const loAddresses = (host: string): string => onHost(host, ['ip', '-o', '-4', 'addr', 'show', 'dev', 'lo'])
/** One HTTP/1.0 GET from the client host: the status line (or "refused") and the body. */
function get(address: string, path: string, port = 80, hostHeader = address): { status: string; body: string } {
  const script = `{ exec 3<>/dev/tcp/${address}/${port}; } 2>/dev/null || { echo refused; exit 0; }; printf 'GET ${path} HTTP/1.0\\r\\nHost: ${hostHeader}\\r\\n\\r\\n' >&3; cat <&3`
  const out = onHost('lbnc', ['bash', '-c', script])
  const [head = '', body = ''] = out.split('\r\n\r\n')
  return { status: (head.split('\r\n')[0] ?? '').trim(), body }
}
/** Who answers ARP for an address, asked from the client host: the MAC addresses that replied. */
function arpAnswers(address: string): string[] {
  const out = onHost('lbnc', ['sh', '-c', `arping -c 3 -w 4 -I eth0 ${address}; true`])
  return [...new Set([...out.matchAll(/reply from [\d.]+ \[([0-9a-f:]+)\]/gi)].map((m) => (m[1] ?? '').toLowerCase()))]
}
const macOf = (host: string): string => onHost(host, ['cat', '/sys/class/net/eth0/address']).trim().toLowerCase()
/** Starts the websocket app on an upstream host on a port, as a transient systemd unit. */
function startApp(host: string, port: number): void {
  onHost(host, ['sh', '-c', `systemctl is-active --quiet ws-app-${port} || systemd-run --unit ws-app-${port} python3 /opt/ws.py serve ${port}`])
}

async function run(playbook: string, extra: string[] = []): Promise<Awaited<ReturnType<typeof tsplayJson>>> {
  return tsplayJson(['run', playbook, '-i', INVENTORY, '--diff', ...extra], { timeoutMs: 600_000 })
}
/** Every (task, host) a run changed, as "task @ host". */
function changes(json: JsonRun): string[] {
  return json.plays.flatMap((p) => p.tasks).flatMap((t) => Object.entries(t.hosts).filter(([, r]) => r['status'] === 'changed').map(([h]) => `${t.task.name.replace(/^nginx-realserver : /, '')} @ ${h}`)).sort()
}
/** The before and after texts a task's --diff showed for a host. */
function diffOf(json: JsonRun, task: string, host: string): { before: string; after: string } {
  const diff = json.plays.flatMap((p) => p.tasks).find((t) => t.task.name.endsWith(task))?.hosts[host]?.['diff'] as { before?: string; after?: string }[] | undefined
  return { before: diff?.[0]?.before ?? '', after: diff?.[0]?.after ?? '' }
}

/** --check --diff with a variable changed, then the real run with it: the same changes, nothing written by the first. */
async function predictsExactly(extra: string[], watch: () => string): Promise<{ check: JsonRun; real: JsonRun }> {
  const before = watch()
  const check = await run(PLAYBOOK, ['--check', ...extra])
  expect(check.code, check.stdout.slice(-2000)).toBe(0)
  expect(watch(), 'check mode changed the hosts').toBe(before)
  const real = await run(PLAYBOOK, extra)
  expect(real.code, real.stdout.slice(-2000)).toBe(0)
  expect(changes(check.json).length).toBeGreaterThan(0)
  expect(changes(check.json)).toEqual(changes(real.json))
  return { check: check.json, real: real.json }
}

beforeAll(async () => {
  // Fresh real servers: nginx is installed and configured on hosts that never had it.
  await freshHosts('nginx', INVENTORY)
  for (const host of UPSTREAMS) {
    execFileSync('docker', ['cp', join(FIXTURES, 'ws.py'), `tsplay-lab-lbn-${host}:/opt/ws.py`])
    startApp(host, 8080)
    startApp(host, 8081)
  }
  execFileSync('docker', ['cp', join(FIXTURES, 'ws.py'), 'tsplay-lab-lbn-lbnc:/opt/ws.py'])
  const client = await tsplay(['run', join(FIXTURES, 'client.yml'), '-i', INVENTORY], { timeoutMs: 600_000 })
  expect(client.code, client.stdout + client.stderr).toBe(0)
}, 900_000)

describe('roles/nginx-realserver on the lab', { timeout: 600_000 }, () => {
  it('converges fresh real servers: the VIP on lo as a /32 with its label, enabled at boot', async () => {
    const started = Date.now()
    const r = await run(PLAYBOOK)
    expect(r.code, r.stdout.slice(-3000) + r.stderr).toBe(0)
    console.log(`nginx.yml on fresh real servers: ${((Date.now() - started) / 1000).toFixed(1)} s`)
    for (const host of Object.keys(REAL)) {
      expect(loAddresses(host), host).toMatch(new RegExp(`inet ${VIP.replaceAll('.', '\\.')}/32 scope global lo:rancher\\b`))
      expect(onHost(host, ['systemctl', 'is-enabled', 'lvs-vip.service']), host).toBe('enabled\n')
    }
  })

  it('sets the direct-routing ARP settings live and in /etc/sysctl.d', () => {
    const wanted = { 'net.ipv4.conf.lo.arp_ignore': '1', 'net.ipv4.conf.lo.arp_announce': '2', 'net.ipv4.conf.all.arp_ignore': '1', 'net.ipv4.conf.all.arp_announce': '2', 'net.ipv4.ip_forward': '0' }
    for (const host of Object.keys(REAL)) {
      const file = onHost(host, ['cat', '/etc/sysctl.d/60-lvs-realserver.conf'])
      for (const [key, value] of Object.entries(wanted)) {
        expect(onHost(host, ['sysctl', '-n', key]), `${host} ${key}`).toBe(`${value}\n`)
        expect(file, `${host} ${key} in the file`).toMatch(new RegExp(`^${key.replaceAll('.', '\\.')} ?= ?${value}$`, 'm'))
      }
    }
  })

  it('never answers ARP for the VIP (arp_ignore), while answering for its own address', () => {
    // No director runs in this lab, so nobody may answer for the VIP: a real server that did would
    // steal the directors' traffic.
    expect(arpAnswers(VIP)).toEqual([])
    for (const [host, address] of Object.entries(REAL)) expect(arpAnswers(address), host).toEqual([macOf(host)])
  })

  it('answers the health page with 200 on each real server\'s own address, from the client host', () => {
    for (const [host, address] of Object.entries(REAL)) {
      const r = get(address, '/do_not_delete/lvs.html')
      expect(r.status, host).toMatch(/^HTTP\/1\.1 200 /)
      expect(r.body, host).toContain(`OK ${host}`)
    }
  })

  it('proxies a plain request to both upstream hosts, with the proxy headers', () => {
    for (const [host, address] of Object.entries(REAL)) {
      const seen = new Set<string>()
      for (let i = 0; i < 6; i++) {
        const r = get(address, '/v3/ping')
        expect(r.status, host).toMatch(/^HTTP\/1\.1 200 /)
        const [first = '', ...headers] = r.body.trim().split('\n')
        const [upstream = '', port, path] = first.split(' ')
        expect([port, path]).toEqual(['8080', '/v3/ping'])
        seen.add(upstream)
        expect(headers, host).toEqual([`Host: ${address}`, 'X-Forwarded-For: 198.18.251.51', 'X-Forwarded-Proto: http', 'X-Forwarded-Port: 80', 'Connection:'])
      }
      expect([...seen].sort(), host).toEqual(UPSTREAMS)
    }
  })

  it('proxies a websocket upgrade: 101 with the right accept key, then an echoed frame', () => {
    for (const [host, address] of Object.entries(REAL)) {
      const out = onHost('lbnc', ['python3', '/opt/ws.py', 'connect', address, '80', '/v3/subscribe', `hello through ${host}`])
      expect(out, host).toMatch(new RegExp(`^HTTP/1\\.1 101 Switching Protocols\naccept ok\nlbnr[12]: hello through ${host}\n$`))
    }
  })

  it('changes nothing on a second run', async () => {
    const r = await run(PLAYBOOK)
    expect(r.code).toBe(0)
    expect(totalChanged(r.json), changes(r.json).join('\n')).toBe(0)
  })

  it('--check --diff after an upstream weight change predicts exactly the site change and the reload, writing nothing', async () => {
    const site = (): string => Object.keys(REAL).map((h) => onHost(h, ['cat', SITE])).join('')
    const { check } = await predictsExactly(['-e', '{"nginx_realserver_upstream_weights": {"lbnr1": 5}}'], site)
    const applied = onHost('lbnw1', ['grep', '198.18.251.41', SITE])
    // Back to the inventory's weights for the drills that follow, before anything can fail.
    const back = await run(PLAYBOOK)
    expect(changes(back.json)).toEqual(changes(check))
    expect(changes(check)).toEqual(['reload nginx @ lbnw1', 'reload nginx @ lbnw2', 'the site (upstream, websocket map, proxy server) @ lbnw1', 'the site (upstream, websocket map, proxy server) @ lbnw2'])
    const diff = diffOf(check, 'the site (upstream, websocket map, proxy server)', 'lbnw1')
    expect(diff.before).toContain('    server 198.18.251.41:8080 weight=1;')
    expect(diff.after).toContain('    server 198.18.251.41:8080 weight=5;')
    expect(applied).toBe('    server 198.18.251.41:8080 weight=5;  # lbnr1\n')
  })

  it('--check --diff after a VIP label change predicts exactly the unit change, writing nothing; the real run relabels the VIP', async () => {
    const state = (): string => Object.keys(REAL).map((h) => loAddresses(h) + onHost(h, ['cat', '/etc/systemd/system/lvs-vip.service'])).join('')
    const { check } = await predictsExactly(['-e', 'nginx_realserver_vip_label=rancher2'], state)
    const relabelled = Object.keys(REAL).map(loAddresses)
    // Back to the inventory's label for the drills that follow, before anything can fail.
    const back = await run(PLAYBOOK)
    expect(back.code).toBe(0)
    expect(loAddresses('lbnw1')).toMatch(/198\.18\.251\.100\/32 scope global lo:rancher\b/)
    expect(changes(check)).toEqual(['the VIP is on lo, now and at boot @ lbnw1', 'the VIP is on lo, now and at boot @ lbnw2', 'the VIP unit @ lbnw1', 'the VIP unit @ lbnw2'])
    expect(diffOf(check, 'the VIP unit', 'lbnw2').after).toContain('ExecStart=ip addr add 198.18.251.100/32 dev lo label lo:rancher2\n')
    for (const addresses of relabelled) {
      expect(addresses).toMatch(/198\.18\.251\.100\/32 scope global lo:rancher2\b/)
      expect(addresses).not.toMatch(/lo:rancher\b/)
    }
  })

  it('moves the VIP when its address changes: the old address leaves lo, the new one comes with the label', async () => {
    try {
      const r = await run(PLAYBOOK, ['-e', 'nginx_realserver_vip=198.18.251.102'])
      expect(r.code, r.stdout.slice(-2000)).toBe(0)
      for (const host of Object.keys(REAL)) {
        expect(loAddresses(host), host).toMatch(/198\.18\.251\.102\/32 scope global lo:rancher\b/)
        expect(loAddresses(host), host).not.toContain(VIP)
      }
    } finally {
      const back = await run(PLAYBOOK)
      expect(back.code).toBe(0)
    }
    for (const host of Object.keys(REAL)) {
      expect(loAddresses(host), host).toMatch(/198\.18\.251\.100\/32 scope global lo:rancher\b/)
      expect(loAddresses(host), host).not.toContain('198.18.251.102')
    }
  })

  it('keeps answering when one upstream host stops: the other serves every request', () => {
    onHost('lbnr1', ['systemctl', 'stop', 'ws-app-8080'])
    try {
      for (const [host, address] of Object.entries(REAL)) {
        for (let i = 0; i < 6; i++) {
          const r = get(address, '/')
          expect(r.status, host).toMatch(/^HTTP\/1\.1 200 /)
          expect(r.body.split(' ')[0], host).toBe('lbnr2')
        }
        const ws = onHost('lbnc', ['python3', '/opt/ws.py', 'connect', address, '80', '/ws', 'still here'])
        expect(ws, host).toContain('lbnr2: still here')
      }
    } finally {
      startApp('lbnr1', 8080)
    }
  })

  it('is reusable: a second playbook adds another app (upstream group app2 on 8081, VIP lo:app2, port 8088) beside the first', async () => {
    const r = await run(APP2)
    expect(r.code, r.stdout.slice(-3000)).toBe(0)
    const again = await run(APP2)
    expect(totalChanged(again.json), changes(again.json).join('\n')).toBe(0)
    for (const [host, address] of Object.entries(REAL)) {
      expect(loAddresses(host), host).toMatch(/198\.18\.251\.101\/32 scope global lo:app2\b/)
      expect(loAddresses(host), host).toMatch(/198\.18\.251\.100\/32 scope global lo:rancher\b/)
      const a = get(address, '/app', 8088, 'app2.lab')
      expect(a.status, host).toMatch(/^HTTP\/1\.1 200 /)
      expect(a.body, host).toMatch(/^lbnr[12] 8081 \/app\n/)
      expect(get(address, '/do_not_delete/lvs.html', 8088).status, host).toMatch(/ 200 /)
      expect(get(address, '/rancher').body, host).toMatch(/^lbnr[12] 8080 \/rancher\n/)
      expect(onHost(host, ['grep', 'weight=3', '/etc/nginx/conf.d/app2.conf']), host).toBe('    server 198.18.251.41:8081 weight=3;  # lbnr1\n')
    }
    const first = await run(PLAYBOOK)
    expect(totalChanged(first.json), changes(first.json).join('\n')).toBe(0)
  })

  it('passes tsplay test roles/nginx-realserver (converge, idempotence, check mode, verify)', async () => {
    const r = await tsplay(['test', join(ROOT, 'roles', 'nginx-realserver'), '-i', INVENTORY, '--hosts', 'nginx', '--json'], { timeoutMs: 600_000 })
    const report = JSON.parse(r.stdout) as { passed: boolean; steps: { name: string; status: string; reason?: string }[] }
    expect(report.steps.map((s) => `${s.name}: ${s.status}${s.reason ? ` (${s.reason})` : ''}`)).toEqual(['converge: passed', 'idempotence: passed', 'check: passed', 'verify: passed'])
  })

  it('state: absent takes the VIP off lo and removes its unit and the site; the other app stays', async () => {
    const r = await run(PLAYBOOK, ['-e', 'nginx_realserver_state=absent'])
    expect(r.code, r.stdout.slice(-3000)).toBe(0)
    for (const [host, address] of Object.entries(REAL)) {
      expect(loAddresses(host), host).not.toContain(VIP)
      expect(loAddresses(host), host).toMatch(/198\.18\.251\.101\/32 scope global lo:app2\b/)
      expect(onHost(host, ['sh', '-c', 'ls /etc/systemd/system/lvs-vip.service /etc/nginx/conf.d/rancher.conf 2>/dev/null; systemctl is-active nginx']), host).toBe('active\n')
      // Nothing serves port 80 any more: the directors' health check fails and they take the host out.
      expect(get(address, '/do_not_delete/lvs.html').status, host).toMatch(/ 404 |^refused$/)
      expect(get(address, '/app', 8088, 'app2.lab').status, host).toMatch(/ 200 /)
    }
    const again = await run(PLAYBOOK, ['-e', 'nginx_realserver_state=absent'])
    expect(totalChanged(again.json), changes(again.json).join('\n')).toBe(0)
  })
})
