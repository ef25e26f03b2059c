/**
 * A second app behind the site's load balancers (test/fixtures/app2/app2.yml): "wiki", whose pages
 * are on the lab's Gluster volume, served by a backend on rancher_agent and proxied by the site's
 * nginx real servers by name (Host: wiki.lab), with its own database and account on the site's
 * Galera cluster. Registered inside the caller's describe, on a lab with inventory/lab's groups and
 * host names where playbooks/site.yml has converged: app2 converges beside the site and leaves what
 * the site made as it was; a second app2 run and a site run after it change nothing; check mode
 * predicts a changed backend port exactly and writes nothing; check mode of the wiki site's removal
 * would touch the wiki's files only, never the site's VIP.
 */
import { join } from 'node:path'
import { expect, it } from 'vitest'
import { changes, ROOT, totalChanged, tsplay, type CliResult, type JsonRun } from '../helpers/cli.js'
import { eventually } from '../helpers/poll.js'

export const APP2_PLAYBOOK = join(ROOT, 'test', 'fixtures', 'app2', 'app2.yml')
export const SITE_PLAYBOOK = join(ROOT, 'playbooks', 'site.yml')

/** What app2Tests needs from the caller's lab. */
export interface App2Context {
  /** The lab's inventory (inventory/lab's groups and host names; its own addresses). */
  inventory: string
  /** Runs a command on a lab host (e.g. docker exec) and returns its stdout; throws if it fails. */
  onHost(host: string, args: string[]): string
  /** `tsplay run PLAYBOOK -i inventory --json ...extra` (the playbook as an absolute path). */
  run(playbook: string, extra?: string[]): Promise<CliResult & { json: JsonRun }>
}

const WEBS = ['web1', 'web2']
const BACKEND = 'agent1'
const HOST_NAME = 'wiki.lab'
const PAGE = 'wiki on wiki.lab: a page from the GlusterFS volume shared.'
const DB_PASSWORD = 'lab-wiki-password-5'
/** The site's files on the real servers that app2 must leave as they are. */
const SITE_FILES = ['/etc/systemd/system/lvs-vip.service', '/etc/sysctl.d/60-lvs-realserver.conf', '/etc/nginx/conf.d/rancher.conf']
const UNIT_TASK = "the backend's unit"
const SERVICE_TASK = 'the backend runs, now and at boot'
const NGINX_SITE_TASK = 'nginx-realserver : the site (upstream, websocket map, proxy server)'
const NGINX_RELOAD = 'nginx-realserver : reload nginx'

/** A host's variable as the lab's inventory gives it (`tsplay inventory --host`: the lab's addresses). */
async function hostVar(inventory: string, host: string, name: string): Promise<string> {
  const r = await tsplay(['inventory', '-i', inventory, '--host', host])
  expect(r.code, r.stderr).toBe(0)
  return String((JSON.parse(r.stdout) as Record<string, unknown>)[name])
}

const seconds = (since: number): string => `${((Date.now() - since) / 1000).toFixed(1)} s`
const tail = (r: CliResult): string => r.stdout.slice(-4000) + r.stderr

export function app2Tests(ctx: App2Context): void {
  const address: Record<string, string> = {}
  let vip = ''
  /** An HTTP GET from the backend host (curl is there: the rancher-agent role installs it). */
  const get = (url: string, hostHeader?: string): string =>
    ctx.onHost(BACKEND, ['curl', '-fsS', '--max-time', '10', ...(hostHeader ? ['-H', `Host: ${hostHeader}`] : []), url])
  const wiki = (web: string, path = '/'): string => get(`http://${address[web]}${path}`, HOST_NAME)
  const digest = (host: string, files: string[]): string => ctx.onHost(host, ['sha256sum', ...files])
  const mark = (hosts: string[]): void => hosts.forEach((h) => ctx.onHost(h, ['touch', '/tmp/tsplay-app2-mark']))
  const writtenSinceMark = (host: string): string => ctx.onHost(host, ['find', '/etc', '-newer', '/tmp/tsplay-app2-mark', '-print'])
  const mariadbSince = (host: string): string => ctx.onHost(host, ['systemctl', 'show', '-p', 'MainPID', '-p', 'ActiveEnterTimestamp', 'mariadb'])

  it('app2.yml converges beside the site: the wiki page from the Gluster volume through each real server by name, its database and account through the VIP, the site untouched', async () => {
    for (const h of [...WEBS, BACKEND, 'galera1']) address[h] = await hostVar(ctx.inventory, h, 'ansible_host')
    vip = await hostVar(ctx.inventory, 'lb1', 'lvs_vip')
    const siteFiles = WEBS.map((w) => digest(w, SITE_FILES))
    const galera = ['galera1', 'galera2', 'galera3'].map(mariadbSince)

    const started = Date.now()
    const r = await ctx.run(APP2_PLAYBOOK)
    expect(r.code, tail(r)).toBe(0)
    console.log(`app2.yml on the converged site (wiki database, backend on ${BACKEND}, site on ${WEBS.join(', ')}): ${seconds(started)}`)
    expect(r.stdout + r.stderr).not.toContain(DB_PASSWORD)

    for (const web of WEBS) {
      expect(await eventually(() => wiki(web), (t) => t.includes(PAGE))).toContain(PAGE)
      expect(wiki(web, '/do_not_delete/lvs.html')).toContain(`OK ${web}`)
      // Any other name is still the Rancher site, the default server.
      expect(get(`http://${address[web]}/ping`)).toBe('pong')
    }
    // The pages are the volume's: a file written through the site's own mount is served at once.
    ctx.onHost('web1', ['sh', '-c', 'echo written through /mnt/shared > /mnt/shared/wiki/marker.txt'])
    try {
      // A FUSE client may serve its cached view of the folder for a moment (as the health report allows).
      for (const web of WEBS) expect(await eventually(() => wiki(web, '/marker.txt'), 'written through /mnt/shared\n')).toBe('written through /mnt/shared\n')
    } finally {
      ctx.onHost('web1', ['rm', '-f', '/mnt/shared/wiki/marker.txt'])
    }
    expect(ctx.onHost(BACKEND, ['findmnt', '-n', '-o', 'FSTYPE', '/mnt/wiki']).trim()).toBe('fuse.glusterfs')
    expect(ctx.onHost(BACKEND, ['findmnt', '-n', '-o', 'FSTYPE', '/mnt/shared']).trim()).toBe('fuse.glusterfs')

    // The wiki's account logs in through the database proxy on the VIP, as Rancher's does, and sees its database only.
    const login = ctx.onHost('galera3', ['env', `MYSQL_PWD=${DB_PASSWORD}`, 'mysql', '--protocol=TCP', '-h', vip, '-P', '4105', '-u', 'wiki', '-NBe', 'SHOW DATABASES'])
    expect(login.trim().split('\n').sort()).toEqual(['information_schema', 'wiki'])
    expect(ctx.onHost('galera1', ['mysql', '-NBe', "SELECT User FROM mysql.user WHERE User IN ('cattle', 'wiki') ORDER BY User"]).trim().split('\n')).toEqual(['cattle', 'wiki'])

    // The site's VIP unit, ARP settings and Rancher site are byte for byte the same; no Galera node restarted.
    expect(WEBS.map((w) => digest(w, SITE_FILES))).toEqual(siteFiles)
    expect(['galera1', 'galera2', 'galera3'].map(mariadbSince)).toEqual(galera)
    expect(changes(r.json).filter((c) => /VIP|ARP|restart the node/.test(c))).toEqual([])
  })

  it('a second app2.yml run changes nothing, and neither does a site.yml run after it (they do not fight)', async () => {
    let started = Date.now()
    const again = await ctx.run(APP2_PLAYBOOK)
    expect(again.code, tail(again)).toBe(0)
    expect(totalChanged(again.json), changes(again.json).join('\n')).toBe(0)
    console.log(`app2.yml again: ${seconds(started)}`)
    started = Date.now()
    const site = await ctx.run(SITE_PLAYBOOK)
    expect(site.code, tail(site)).toBe(0)
    expect(totalChanged(site.json), changes(site.json).join('\n')).toBe(0)
    console.log(`site.yml after app2.yml: ${seconds(started)}`)
    for (const web of WEBS) expect(await eventually(() => wiki(web), (t) => t.includes(PAGE))).toContain(PAGE)
  })

  it('--check --diff of another backend port predicts exactly what the real run changes, and writes nothing', async () => {
    const port = ['-e', 'app2_port=8082']
    const expected = [`${UNIT_TASK}: ${BACKEND}`, `${SERVICE_TASK}: ${BACKEND}`, ...WEBS.flatMap((w) => [`${NGINX_RELOAD}: ${w}`, `${NGINX_SITE_TASK}: ${w}`])].sort()
    mark([BACKEND, ...WEBS])
    let started = Date.now()
    const check = await ctx.run(APP2_PLAYBOOK, ['--check', '--diff', ...port])
    expect(check.code, tail(check)).toBe(0)
    console.log(`app2.yml --check --diff -e app2_port=8082: ${seconds(started)}`)
    const predicted = changes(check.json)
    expect(predicted).toEqual(expected)
    expect(JSON.stringify(check.json)).toContain(`${address[BACKEND]}:8082 weight=1;`)
    for (const h of [BACKEND, ...WEBS]) expect(writtenSinceMark(h), h).toBe('')
    expect(get(`http://${address[BACKEND]}:8081/`)).toContain(PAGE)

    try {
      started = Date.now()
      const real = await ctx.run(APP2_PLAYBOOK, port)
      expect(real.code, tail(real)).toBe(0)
      console.log(`app2.yml -e app2_port=8082: ${seconds(started)}`)
      expect(changes(real.json)).toEqual(predicted)
      expect(await eventually(() => get(`http://${address[BACKEND]}:8082/`), (t) => t.includes(PAGE))).toContain(PAGE)
      for (const web of WEBS) expect(await eventually(() => wiki(web), (t) => t.includes(PAGE))).toContain(PAGE)
    } finally {
      // Back to the playbook's port, as the site test found it.
      const back = await ctx.run(APP2_PLAYBOOK)
      expect(changes(back.json)).toEqual(expected)
    }
    for (const web of WEBS) expect(await eventually(() => wiki(web), (t) => t.includes(PAGE))).toContain(PAGE)
  })

  it("--check of the wiki site's removal would remove its own site and health page only, never the site's VIP", async () => {
    mark(WEBS)
    const check = await ctx.run(APP2_PLAYBOOK, ['--check', '-e', 'nginx_realserver_state=absent'])
    expect(check.code, tail(check)).toBe(0)
    expect(changes(check.json)).toEqual(WEBS.flatMap((w) => [`${NGINX_RELOAD}: ${w}`, `nginx-realserver : the site and its health page are gone: ${w}`]).sort())
    for (const web of WEBS) {
      expect(writtenSinceMark(web), web).toBe('')
      expect(ctx.onHost(web, ['ip', '-o', '-4', 'addr', 'show', 'dev', 'lo'])).toContain(`inet ${vip}/32`)
    }
  })
}
