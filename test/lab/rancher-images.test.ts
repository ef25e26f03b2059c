/**
 * The lab's rancher/server and rancher/agent images (roles/rancher-lab-images) on a real lab host
 * (test/fixtures/rancher-images/lab: img1, a lab_docker host), from a fresh host: docker, the
 * images built from the host's own root filesystem, and a MariaDB on the host holding the cattle
 * database. Then what a user of Rancher's guide checks: the server answers, hands out a
 * registration command, the agent's `docker run --rm ...` registers the host and leaves
 * `rancher-agent` running, the host is active in the API and in the cattle database, a second
 * server sees the same state, a server without its database exits, metrics are served, and the
 * agent's websocket comes back after the server restarts (and after an upgrade to the second tag).
 */
import { execFileSync, spawnSync } from 'node:child_process'
import { appendFileSync, cpSync, mkdtempSync, rmSync } from 'node:fs'
import { connect } from 'node:net'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { beforeAll, describe, expect, it } from 'vitest'
import { ROOT, statuses, totalChanged, tsplay, tsplayJson } from '../helpers/cli.js'
import { until } from '../helpers/poll.js'
import { freshHosts, useLab } from './harness.js'

const INVENTORY = join(ROOT, 'test', 'fixtures', 'rancher-images', 'lab')
const FIXTURES = join(ROOT, 'test', 'fixtures', 'rancher-images')
const ADDRESS = '198.18.254.11'
const SERVER = `http://${ADDRESS}:8080`
const PASSWORD = 'lab-Cattle-pw#5'
const CONTAINER = 'tsplay-lab-rimg-img1'
const outputs: string[] = []

useLab(INVENTORY)

const onHost = (args: string[]): string => execFileSync('docker', ['exec', CONTAINER, ...args], { stdio: 'pipe' }).toString()
/** A command on the host that may fail: its exit code and both outputs. */
function tryOnHost(args: string[]): { code: number | null; out: string } {
  const r = spawnSync('docker', ['exec', CONTAINER, ...args], { encoding: 'utf8', timeout: 120_000 })
  return { code: r.status, out: `${r.stdout}${r.stderr}` }
}
const inspect = (format: string, name: string): string => onHost(['docker', 'inspect', '-f', format, name]).trim()
const sql = (query: string): string => onHost(['mariadb', '--batch', '--skip-column-names', 'cattle', '-e', query]).trim()
const logs = (name: string): string => {
  const r = spawnSync('docker', ['exec', CONTAINER, 'docker', 'logs', name], { encoding: 'utf8' })
  return `${r.stdout}${r.stderr}`
}

async function play(file: string, extra: string[] = []): Promise<Awaited<ReturnType<typeof tsplayJson>>> {
  const r = await tsplayJson(['run', join(FIXTURES, file), '-i', INVENTORY, '--diff', ...extra], { timeoutMs: 900_000 })
  outputs.push(r.stdout, r.stderr)
  return r
}
const server = (vars: Record<string, string> = {}): ReturnType<typeof play> =>
  play('server.yml', Object.entries(vars).flatMap(([k, v]) => ['-e', `${k}=${v}`]))

/** Retries until `probe` returns a value (not undefined), for up to `seconds`. */
async function text(url: string, init?: RequestInit): Promise<{ status: number; type: string; body: string }> {
  const res = await fetch(url, { ...init, signal: AbortSignal.timeout(5_000) })
  return { status: res.status, type: res.headers.get('content-type') ?? '', body: await res.text() }
}
async function json<T>(url: string, init?: RequestInit): Promise<T> {
  const r = await text(url, init)
  if (r.status >= 300) throw new Error(`${url}: ${String(r.status)} ${r.body}`)
  return JSON.parse(r.body) as T
}
interface Host { uuid: string; hostname: string; state: string; agentState: string; lastPingAge: number | null }
interface Token { token: string; registrationUrl: string; command: string; image: string; state: string }
const hosts = async (base = SERVER): Promise<Host[]> => (await json<{ data: Host[] }>(`${base}/v1/hosts`)).data
const pong = async (base = SERVER): Promise<string | undefined> => ((await text(`${base}/ping`)).body === 'pong' ? 'pong' : undefined)
/** The host's agent as the API says, once it pinged within `age` seconds. */
const activeHost = (age: number, base = SERVER) => until(`host img1 active at ${base}`, async () =>
  (await hosts(base)).find((h) => h.hostname === 'img1' && h.agentState === 'active' && (h.lastPingAge ?? 99) <= age), 40_000)
/** A line from a TCP port (Rancher HA's 9345). */
const line = (port: number): Promise<string> => new Promise((resolve, reject) => {
  const socket = connect(port, ADDRESS)
  let got = ''
  socket.setTimeout(5_000, () => socket.destroy(new Error('no answer')))
  socket.on('data', (d) => { got += d.toString() })
  socket.on('end', () => resolve(got.trim()))
  socket.on('error', reject)
})

let token: Token
let uuid = ''

// A fresh host each time: the images are built from nothing, as on a new lab.
beforeAll(async () => {
  await freshHosts('rancher_images', INVENTORY)
  const t0 = Date.now()
  const { code, stdout, stderr } = await play('setup.yml')
  expect(code, `${stdout.slice(-3000)}${stderr}`).toBe(0)
  console.log(`docker, the Rancher images and MariaDB on a fresh host: ${((Date.now() - t0) / 1000).toFixed(1)} s`)
}, 900_000)

describe('the images', { timeout: 300_000 }, () => {
  it('has rancher/server in both tags and rancher/agent, built from the lab base image and labelled as lab images', () => {
    const refs = ['tsplay-lab-base:bookworm', 'rancher/server:v1.6.13', 'rancher/server:v1.6.14', 'rancher/agent:v1.2.9']
    for (const ref of refs) expect(inspect('{{index .Config.Labels "tsplay.lab.image"}}', ref), ref).toBe('true')
    for (const tag of ['v1.6.13', 'v1.6.14']) {
      expect(inspect('{{index .Config.Labels "org.opencontainers.image.version"}}', `rancher/server:${tag}`)).toBe(tag)
      expect(inspect('{{index .Config.Labels "org.opencontainers.image.description"}}', `rancher/server:${tag}`)).toMatch(/lab stand-in/)
    }
    // The base holds the host's programs, not its docker engine nor its secrets.
    const base = tryOnHost(['docker', 'run', '--rm', '--entrypoint', '/bin/sh', 'tsplay-lab-base:bookworm', '-c',
      'command -v python3; command -v mariadb; for f in /usr/sbin/dockerd /usr/bin/containerd /usr/sbin/runc /usr/bin/docker /etc/ssh/ssh_host_ed25519_key /usr/share/man/man1; do test -e $f && echo "has $f"; done; true'])
    expect(base.out.trim().split('\n')).toEqual(['/usr/bin/python3', '/usr/bin/mariadb'])
  })

  it('passes tsplay test for the role: a second run changes nothing, check mode predicts nothing, verify holds', async () => {
    const again = await play('images.yml')
    expect(again.code, again.stdout.slice(-3000)).toBe(0)
    expect(totalChanged(again.json)).toBe(0)
    const r = await tsplay(['test', 'rancher-lab-images', '-i', INVENTORY, '--hosts', 'rancher_images'], { timeoutMs: 600_000 })
    expect(r.code, r.stdout.slice(-3000) + r.stderr).toBe(0)
    expect(r.stdout).toMatch(/idempotence\s+passed/)
    expect(r.stdout).toMatch(/verify\s+passed/)
  })
  it('rebuilds the server images when the server program changes, and leaves the agent image alone', async () => {
    const ids = (): string[] => ['rancher/server:v1.6.13', 'rancher/server:v1.6.14', 'rancher/agent:v1.2.9'].map((ref) => inspect('{{.Id}}', ref))
    const [server13, server14, agent] = ids()
    // The role as it is, but for one line more in the server's program.
    const copy = mkdtempSync(join(tmpdir(), 'tsplay-rimg-'))
    try {
      cpSync(join(ROOT, 'roles', 'rancher-lab-images'), join(copy, 'roles', 'rancher-lab-images'), { recursive: true })
      cpSync(join(FIXTURES, 'images.yml'), join(copy, 'images.yml'))
      appendFileSync(join(copy, 'roles', 'rancher-lab-images', 'files', 'server', 'rancher-server.py'), '# a change\n')
      const changed = await tsplayJson(['run', join(copy, 'images.yml'), '-i', INVENTORY], { timeoutMs: 300_000 })
      expect(changed.code, changed.stdout.slice(-3000)).toBe(0)
      const status = Object.fromEntries(statuses(changed.json).map(([task, byHost]) => [task, byHost['img1']]))
      expect(status).toMatchObject({ "rancher-lab-images : the server's build context": 'changed', 'rancher-lab-images : rancher/server, one image per tag': 'changed', 'rancher-lab-images : rancher/agent': 'ok' })
      const [new13, new14, sameAgent] = ids()
      expect([new13 === server13, new14 === server14, sameAgent]).toEqual([false, false, agent])
    } finally {
      rmSync(copy, { recursive: true, force: true })
    }
    // The role's own program again: docker's cache gives the images they had.
    const back = await play('images.yml')
    expect(back.code, back.stdout.slice(-3000)).toBe(0)
    expect(ids()).toEqual([server13, server14, agent])
  })
})

describe('rancher/server and rancher/agent', { timeout: 300_000 }, () => {
  it('runs the server with the --db-* flags: /ping answers pong, / and /v1 name its version, 9345 answers', async () => {
    const r = await server()
    expect(r.code, r.stdout.slice(-3000)).toBe(0)
    expect(await until('the server answering /ping', pong, 60_000)).toBe('pong')
    const ping = await text(`${SERVER}/ping`)
    expect(ping.type).toBe('text/plain')
    expect((await text(`${SERVER}/`)).body).toContain('Rancher v1.6.13')
    expect((await json<{ version: string }>(`${SERVER}/v1`)).version).toBe('v1.6.13')
    expect(await line(9345)).toBe(`rancher-lab-ha v1.6.13 ${ADDRESS}:8080`)
    expect(logs('rancher-server')).toContain('JAVA_OPTS: -Xmx1g')
    expect(logs('rancher-server')).toContain(`database cattle@${ADDRESS}:3306/cattle (strict sql_mode)`)
    expect(onHost(['docker', 'exec', 'rancher-server', 'stat', '-c', '%a', '/run/rancher-lab/db.cnf']).trim()).toBe('600')
  })

  it('gives one registration token with the guide\'s custom-host command, kept in the cattle database', async () => {
    const made = await json<Token>(`${SERVER}/v1/registrationtokens?projectId=1a5`, { method: 'POST' })
    const listed = (await json<{ data: Token[] }>(`${SERVER}/v1/registrationtokens?projectId=1a5`)).data
    expect(listed).toHaveLength(1)
    token = listed[0] as Token
    expect(token.token).toBe(made.token)
    expect(token.state).toBe('active')
    expect(token.registrationUrl).toBe(`${SERVER}/v1/scripts/${token.token}`)
    expect(token.command).toBe(`sudo docker run --rm --privileged -v /var/run/docker.sock:/var/run/docker.sock -v /var/lib/rancher:/var/lib/rancher rancher/agent:v1.2.9 ${token.registrationUrl}`)
    // A second POST (with a body, as API clients send) makes no second token.
    const again = await json<Token>(`${SERVER}/v1/registrationtokens?projectId=1a5`, { method: 'POST', body: '{"type":"registrationToken"}', headers: { 'content-type': 'application/json' } })
    expect(again.token).toBe(token.token)
    expect(sql(`SELECT state FROM registration_token WHERE token = '${token.token}'`)).toBe('active')
    expect((await text(`${SERVER}/v1/scripts/NOSUCHTOKEN`)).status).toBe(401)
  })

  it('registers the host with the guide\'s agent command, which leaves rancher-agent running and the host active', async () => {
    const words = token.command.split(' ').slice(1)
    const run = tryOnHost(words)
    expect(run.code, run.out).toBe(0)
    const agent = inspect('{{.State.Running}} {{.HostConfig.Privileged}} {{.HostConfig.NetworkMode}} {{.HostConfig.RestartPolicy.Name}} {{json .Config.Cmd}} {{.Config.Image}}', 'rancher-agent')
    expect(agent).toBe('true true host always ["run"] rancher/agent:v1.2.9')
    expect(inspect('{{json .HostConfig.Binds}}', 'rancher-agent')).toBe('["/var/run/docker.sock:/var/run/docker.sock","/var/lib/rancher:/var/lib/rancher"]')
    const host = await activeHost(10)
    expect(host.state).toBe('active')
    uuid = host.uuid
    expect(onHost(['cat', '/var/lib/rancher/state/agent-uuid']).trim()).toBe(uuid)
    expect(sql(`SELECT hostname, agent_state FROM host WHERE uuid = '${uuid}'`)).toBe('img1\tactive')
    expect(logs('rancher-agent')).toContain(`connected to ${SERVER}/v1 as host ${uuid}`)
  })

  it('replaces rancher-agent when the command runs again, keeping the host\'s uuid', async () => {
    const before = inspect('{{.Id}}', 'rancher-agent')
    const run = tryOnHost(token.command.split(' ').slice(1))
    expect(run.code, run.out).toBe(0)
    expect(inspect('{{.Id}}', 'rancher-agent')).not.toBe(before)
    expect(sql('SELECT COUNT(*), MIN(uuid) FROM host')).toBe(`1\t${uuid}`)
    await activeHost(10)
  })

  it('serves Prometheus text on 9108 with the exporter on', async () => {
    const metrics = await text(`http://${ADDRESS}:9108/metrics`)
    expect(metrics.status).toBe(200)
    expect(metrics.body).toContain('rancher_lab_info{version="v1.6.13"} 1')
    expect(metrics.body).toContain('rancher_lab_db_up 1')
    expect(metrics.body).toContain('rancher_hosts{agent_state="active"} 1')
  })

  it('shares its state with a second server on the same database: same hosts, same token, two cluster members', async () => {
    const r = await server({ server_name: 'rancher-server-2', server_http_port: '8081', server_ha_port: '9346', server_metrics_port: '9109' })
    expect(r.code, r.stdout.slice(-3000)).toBe(0)
    const second = `http://${ADDRESS}:8081`
    await until('the second server answering', () => pong(second), 60_000)
    expect((await hosts(second)).map((h) => [h.uuid, h.hostname])).toEqual([[uuid, 'img1']])
    const tokens = (await json<{ data: Token[] }>(`${second}/v1/registrationtokens?projectId=1a5`)).data
    expect(tokens.map((t) => t.token)).toEqual([token.token])
    const members = await until('two cluster members', async () => {
      const data = (await json<{ data: { id: string; version: string; heartbeatAge: number }[] }>(`${second}/v1/clustermembership`)).data
      return data.length === 2 ? data : undefined
    }, 20_000)
    expect(members.map((m) => m.id)).toEqual([`${ADDRESS}:8080`, `${ADDRESS}:8081`])
    for (const m of members) expect(m.heartbeatAge).toBeLessThanOrEqual(10)
    onHost(['docker', 'rm', '-f', 'rancher-server-2'])
  })

  it('refuses to run without its database: a wrong --db-host exits 1 with the reason, no --db-host too', () => {
    const wrong = tryOnHost(['docker', 'run', '--name', 'rancher-server-bad', '-e', 'RANCHER_LAB_DB_WAIT=4', 'rancher/server:v1.6.13',
      '--db-host', 'no-such-db.invalid', '--db-user', 'cattle', '--db-pass', PASSWORD, '--db-name', 'cattle'])
    outputs.push(wrong.out)
    expect(wrong.code).toBe(1)
    expect(wrong.out).toMatch(/rancher-server: cannot reach the cattle database cattle@no-such-db\.invalid:3306\/cattle after 4 s.*Unknown server host/)
    expect(inspect('{{.State.ExitCode}}', 'rancher-server-bad')).toBe('1')
    onHost(['docker', 'rm', 'rancher-server-bad'])
    const none = tryOnHost(['docker', 'run', '--rm', 'rancher/server:v1.6.13'])
    expect(none.code).toBe(1)
    expect(none.out).toContain('rancher-server: no --db-host given')
  })

  it('keeps the agent connected through a server restart and an upgrade to the second tag', async () => {
    const connections = (): number => logs('rancher-agent').split('\n').filter((l) => l.includes('connected to ') && !l.includes('disconnected')).length
    const before = connections()
    onHost(['docker', 'restart', 'rancher-server'])
    await until('the agent connected again after the restart', async () => (connections() > before ? true : undefined), 40_000)
    expect(logs('rancher-agent')).toMatch(/disconnected from http:\/\/198\.18\.254\.11:8080\/v1: /)
    expect(logs('rancher-server')).toContain(`agent ${uuid} connected from`)
    await activeHost(6)

    const upgraded = await server({ server_tag: 'v1.6.14' })
    expect(upgraded.code, upgraded.stdout.slice(-3000)).toBe(0)
    expect(totalChanged(upgraded.json)).toBe(1)
    await until('the upgraded server answering', pong, 60_000)
    expect((await json<{ version: string }>(`${SERVER}/v1`)).version).toBe('v1.6.14')
    await until('the agent connected to the upgraded server', async () => (logs('rancher-server').includes(`agent ${uuid} connected from`) ? true : undefined), 40_000)
    expect((await activeHost(6)).uuid).toBe(uuid)
  })

  it('never shows the database password: not in tsplay\'s output, not in the servers\' logs', () => {
    expect(outputs.length).toBeGreaterThan(0)
    for (const out of [...outputs, logs('rancher-server')]) expect(out).not.toContain(PASSWORD)
  })
})
