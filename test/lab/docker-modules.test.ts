/**
 * docker_container and docker_image on a real lab host over SSH (test/fixtures/docker/lab: dock1,
 * a lab_docker host). From a fresh host: docker.io from Debian, local images (no registry), then
 * a busybox httpd container that answers HTTP on its published port from the controller; a second
 * run changes nothing; `--check --diff` after changing the env, the port or the image tag
 * predicts the recreation with the keys that differ and leaves the container as it was (same
 * ID), and the real run then recreates it (new ID); stopped and absent; a missing image that
 * cannot be pulled fails with the daemon's words and leaves the old container running; images
 * loaded from a tarball and built from a directory, once. The password in env shows nowhere.
 */
import { execFileSync } from 'node:child_process'
import { join } from 'node:path'
import { beforeAll, describe, expect, it } from 'vitest'
import { ROOT, totalChanged, tsplay, tsplayJson, type JsonRun } from '../helpers/cli.js'
import { freshHosts, useLab } from './harness.js'

const INVENTORY = join(ROOT, 'test', 'fixtures', 'docker', 'lab')
const FIXTURES = join(ROOT, 'test', 'fixtures', 'docker')
const ADDRESS = '198.18.252.11'
const PASSWORD = 'lab-Docker-pw#7'
const outputs: string[] = []

useLab(INVENTORY)

const onHost = (args: string[]): string => execFileSync('docker', ['exec', 'tsplay-lab-docker-dock1', ...args], { stdio: 'pipe' }).toString()
/** The container's ID and whether it runs, as the daemon says (empty when there is none). */
const state = (): string => {
  try {
    return onHost(['docker', 'inspect', '--type', 'container', '-f', '{{.Id}} {{.State.Running}} {{.Config.Image}}', 'tsplay-web']).trim()
  } catch {
    return ''
  }
}
const id = (): string => state().split(' ')[0] ?? ''

async function play(file: string, extra: string[] = []): Promise<Awaited<ReturnType<typeof tsplayJson>>> {
  const r = await tsplayJson(['run', join(FIXTURES, file), '-i', INVENTORY, '--diff', ...extra], { timeoutMs: 600_000 })
  outputs.push(r.stdout, r.stderr)
  return r
}
const web = (vars: Record<string, string> = {}, extra: string[] = []): ReturnType<typeof play> =>
  play('web.yml', [...Object.entries(vars).flatMap(([k, v]) => ['-e', `${k}=${v}`]), ...extra])

function result(json: JsonRun, task: string): Record<string, unknown> {
  const found = json.plays.flatMap((p) => p.tasks).find((t) => t.task.name === task)
  return found?.hosts['dock1'] ?? {}
}

async function get(port: number): Promise<string> {
  for (let i = 0; ; i++) {
    try {
      const res = await fetch(`http://${ADDRESS}:${String(port)}/`, { signal: AbortSignal.timeout(2_000) })
      return `${String(res.status)} ${(await res.text()).trim()}`
    } catch (e) {
      if (i >= 20) throw e
      await new Promise((r) => setTimeout(r, 250))
    }
  }
}

beforeAll(async () => {
  await freshHosts('docker_hosts', INVENTORY)
  const started = Date.now()
  const setup = await play('setup.yml')
  expect(setup.code, setup.stdout.slice(-3000) + setup.stderr).toBe(0)
  console.log(`docker.io and the local images on a fresh host: ${((Date.now() - started) / 1000).toFixed(1)} s`)
}, 900_000)

describe('docker_container on the lab', { timeout: 300_000 }, () => {
  it('converges a container from nothing: running, its published port answering HTTP from the controller', async () => {
    const started = Date.now()
    const r = await web()
    expect(r.code, r.stdout.slice(-3000)).toBe(0)
    console.log(`docker_container, create and start: ${((Date.now() - started) / 1000).toFixed(1)} s`)
    expect(result(r.json, 'the web container')['status']).toBe('changed')
    expect(state()).toMatch(/^[0-9a-f]{64} true tsplay-bb:1$/)
    expect(await get(8080)).toBe('200 busybox httpd, image 1')
    // What the daemon has is what the task asked for.
    const [env = '', policy] = onHost(['docker', 'inspect', '-f', '{{json .Config.Env}} {{.HostConfig.RestartPolicy.Name}} {{.HostConfig.Memory}} {{json .HostConfig.Mounts}}', 'tsplay-web']).trim().split(' ')
    expect((JSON.parse(env) as string[]).sort()).toEqual(['APP_MODE=lab', `DB_PASSWORD=${PASSWORD}`, 'PATH=/bin'])
    expect(policy).toBe('unless-stopped')
    expect(onHost(['docker', 'inspect', '-f', '{{.HostConfig.Memory}} {{json .HostConfig.Mounts}}', 'tsplay-web']).trim())
      .toBe('67108864 [{"Type":"bind","Source":"/srv","Target":"/srv","ReadOnly":true,"BindOptions":{"Propagation":"rslave"}}]')
  })

  it('changes nothing on a second run', async () => {
    const before = id()
    const r = await web()
    expect(r.code).toBe(0)
    expect(totalChanged(r.json)).toBe(0)
    expect(id()).toBe(before)
  })

  it.each([
    ['the env', { web_mode: 'prod' }, ['env'], ['-env: APP_MODE=lab', '+env: APP_MODE=prod'], 8080, 'image 1'],
    ['a published port', { web_mode: 'prod', web_port: '8081' }, ['published_ports'], ['-published_ports: 0.0.0.0:8080->80/tcp', '+published_ports: 0.0.0.0:8081->80/tcp'], 8081, 'image 1'],
    // The new image's own labels come with it (community.docker compares the image's labels under the task's).
    ['the image tag', { web_mode: 'prod', web_port: '8081', web_tag: '2' }, ['image id', 'image', 'labels'], ['-image: tsplay-bb:1', '+image: tsplay-bb:2'], 8081, 'image 2'],
  ])('predicts the recreation after a change of %s without touching the container, then recreates it', async (_what, vars, keys, lines, port, page) => {
    const before = id()
    const check = await web(vars, ['--check'])
    expect(check.code, check.stdout.slice(-3000)).toBe(0)
    const planned = result(check.json, 'the web container')
    expect(planned['status']).toBe('changed')
    const [diff] = planned['diff'] as { after_header: string; before: string; after: string }[]
    expect(diff?.after_header).toBe('after: container tsplay-web (recreated)')
    const shown = [...(diff?.before.split('\n') ?? []).map((l) => `-${l}`), ...(diff?.after.split('\n') ?? []).map((l) => `+${l}`)]
    for (const line of lines) expect(shown).toContain(line)
    const differing = new Set((diff?.after.split('\n') ?? []).map((l) => l.split(': ')[0] ?? '').filter((k) => k && k !== 'exists' && k !== 'running'))
    expect([...differing]).toEqual(keys)
    expect(id(), 'check mode left the container as it was').toBe(before)

    const real = await web(vars)
    expect(real.code, real.stdout.slice(-3000)).toBe(0)
    expect(result(real.json, 'the web container')['status']).toBe('changed')
    expect(id()).not.toBe(before)
    expect(await get(port)).toBe(`200 busybox httpd, ${page}`)
    expect(totalChanged((await web(vars)).json)).toBe(0)
  })

  it('fails on a missing image that cannot be pulled with the daemon’s message, leaving the old container running', async () => {
    const before = state()
    const r = await web({ web_mode: 'prod', web_port: '8081', web_tag: '9' })
    expect(r.code).toBe(2)
    const failed = result(r.json, 'the web container')
    expect(failed['status']).toBe('failed')
    expect(String(failed['msg'])).toMatch(/^Error response from daemon: .*registry-1\.docker\.io/)
    expect(state()).toBe(before)
    expect(await get(8081)).toBe('200 busybox httpd, image 2')
  })

  it('stops the container for state=stopped, once; and removes it for state=absent, once', async () => {
    const vars = { web_mode: 'prod', web_port: '8081', web_tag: '2' }
    const before = id()
    const stop = await web({ ...vars, web_state: 'stopped' })
    expect(result(stop.json, 'the web container')['status']).toBe('changed')
    expect(state()).toBe(`${before} false tsplay-bb:2`)
    expect(totalChanged((await web({ ...vars, web_state: 'stopped' })).json)).toBe(0)
    const check = await web({ ...vars, web_state: 'absent' }, ['--check'])
    expect(result(check.json, 'the web container')['status']).toBe('changed')
    expect(id()).toBe(before)
    const gone = await web({ ...vars, web_state: 'absent' })
    expect(result(gone.json, 'the web container')['status']).toBe('changed')
    expect(state()).toBe('')
    const again = await web({ ...vars, web_state: 'absent' })
    expect(result(again.json, 'the web container')['status']).toBe('ok')
  })

  it('never shows the password given in env, even at -vvvv', async () => {
    const r = await tsplay(['run', join(FIXTURES, 'web.yml'), '-i', INVENTORY, '--check', '--diff', '-vvvv', '-e', 'web_mode=other'], { timeoutMs: 300_000 })
    outputs.push(r.stdout, r.stderr)
    expect(r.stdout).toContain('would run')
    for (const text of outputs) expect(text).not.toContain(PASSWORD)
  })
})

describe('docker_image on the lab', { timeout: 300_000 }, () => {
  it('loads an image from a tarball and builds one from a directory, then changes nothing', async () => {
    const first = await play('images.yml')
    expect(first.code, first.stdout.slice(-3000)).toBe(0)
    expect(result(first.json, 'an image loaded from a tarball')['status']).toBe('changed')
    expect(result(first.json, 'an image built from a directory')['status']).toBe('changed')
    expect(onHost(['docker', 'image', 'inspect', '-f', '{{index .Config.Labels "tsplay.built"}}', 'tsplay-built:1']).trim()).toBe('yes')
    expect(onHost(['docker', 'image', 'inspect', '-f', '{{.Id}}', 'tsplay-load:1']).trim()).toBe(onHost(['docker', 'image', 'inspect', '-f', '{{.Id}}', 'tsplay-bb:1']).trim())
    const second = await play('images.yml')
    expect(totalChanged(second.json)).toBe(0)
  })

  it('rebuilds with force_source and reports no change when the build gives the same image ID', async () => {
    const before = onHost(['docker', 'image', 'inspect', '-f', '{{.Id}}', 'tsplay-built:1']).trim()
    const r = await play('images.yml', ['-e', '{"force": true}'])
    expect(r.code, r.stdout.slice(-3000)).toBe(0)
    expect(result(r.json, 'an image built from a directory')['status']).toBe('ok')
    expect(onHost(['docker', 'image', 'inspect', '-f', '{{.Id}}', 'tsplay-built:1']).trim()).toBe(before)
  })
})

describe('the docker role on the lab', { timeout: 600_000 }, () => {
  it('passes tsplay test with daemon options: daemon.json on the host as given and dockerd running with it', async () => {
    // Neither is docker's default, so the daemon's answer shows that it read the file.
    const options = { 'live-restore': true, 'log-driver': 'local' }
    const r = await tsplay(['test', 'docker', '-i', INVENTORY, '--hosts', 'docker_hosts', '-e', JSON.stringify({ docker_daemon_options: options })], { timeoutMs: 600_000 })
    expect(r.code, r.stdout.slice(-3000) + r.stderr).toBe(0)
    expect(r.stdout).toMatch(/idempotence\s+passed/)
    expect(JSON.parse(onHost(['cat', '/etc/docker/daemon.json']))).toEqual(options)
    expect(onHost(['docker', 'info', '-f', '{{.LoggingDriver}} {{.LiveRestoreEnabled}}']).trim()).toBe('local true')
  })
})
